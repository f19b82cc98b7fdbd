package com.kpiledger.coreapi.lead;


import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.Temporal;
import java.util.List;

/**
 * A deal of the lead closed, won or lost. {@code impliedStages} names the stages the lead had not reached yet
 * (closing implies SQL, and SQL implies MQL): they count as entered at {@code closedAt}.
 */
public record DealClosedEvent(String leadId, String dealId, DealOutcome outcome, BigDecimal amount, String currency,
                              BigDecimal grossMargin, Instant closedAt, List<Stage> impliedStages,
                              String source) implements LeadEvent {

    public DealClosedEvent {
        impliedStages = impliedStages == null ? List.of() : List.copyOf(impliedStages);
    }

    @Override
    public Temporal businessTime() {
        return closedAt;
    }
}
