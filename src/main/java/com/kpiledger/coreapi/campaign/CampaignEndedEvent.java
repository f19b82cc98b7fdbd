package com.kpiledger.coreapi.campaign;

import com.kpiledger.coreapi.shared.LedgerEvent;

import java.time.LocalDate;
import java.time.temporal.Temporal;

public record CampaignEndedEvent(String campaignId, LocalDate endedOn, String source) implements LedgerEvent {

    @Override
    public Temporal businessTime() {
        return endedOn;
    }
}
