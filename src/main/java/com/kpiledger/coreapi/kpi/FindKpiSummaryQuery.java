package com.kpiledger.coreapi.kpi;

/** The KPI summary of a scope; with a groupBy other than NONE, one row per group plus the total. */
public record FindKpiSummaryQuery(KpiScope scope, GroupBy groupBy, boolean fullyLoaded) {
}
