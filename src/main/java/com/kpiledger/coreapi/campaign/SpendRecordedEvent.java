package com.kpiledger.coreapi.campaign;


import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.temporal.Temporal;

public record SpendRecordedEvent(String campaignId, String spendId, BigDecimal amount, String currency,
                                 LocalDate spentOn, CostType costType, String source) implements CampaignEvent {

    @Override
    public Temporal businessTime() {
        return spentOn;
    }
}
