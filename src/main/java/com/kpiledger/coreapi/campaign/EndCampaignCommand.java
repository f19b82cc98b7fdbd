package com.kpiledger.coreapi.campaign;

import com.kpiledger.coreapi.shared.AggregateIds;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.LocalDate;

public record EndCampaignCommand(String campaignId, LocalDate endedOn, String source) {

    @TargetAggregateIdentifier
    public String streamId() {
        return AggregateIds.campaign(campaignId);
    }
}
