package com.kpiledger.coreapi.kpi;

/**
 * A KPI question ({@link FindKpiSummaryQuery}, {@link FetchMonthlyKpisQuery} or {@link FindFunnelQuery}) answered from
 * the read models again rather than from an answer kept for its position (HTTP {@code Cache-Control: no-cache}).
 */
public record AnswerAfresh(Object question) {
}
