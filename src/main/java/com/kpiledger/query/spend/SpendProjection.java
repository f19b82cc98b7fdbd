package com.kpiledger.query.spend;

import com.kpiledger.coreapi.campaign.CampaignEndedEvent;
import com.kpiledger.coreapi.campaign.CampaignLaunchedEvent;
import com.kpiledger.coreapi.campaign.CostType;
import com.kpiledger.coreapi.campaign.SpendCorrectedEvent;
import com.kpiledger.coreapi.campaign.SpendRecordedEvent;
import com.kpiledger.query.BatchUpserts;
import com.kpiledger.query.Positions;
import com.kpiledger.query.UnknownEventType;
import jakarta.inject.Singleton;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.annotation.MessageIdentifier;
import org.axonframework.serialization.UnknownSerializedType;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;

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

    private static final BatchUpserts<MonthKey, MonthChange> MONTHS = new BatchUpserts<>("spend-months",
            "INSERT INTO kpi_spend_month (campaign_id, cost_type, currency, spent_month, recorded_month, amount, facts,"
                    + " max_position, applied_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (campaign_id, cost_type, currency, spent_month, recorded_month) DO UPDATE SET"
                    + " amount = kpi_spend_month.amount + EXCLUDED.amount, facts = kpi_spend_month.facts + EXCLUDED.facts,"
                    + " max_position = GREATEST(kpi_spend_month.max_position, EXCLUDED.max_position),"
                    + " applied_by = EXCLUDED.applied_by",
            "MERGE INTO kpi_spend_month t USING (VALUES (CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(16)),"
                    + " CAST(? AS VARCHAR(3)), CAST(? AS DATE), CAST(? AS DATE), CAST(? AS NUMERIC(24,4)),"
                    + " CAST(? AS INTEGER), CAST(? AS BIGINT), CAST(? AS VARCHAR(255))))"
                    + " s (campaign_id, cost_type, currency, spent_month, recorded_month, amount, facts, max_position,"
                    + " applied_by) ON t.campaign_id = s.campaign_id AND t.cost_type = s.cost_type"
                    + " AND t.currency = s.currency AND t.spent_month = s.spent_month"
                    + " AND t.recorded_month = s.recorded_month"
                    + " WHEN MATCHED THEN UPDATE SET amount = t.amount + s.amount, facts = t.facts + s.facts,"
                    + " max_position = GREATEST(t.max_position, s.max_position), applied_by = s.applied_by"
                    + " WHEN NOT MATCHED THEN INSERT (campaign_id, cost_type, currency, spent_month, recorded_month,"
                    + " amount, facts, max_position, applied_by) VALUES (s.campaign_id, s.cost_type, s.currency,"
                    + " s.spent_month, s.recorded_month, s.amount, s.facts, s.max_position, s.applied_by)",
            MonthChange::new, (statement, key, change) -> {
        statement.setString(1, key.campaignId());
        statement.setString(2, key.costType());
        statement.setString(3, key.currency());
        statement.setObject(4, key.spentMonth());
        statement.setObject(5, key.recordedMonth());
        statement.setBigDecimal(6, change.amount);
        statement.setLong(7, change.facts);
        statement.setLong(8, change.maxPosition);
        statement.setString(9, change.appliedBy);
    });

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

    /** Adds the fact to its month's row (see {@link BatchUpserts}). */
    static void addToMonth(SpendFact fact) {
        SpendMonthRow.Key row = SpendMonthRow.keyOf(fact);
        MONTHS.change(new MonthKey(row.campaignId, row.costType.name(), row.currency, row.spentMonth, row.recordedMonth),
                change -> {
                    change.amount = change.amount.add(fact.amountDelta);
                    change.facts++;
                    change.maxPosition = Math.max(change.maxPosition, fact.position);
                    change.appliedBy = fact.appliedBy;
                });
    }

    /** A month row's key, ordered as the rows are written. */
    private record MonthKey(String campaignId, String costType, String currency, LocalDate spentMonth,
                            LocalDate recordedMonth) implements Comparable<MonthKey> {

        private static final Comparator<MonthKey> ORDER = Comparator.comparing(MonthKey::campaignId)
                .thenComparing(MonthKey::costType).thenComparing(MonthKey::currency)
                .thenComparing(MonthKey::spentMonth).thenComparing(MonthKey::recordedMonth);

        @Override
        public int compareTo(MonthKey other) {
            return ORDER.compare(this, other);
        }
    }

    /** What a batch changes in one month row. */
    private static final class MonthChange {
        BigDecimal amount = BigDecimal.ZERO;
        long facts;
        long maxPosition = -1;
        String appliedBy;
    }
}
