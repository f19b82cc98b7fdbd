package com.kpiledger.query.funnel;

import com.kpiledger.coreapi.lead.CustomerAcquiredEvent;
import com.kpiledger.coreapi.lead.DealClosedEvent;
import com.kpiledger.coreapi.lead.LeadCapturedEvent;
import com.kpiledger.coreapi.lead.LeadDisqualifiedEvent;
import com.kpiledger.coreapi.lead.LeadQualifiedEvent;
import com.kpiledger.coreapi.lead.Stage;
import com.kpiledger.query.Positions;
import com.kpiledger.query.UnknownEventType;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.annotation.MessageIdentifier;
import org.axonframework.serialization.UnknownSerializedType;

import java.time.Instant;

/**
 * The "funnel" read model: leads, every stage entry (reported or implied), disqualifications and deals. A lead's
 * events come in stream order, its capture first, so its attribution is always known when later facts arrive.
 */
@Singleton
@ProcessingGroup(FunnelProjection.PROCESSING_GROUP)
public class FunnelProjection {

    public static final String PROCESSING_GROUP = "funnel";

    @ConfigProperty(name = "kpi-ledger.node-id")
    String nodeId;

    @EventHandler
    void on(LeadCapturedEvent event, @MessageIdentifier String eventId, @Timestamp Instant recordedAt,
            TrackingToken token) {
        LeadRow lead = new LeadRow();
        lead.leadId = event.leadId();
        lead.campaignId = event.campaignId();
        lead.channel = event.channel();
        lead.capturedAt = event.capturedAt();
        lead.position = Positions.of(token);
        lead.recordedAt = recordedAt;
        lead.appliedBy = nodeId;
        lead.persist();
        enter(lead, eventId, FunnelStage.LEAD, event.capturedAt(), false, token, recordedAt);
    }

    @EventHandler
    void on(LeadQualifiedEvent event, @MessageIdentifier String eventId, @Timestamp Instant recordedAt,
            TrackingToken token) {
        LeadRow lead = LeadRow.findById(event.leadId());
        enter(lead, eventId, FunnelStage.of(event.stage()), event.qualifiedAt(), false, token, recordedAt);
        for (Stage implied : event.impliedStages()) {
            enter(lead, eventId, FunnelStage.of(implied), event.qualifiedAt(), true, token, recordedAt);
        }
    }

    @EventHandler
    void on(LeadDisqualifiedEvent event, @MessageIdentifier String eventId, @Timestamp Instant recordedAt,
            TrackingToken token) {
        LeadRow lead = LeadRow.findById(event.leadId());
        Disqualification fact = new Disqualification();
        fact.recordedFrom(lead, eventId, Positions.of(token), recordedAt, nodeId);
        fact.reason = event.reason();
        fact.disqualifiedAt = event.disqualifiedAt();
        fact.persist();
    }

    @EventHandler
    void on(DealClosedEvent event, @MessageIdentifier String eventId, @Timestamp Instant recordedAt,
            TrackingToken token) {
        LeadRow lead = LeadRow.findById(event.leadId());
        DealFact deal = new DealFact();
        deal.recordedFrom(lead, eventId, Positions.of(token), recordedAt, nodeId);
        deal.dealId = event.dealId();
        deal.outcome = event.outcome();
        deal.amount = event.amount();
        deal.currency = event.currency();
        deal.grossMargin = event.grossMargin();
        deal.closedAt = event.closedAt();
        deal.persist();
        for (Stage implied : event.impliedStages()) {
            enter(lead, eventId, FunnelStage.of(implied), event.closedAt(), true, token, recordedAt);
        }
    }

    @EventHandler
    void on(CustomerAcquiredEvent event, @MessageIdentifier String eventId, @Timestamp Instant recordedAt,
            TrackingToken token) {
        enter(LeadRow.findById(event.leadId()), eventId, FunnelStage.CUSTOMER, event.acquiredAt(), false, token,
                recordedAt);
    }

    /** Never skipped: parked with its aggregate's later events (see {@link UnknownEventType}). */
    @EventHandler
    void on(UnknownSerializedType unknown) {
        throw new UnknownEventType(unknown);
    }

    @ResetHandler
    void reset() {
        StageEntry.deleteAll();
        Disqualification.deleteAll();
        DealFact.deleteAll();
        LeadRow.deleteAll();
    }

    private void enter(LeadRow lead, String eventId, FunnelStage stage, Instant enteredAt, boolean implied,
                              TrackingToken token, Instant recordedAt) {
        StageEntry entry = new StageEntry();
        entry.recordedFrom(lead, eventId, Positions.of(token), recordedAt, nodeId);
        entry.stage = stage;
        entry.enteredAt = enteredAt;
        entry.implied = implied;
        entry.persist();
    }
}
