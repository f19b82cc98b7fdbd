package com.kpiledger.coreapi.audit;

import com.kpiledger.coreapi.kpi.KpiScope;

import java.time.Instant;

/** How the summary of a scope changed between two "as known at" moments, and which events changed it. */
public record FindRestatementQuery(KpiScope scope, Instant earlier, Instant later) {
}
