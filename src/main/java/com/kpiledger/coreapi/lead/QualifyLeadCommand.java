package com.kpiledger.coreapi.lead;

import com.kpiledger.coreapi.shared.AggregateIds;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

public record QualifyLeadCommand(String leadId, Stage stage, Instant qualifiedAt, String source) {

    @TargetAggregateIdentifier
    public String streamId() {
        return AggregateIds.lead(leadId);
    }
}
