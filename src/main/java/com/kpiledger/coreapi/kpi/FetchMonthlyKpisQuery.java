package com.kpiledger.coreapi.kpi;

/** One summary per calendar month touched by the scope's period, each with its change against the month before. */
public record FetchMonthlyKpisQuery(KpiScope scope, boolean fullyLoaded) {
}
