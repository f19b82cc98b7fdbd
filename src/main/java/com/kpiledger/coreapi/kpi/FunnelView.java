package com.kpiledger.coreapi.kpi;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The funnel LEAD → MQL → SQL → CUSTOMER. Each stage's count, how many of those entries were only implied (a skipped
 * stage counted at the time of the later one), and the rate from the stage before. {@code timeToSql}: hours from MQL
 * to SQL entry over the leads entering SQL in the period. In the cohort view {@code implied} and
 * {@code timeToSql} are null: a cohort counts who got there, not how.
 */
public record FunnelView(LocalDate from, LocalDate to, Instant knownAt, long position, FunnelViewKind view,
                         String campaignId, String channel, List<Stage> stages, long disqualified,
                         TimeToSql timeToSql) {

    public record Stage(String stage, long count, Long implied, BigDecimal rateFromPrevious) {
    }

    public record TimeToSql(long leads, BigDecimal medianHours, BigDecimal meanHours) {
    }
}
