package com.kpiledger.coreapi.campaign;

import com.kpiledger.coreapi.shared.AggregateIds;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.LocalDate;

public record LaunchCampaignCommand(String campaignId, String name, String channel, String currency,
                                    LocalDate launchedOn, String source) {

    @TargetAggregateIdentifier
    public String streamId() {
        return AggregateIds.campaign(campaignId);
    }
}
