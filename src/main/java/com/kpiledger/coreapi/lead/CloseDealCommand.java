package com.kpiledger.coreapi.lead;

import com.kpiledger.coreapi.shared.AggregateIds;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.math.BigDecimal;

public record CloseDealCommand(String leadId, String dealId, DealOutcome outcome, BigDecimal amount, String currency,
                               BigDecimal grossMargin, Instant closedAt, String source) {

    @TargetAggregateIdentifier
    public String streamId() {
        return AggregateIds.lead(leadId);
    }
}
