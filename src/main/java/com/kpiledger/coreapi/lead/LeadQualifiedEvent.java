package com.kpiledger.coreapi.lead;


import java.time.Instant;
import java.time.temporal.Temporal;
import java.util.List;

/**
 * The lead entered {@code stage} at {@code qualifiedAt}. {@code impliedStages} names the earlier stages it skipped
 * (MQL when a lead goes straight to SQL): they count as entered at the same time.
 */
public record LeadQualifiedEvent(String leadId, Stage stage, Instant qualifiedAt, List<Stage> impliedStages,
                                 String source) implements LeadEvent {

    public LeadQualifiedEvent {
        impliedStages = impliedStages == null ? List.of() : List.copyOf(impliedStages);
    }

    @Override
    public Temporal businessTime() {
        return qualifiedAt;
    }
}
