package com.kpiledger.coreapi.lead;


import java.time.Instant;
import java.time.temporal.Temporal;

/**
 * A lead entered the funnel. {@code campaignId} is its source for single-touch attribution (null = organic);
 * {@code channel} is set only for leads without a campaign (the campaign's channel applies otherwise).
 */
public record LeadCapturedEvent(String leadId, String campaignId, String channel, Instant capturedAt,
                                String source) implements LeadEvent {

    @Override
    public Temporal businessTime() {
        return capturedAt;
    }
}
