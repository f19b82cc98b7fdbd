package com.kpiledger.coreapi.lead;


import java.time.Instant;
import java.time.temporal.Temporal;

/** The lead left the funnel; it stays counted in every stage it had entered. */
public record LeadDisqualifiedEvent(String leadId, String reason, Instant disqualifiedAt,
                                    String source) implements LeadEvent {

    @Override
    public Temporal businessTime() {
        return disqualifiedAt;
    }
}
