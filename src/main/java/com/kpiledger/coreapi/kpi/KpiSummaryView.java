package com.kpiledger.coreapi.kpi;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Every KPI of kpi-spec §4 for one scope. Money rounded HALF_EVEN to 2 decimals, rates and ratios to 4; null where the
 * denominator is zero. {@code flags} names rates above 1 (possible in a period view, reported, never capped).
 * {@code position} is the event-store position the answer reflects.
 */
public record KpiSummaryView(
        LocalDate from, LocalDate to, Instant knownAt, long position, String currency,
        String campaignId, String channel, boolean fullyLoaded,
        BigDecimal spend, BigDecimal salesCost, BigDecimal mediaSpend,
        long leads, long mqls, long sqls, long customers,
        BigDecimal cpl, BigDecimal cac,
        BigDecimal leadToMqlRate, BigDecimal mqlToSqlRate, BigDecimal sqlToCustomerRate, BigDecimal leadConversionRate,
        BigDecimal revenue, BigDecimal grossProfit, BigDecimal avgLtv, BigDecimal ltvToCac,
        BigDecimal roi, BigDecimal roas,
        List<String> flags) {
}
