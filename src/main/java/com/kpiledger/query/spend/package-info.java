/** The "spend" read model: campaigns and spend facts (recorded amounts and correction deltas) with both clocks. */
package com.kpiledger.query.spend;
