package com.kpiledger.coreapi.campaign;

import com.kpiledger.coreapi.shared.AggregateIds;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.math.BigDecimal;
import java.time.LocalDate;

public record RecordSpendCommand(String campaignId, String spendId, BigDecimal amount, String currency,
                                 LocalDate spentOn, CostType costType, String source) {

    @TargetAggregateIdentifier
    public String streamId() {
        return AggregateIds.campaign(campaignId);
    }
}
