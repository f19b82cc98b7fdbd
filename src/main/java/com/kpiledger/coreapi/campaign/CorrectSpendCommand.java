package com.kpiledger.coreapi.campaign;

import com.kpiledger.coreapi.shared.AggregateIds;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.math.BigDecimal;

public record CorrectSpendCommand(String campaignId, String spendId, BigDecimal amount, String reason, String source) {

    @TargetAggregateIdentifier
    public String streamId() {
        return AggregateIds.campaign(campaignId);
    }
}
