package com.kpiledger.coreapi.lead;


import java.time.Instant;
import java.time.temporal.Temporal;

/** The lead's first WON deal ({@code dealId}) made it a customer at {@code acquiredAt}. */
public record CustomerAcquiredEvent(String leadId, String dealId, Instant acquiredAt,
                                    String source) implements LeadEvent {

    @Override
    public Temporal businessTime() {
        return acquiredAt;
    }
}
