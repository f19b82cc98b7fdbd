package com.kpiledger.coreapi.kpi;

import java.time.Instant;
import java.time.LocalDate;

/**
 * What every KPI question names: a business period [from, to) in UTC dates, an optional campaign or channel, the
 * currency of the money figures (null = the ledger's only currency), and "as known at" (null = everything known now).
 */
public record KpiScope(LocalDate from, LocalDate to, String campaignId, String channel, String currency,
                       Instant knownAt) {

    public KpiScope withPeriod(LocalDate newFrom, LocalDate newTo) {
        return new KpiScope(newFrom, newTo, campaignId, channel, currency, knownAt);
    }
}
