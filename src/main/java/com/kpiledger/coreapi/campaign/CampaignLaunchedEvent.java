package com.kpiledger.coreapi.campaign;


import java.time.LocalDate;
import java.time.temporal.Temporal;

/** A campaign exists from here on; {@code channel} is already normalised to lower case. */
public record CampaignLaunchedEvent(String campaignId, String name, String channel, String currency,
                                    LocalDate launchedOn, String source) implements CampaignEvent {

    @Override
    public Temporal businessTime() {
        return launchedOn;
    }
}
