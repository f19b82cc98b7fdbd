/** The "funnel" read model: leads, stage entries with both clocks, disqualifications and deals. */
package com.kpiledger.query.funnel;
