package com.kpiledger.coreapi.campaign;


import java.time.LocalDate;
import java.time.temporal.Temporal;

public record CampaignEndedEvent(String campaignId, LocalDate endedOn, String source) implements CampaignEvent {

    @Override
    public Temporal businessTime() {
        return endedOn;
    }
}
