package com.kpiledger.coreapi.kpi;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One lead's deals and its historical gross-margin LTV: Σ amount × grossMargin over its WON deals known at
 * {@code knownAt}, whatever their close date. {@code ltv} is null while the lead is not a customer.
 */
public record CustomerLtvView(String leadId, String campaignId, Instant customerSince, String currency,
                              BigDecimal ltv, Instant knownAt, long position, List<Deal> deals) {

    public record Deal(String dealId, String outcome, BigDecimal amount, String currency, BigDecimal grossMargin,
                       BigDecimal grossProfit, Instant closedAt, Instant recordedAt) {
    }
}
