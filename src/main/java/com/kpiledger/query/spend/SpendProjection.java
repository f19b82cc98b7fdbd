package com.kpiledger.query.spend;

import com.kpiledger.coreapi.campaign.CampaignEndedEvent;
import com.kpiledger.coreapi.campaign.CampaignLaunchedEvent;
import com.kpiledger.coreapi.campaign.CostType;
import com.kpiledger.coreapi.campaign.SpendCorrectedEvent;
import com.kpiledger.coreapi.campaign.SpendRecordedEvent;
import com.kpiledger.query.Positions;
import com.kpiledger.query.UnknownEventType;
import jakarta.inject.Singleton;
import jakarta.persistence.FlushModeType;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.annotation.MessageIdentifier;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.serialization.UnknownSerializedType;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The "spend" read model: campaigns, their spend facts and the facts' monthly sums ({@link SpendMonthRow}). Written in
 * the transaction that advances this processor's token, so each event is applied exactly once; recorded time comes
 * from the event, never from the clock. A campaign's events are handled by one segment, so its month rows are never
 * written by two batches at once.
 */
@Singleton
@ProcessingGroup(SpendProjection.PROCESSING_GROUP)
public class SpendProjection {

    public static final String PROCESSING_GROUP = "spend";

    /** The month rows of the batch being handled (a resource of the batch's unit of work). */
    private static final String BATCH_MONTHS = SpendProjection.class.getName() + "/months";
    /** Campaign ids per query when loading a batch's month rows. */
    private static final int CAMPAIGNS_PER_QUERY = 500;

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
        SpendMonthRow.deleteAll();
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
        addToMonth(fact);
    }

    /** Adds the fact to its month's row, creating the row with the month's first fact. */
    static void addToMonth(SpendFact fact) {
        SpendMonthRow.Key key = SpendMonthRow.keyOf(fact);
        BatchMonths batch = batchMonths();
        SpendMonthRow row = batch != null && batch.keys.contains(key) ? batch.rows.get(key) : SpendMonthRow.findById(key);
        if (row == null) {
            row = SpendMonthRow.empty(key);
            row.persist();
            if (batch != null) {
                batch.rows.put(key, row);
            }
        }
        row.add(fact);
    }

    /**
     * The month rows of the batch's spend facts, loaded with one query per {@value #CAMPAIGNS_PER_QUERY} campaigns per
     * batch, so a missing row costs no query either; rows created in the batch are added as they are persisted. Null
     * when events are handled one by one.
     */
    private static BatchMonths batchMonths() {
        if (!CurrentUnitOfWork.isStarted()
                || !(CurrentUnitOfWork.get().root() instanceof BatchingUnitOfWork<?> batch)) {
            return null;
        }
        return batch.getOrComputeResource(BATCH_MONTHS, name -> {
            Set<SpendMonthRow.Key> keys = new HashSet<>();
            for (Message<?> message : batch.getMessages()) {
                if (message instanceof EventMessage<?> event) {
                    try {
                        if (event.getPayload() instanceof SpendRecordedEvent recorded) {
                            keys.add(new SpendMonthRow.Key(recorded.campaignId(), recorded.costType(),
                                    recorded.currency(), SpendMonthRow.monthOf(recorded.spentOn()),
                                    SpendMonthRow.monthOf(event.getTimestamp())));
                        } else if (event.getPayload() instanceof SpendCorrectedEvent corrected) {
                            keys.add(new SpendMonthRow.Key(corrected.campaignId(), corrected.costType(),
                                    corrected.currency(), SpendMonthRow.monthOf(corrected.spentOn()),
                                    SpendMonthRow.monthOf(event.getTimestamp())));
                        }
                    } catch (RuntimeException unreadable) {
                        // left to its own handling, which fails and parks it as it always did
                    }
                }
            }
            BatchMonths loaded = new BatchMonths(keys, new HashMap<>());
            List<String> campaigns = keys.stream().map(key -> key.campaignId).distinct().toList();
            Set<LocalDate> months = new HashSet<>();
            keys.forEach(key -> months.add(key.spentMonth));
            for (int from = 0; from < campaigns.size(); from += CAMPAIGNS_PER_QUERY) {
                // COMMIT: no flush of the batch's pending inserts in the middle of the batch
                for (SpendMonthRow row : SpendMonthRow.getEntityManager()
                        .createQuery("FROM SpendMonthRow WHERE campaignId IN :ids AND spentMonth IN :months",
                                SpendMonthRow.class)
                        .setParameter("ids", campaigns.subList(from, Math.min(campaigns.size(), from + CAMPAIGNS_PER_QUERY)))
                        .setParameter("months", months)
                        .setFlushMode(FlushModeType.COMMIT)
                        .getResultList()) {
                    loaded.rows.put(new SpendMonthRow.Key(row.campaignId, row.costType, row.currency, row.spentMonth,
                            row.recordedMonth), row);
                }
            }
            return loaded;
        });
    }

    /** The month rows of a batch: every row of {@code keys} is in {@code rows}, or does not exist. */
    private record BatchMonths(Set<SpendMonthRow.Key> keys, Map<SpendMonthRow.Key, SpendMonthRow> rows) {
    }
}
