package com.kpiledger.query.spend;

import com.kpiledger.coreapi.campaign.CampaignEndedEvent;
import com.kpiledger.coreapi.campaign.CampaignLaunchedEvent;
import com.kpiledger.coreapi.campaign.CostType;
import com.kpiledger.coreapi.campaign.SpendCorrectedEvent;
import com.kpiledger.coreapi.campaign.SpendRecordedEvent;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import com.kpiledger.query.Positions;
import com.kpiledger.query.UnknownEventType;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.annotation.MessageIdentifier;
import org.axonframework.serialization.UnknownSerializedType;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The "spend" read model: campaigns and their spend facts. Written in the transaction that advances this processor's
 * token, so each event is applied exactly once; recorded time comes from the event, never from the clock.
 */
@Singleton
@ProcessingGroup(SpendProjection.PROCESSING_GROUP)
public class SpendProjection {

    public static final String PROCESSING_GROUP = "spend";

    @ConfigProperty(name = "kpi-ledger.node-id")
    String nodeId;

    @EventHandler
    void on(CampaignLaunchedEvent event, @Timestamp Instant recordedAt, TrackingToken token) {
        CampaignRow row = new CampaignRow();
        row.campaignId = event.campaignId();
        row.name = event.name();
        row.channel = event.channel();
        row.currency = event.currency();
        row.launchedOn = event.launchedOn();
        row.position = Positions.of(token);
        row.recordedAt = recordedAt;
        row.appliedBy = nodeId;
        row.persist();
    }

    @EventHandler
    void on(CampaignEndedEvent event) {
        CampaignRow row = CampaignRow.findById(event.campaignId());
        if (row != null) {
            row.endedOn = event.endedOn();
        }
    }

    @EventHandler
    void on(SpendRecordedEvent event, @MessageIdentifier String eventId, @Timestamp Instant recordedAt,
            TrackingToken token) {
        persistFact(eventId, event.campaignId(), event.spendId(), event.costType(), event.spentOn(), event.amount(),
                event.currency(), false, token, recordedAt);
    }

    @EventHandler
    void on(SpendCorrectedEvent event, @MessageIdentifier String eventId, @Timestamp Instant recordedAt,
            TrackingToken token) {
        persistFact(eventId, event.campaignId(), event.spendId(), event.costType(), event.spentOn(),
                event.amount().subtract(event.previousAmount()), event.currency(), true, token, recordedAt);
    }

    /** Never skipped: parked with its aggregate's later events (see {@link UnknownEventType}). */
    @EventHandler
    void on(UnknownSerializedType unknown) {
        throw new UnknownEventType(unknown);
    }

    @ResetHandler
    void reset() {
        SpendFact.deleteAll();
        CampaignRow.deleteAll();
    }

    private void persistFact(String eventId, String campaignId, String spendId, CostType costType,
                                    LocalDate spentOn, BigDecimal amountDelta, String currency, boolean correction,
                                    TrackingToken token, Instant recordedAt) {
        SpendFact fact = new SpendFact();
        fact.eventId = eventId;
        fact.campaignId = campaignId;
        fact.spendId = spendId;
        fact.costType = costType;
        fact.spentOn = spentOn;
        fact.amountDelta = amountDelta;
        fact.currency = currency;
        fact.correction = correction;
        fact.position = Positions.of(token);
        fact.recordedAt = recordedAt;
        fact.appliedBy = nodeId;
        fact.persist();
    }
}
