/** Types shared by both aggregates' contracts: ids, outcomes, the event marker and the domain's refusals. */
package com.kpiledger.coreapi.shared;
