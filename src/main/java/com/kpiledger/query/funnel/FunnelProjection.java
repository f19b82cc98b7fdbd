package com.kpiledger.query.funnel;

import com.kpiledger.coreapi.lead.CustomerAcquiredEvent;
import com.kpiledger.coreapi.lead.DealClosedEvent;
import com.kpiledger.coreapi.lead.LeadCapturedEvent;
import com.kpiledger.coreapi.lead.LeadDisqualifiedEvent;
import com.kpiledger.coreapi.lead.LeadEvent;
import com.kpiledger.coreapi.lead.LeadQualifiedEvent;
import com.kpiledger.coreapi.lead.Stage;
import com.kpiledger.query.Positions;
import com.kpiledger.query.UnknownEventType;
import jakarta.inject.Singleton;
import jakarta.persistence.FlushModeType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.annotation.MessageIdentifier;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.serialization.UnknownSerializedType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The "funnel" read model: leads, every stage entry (reported or implied), disqualifications and deals. A lead's
 * events come in stream order, its capture first, so its attribution is always known when later facts arrive.
 */
@Singleton
@ProcessingGroup(FunnelProjection.PROCESSING_GROUP)
public class FunnelProjection {

    public static final String PROCESSING_GROUP = "funnel";

    /** The leads of the batch being handled, keyed by id (a resource of the batch's unit of work). */
    private static final String BATCH_LEADS = FunnelProjection.class.getName() + "/leads";
    /** The first-entry rows of the batch's leads (a resource of the batch's unit of work). */
    private static final String BATCH_FIRST_ENTRIES = FunnelProjection.class.getName() + "/first-entries";
    /** Ids per query when loading a batch's leads (well under every driver's parameter limit). */
    private static final int IDS_PER_QUERY = 500;
    /** Event types whose facts copy the attribution of an earlier captured lead. */
    private static final Set<Class<?>> NEEDS_LEAD = Set.of(LeadQualifiedEvent.class, LeadDisqualifiedEvent.class,
            DealClosedEvent.class, CustomerAcquiredEvent.class);

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
        LeadRow lead = lead(event.leadId());
        enter(lead, eventId, FunnelStage.of(event.stage()), event.qualifiedAt(), false, token, recordedAt);
        for (Stage implied : event.impliedStages()) {
            enter(lead, eventId, FunnelStage.of(implied), event.qualifiedAt(), true, token, recordedAt);
        }
    }

    @EventHandler
    void on(LeadDisqualifiedEvent event, @MessageIdentifier String eventId, @Timestamp Instant recordedAt,
            TrackingToken token) {
        LeadRow lead = lead(event.leadId());
        Disqualification fact = new Disqualification();
        fact.recordedFrom(lead, eventId, Positions.of(token), recordedAt, nodeId);
        fact.reason = event.reason();
        fact.disqualifiedAt = event.disqualifiedAt();
        fact.persist();
    }

    @EventHandler
    void on(DealClosedEvent event, @MessageIdentifier String eventId, @Timestamp Instant recordedAt,
            TrackingToken token) {
        LeadRow lead = lead(event.leadId());
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
        enter(lead(event.leadId()), eventId, FunnelStage.CUSTOMER, event.acquiredAt(), false, token,
                recordedAt);
    }

    /** Never skipped: parked with its aggregate's later events (see {@link UnknownEventType}). */
    @EventHandler
    void on(UnknownSerializedType unknown) {
        throw new UnknownEventType(unknown);
    }

    @ResetHandler
    void reset() {
        StageMonthRow.deleteAll();
        FirstEntryRow.deleteAll();
        StageEntry.deleteAll();
        Disqualification.deleteAll();
        DealFact.deleteAll();
        LeadRow.deleteAll();
    }

    /**
     * The captured lead, with its attribution. A lead is usually captured long before its later facts, so one
     * primary-key SELECT per event was most of a rebuild's database round trips: the batch's leads are loaded with
     * one query per batch instead, in the batch's own transaction (no cache outlives it, so a reset or another
     * node's writes can never leave a stale attribution behind). A lead captured in this same batch is not in the
     * database yet; it is found in the persistence context by {@code findById}, as before.
     */
    private LeadRow lead(String leadId) {
        LeadRow lead = batchLeads().get(leadId);
        return lead != null ? lead : LeadRow.findById(leadId);
    }

    private static Map<String, LeadRow> batchLeads() {
        BatchingUnitOfWork<?> batch = currentBatch();
        if (batch == null) {
            return Map.of();
        }
        return batch.getOrComputeResource(BATCH_LEADS, key -> {
            Map<String, LeadRow> leads = new HashMap<>();
            // only the events that copy an earlier lead's attribution need it loaded
            for (LeadRow lead : loadByLeadIds(LeadRow.class, leadIds(batch, NEEDS_LEAD::contains))) {
                leads.put(lead.leadId, lead);
            }
            return leads;
        });
    }

    /** The batch's root unit of work, or null when events are handled one by one. */
    private static BatchingUnitOfWork<?> currentBatch() {
        if (!CurrentUnitOfWork.isStarted()) {
            return null;
        }
        return CurrentUnitOfWork.get().root() instanceof BatchingUnitOfWork<?> batch ? batch : null;
    }

    /** The leads of the batch's events whose payload type is {@code wanted}, in the batch's order. */
    private static Set<String> leadIds(BatchingUnitOfWork<?> batch, Predicate<Class<?>> wanted) {
        Set<String> ids = new LinkedHashSet<>();
        for (Message<?> message : batch.getMessages()) {
            if (!wanted.test(message.getPayloadType())) {
                continue;
            }
            try {
                ids.add(((LeadEvent) message.getPayload()).leadId());
            } catch (RuntimeException unreadable) {
                // left to its own handling, which fails and parks it as it always did
            }
        }
        return ids;
    }

    /** The rows of {@code entity} of these leads, {@value #IDS_PER_QUERY} leads per query. */
    private static <T> List<T> loadByLeadIds(Class<T> entity, Set<String> leadIds) {
        List<T> rows = new ArrayList<>();
        List<String> all = new ArrayList<>(leadIds);
        for (int from = 0; from < all.size(); from += IDS_PER_QUERY) {
            // COMMIT: no flush of the batch's pending inserts in the middle of the batch (they are found by findById,
            // or for first entries added to the batch's map as they are persisted)
            rows.addAll(LeadRow.getEntityManager()
                    .createQuery("FROM " + entity.getSimpleName() + " WHERE leadId IN :ids", entity)
                    .setParameter("ids", all.subList(from, Math.min(all.size(), from + IDS_PER_QUERY)))
                    .setFlushMode(FlushModeType.COMMIT)
                    .getResultList());
        }
        return rows;
    }

    private void enter(LeadRow lead, String eventId, FunnelStage stage, Instant enteredAt, boolean implied,
                              TrackingToken token, Instant recordedAt) {
        StageEntry entry = new StageEntry();
        entry.recordedFrom(lead, eventId, Positions.of(token), recordedAt, nodeId);
        entry.stage = stage;
        entry.enteredAt = enteredAt;
        entry.implied = implied;
        entry.persist();
        count(entry);
    }

    /**
     * Adds the entry to its lead's first-entry row for the stage, creating the row with the pair's first entry; a pair
     * is counted in its month's {@link StageMonthRow} while it has one entry.
     */
    static void count(StageEntry entry) {
        FirstEntryRow first = firstEntry(entry.leadId, entry.stage);
        if (first != null) {
            if (first.entries == 1) {
                StageMonths.uncounted(first, entry.position);
            }
            first.add(entry);
            return;
        }
        first = FirstEntryRow.of(entry);
        first.persist();
        StageMonths.counted(first);
        BatchFirstEntries batch = batchFirstEntries();
        if (batch != null) {
            batch.rows.put(new FirstEntryRow.Key(first.leadId, first.stage), first);
        }
    }

    /**
     * The lead's row for the stage, or null if it has none yet. Within a batch, the rows of every lead the batch
     * concerns are loaded with one query per batch, so a missing row costs no query either (most entries are a
     * lead's first into its stage); rows created in the batch are added as they are persisted.
     */
    private static FirstEntryRow firstEntry(String leadId, FunnelStage stage) {
        FirstEntryRow.Key key = new FirstEntryRow.Key(leadId, stage);
        BatchFirstEntries batch = batchFirstEntries();
        if (batch != null && batch.leadIds.contains(leadId)) {
            return batch.rows.get(key);
        }
        return FirstEntryRow.findById(key);
    }

    private static BatchFirstEntries batchFirstEntries() {
        BatchingUnitOfWork<?> batch = currentBatch();
        if (batch == null) {
            return null;
        }
        return batch.getOrComputeResource(BATCH_FIRST_ENTRIES, key -> {
            Set<String> leadIds = leadIds(batch, LeadEvent.class::isAssignableFrom);
            BatchFirstEntries loaded = new BatchFirstEntries(leadIds, new HashMap<>());
            for (FirstEntryRow first : loadByLeadIds(FirstEntryRow.class, leadIds)) {
                loaded.rows.put(new FirstEntryRow.Key(first.leadId, first.stage), first);
            }
            return loaded;
        });
    }

    /** The first-entry rows of a batch's leads: every row of {@code leadIds} is in {@code rows}, or does not exist. */
    private record BatchFirstEntries(Set<String> leadIds, Map<FirstEntryRow.Key, FirstEntryRow> rows) {
    }
}
