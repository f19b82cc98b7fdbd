package com.kpiledger.coreapi.kpi;

import java.util.List;

/** A summary broken down by campaign or channel: the rows add up to the total for every additive KPI. */
public record KpiBreakdownView(GroupBy groupBy, List<KpiSummaryView> rows, KpiSummaryView total) {
}
