package com.kpiledger.coreapi.audit;

import com.kpiledger.coreapi.kpi.KpiSummaryView;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The summary of one period as known at {@code earlier} and at {@code later}, the KPIs that differ (later − earlier)
 * and the events recorded in between that belong to the period and scope: late data, corrections,
 * disqualifications, deals.
 */
public record RestatementView(Instant earlier, Instant later, KpiSummaryView before, KpiSummaryView after,
                              Map<String, BigDecimal> differences, List<Cause> causes) {

    /** One event recorded between the two moments, with both clocks. */
    public record Cause(long position, String type, String aggregate, String businessTime, Instant recordedAt,
                        String correlationId) {
    }
}
