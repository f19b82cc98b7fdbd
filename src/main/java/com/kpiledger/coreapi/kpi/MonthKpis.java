package com.kpiledger.coreapi.kpi;

import java.util.Map;

/** One calendar month ("2026-03") with its KPIs and each KPI's change against the month before. */
public record MonthKpis(String month, KpiSummaryView kpis, Map<String, KpiChange> changes) {
}
