package com.kpiledger.coreapi.campaign;


import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.temporal.Temporal;

/**
 * The spend line's amount is now {@code amount} instead of {@code previousAmount}, for its original {@code spentOn}
 * (the period it always belonged to). The original SpendRecordedEvent stays in the log.
 */
public record SpendCorrectedEvent(String campaignId, String spendId, BigDecimal previousAmount, BigDecimal amount,
                                  String currency, LocalDate spentOn, CostType costType, String reason,
                                  String source) implements CampaignEvent {

    @Override
    public Temporal businessTime() {
        return spentOn;
    }
}
