package com.kpiledger.coreapi.lead;

import com.kpiledger.coreapi.shared.AggregateIds;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

public record DisqualifyLeadCommand(String leadId, String reason, Instant disqualifiedAt, String source) {

    @TargetAggregateIdentifier
    public String streamId() {
        return AggregateIds.lead(leadId);
    }
}
