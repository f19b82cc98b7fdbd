package com.kpiledger.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kpiledger.coreapi.audit.FindRestatementQuery;
import com.kpiledger.coreapi.audit.KpiQuestion;
import com.kpiledger.coreapi.audit.RestatementView;
import com.kpiledger.coreapi.campaign.CampaignEvent;
import com.kpiledger.coreapi.campaign.CampaignLaunchedEvent;
import com.kpiledger.coreapi.kpi.FunnelViewKind;
import com.kpiledger.coreapi.kpi.GroupBy;
import com.kpiledger.coreapi.kpi.KpiScope;
import com.kpiledger.coreapi.kpi.KpiSummaryView;
import com.kpiledger.coreapi.lead.LeadCapturedEvent;
import com.kpiledger.coreapi.lead.LeadEvent;
import com.kpiledger.coreapi.shared.LedgerEvent;
import com.kpiledger.query.kpi.KpiQueryHandler;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.queryhandling.QueryHandler;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A restatement report: a period's summary as known at two moments, what differs, and the events recorded in between
 * that belong to the period (by business time) and to the scope (by attribution).
 */
@Singleton
public class Restatements {

    @Inject
    KpiQueryHandler readModels;

    @Inject
    EventStorageEngine storageEngine;

    @Inject
    ObjectMapper json;

    @QueryHandler
    public RestatementView handle(FindRestatementQuery query) {
        KpiScope scope = query.scope();
        KpiSummaryView before = summaryAt(scope, query.earlier());
        KpiSummaryView after = summaryAt(scope, query.later());
        return new RestatementView(query.earlier(), query.later(), before, after, differences(before, after),
                causes(scope, query.earlier(), query.later()));
    }

    private KpiSummaryView summaryAt(KpiScope scope, Instant knownAt) {
        KpiScope at = new KpiScope(scope.from(), scope.to(), scope.campaignId(), scope.channel(), scope.currency(), knownAt);
        return QuarkusTransaction.requiringNew().call(() -> (KpiSummaryView) readModels.answer(
                new KpiQuestion("summary", at, GroupBy.NONE, false, FunnelViewKind.PERIOD), readModels.position(knownAt)));
    }

    private Map<String, BigDecimal> differences(KpiSummaryView before, KpiSummaryView after) {
        JsonNode earlier = json.valueToTree(before);
        JsonNode later = json.valueToTree(after);
        Map<String, BigDecimal> differences = new LinkedHashMap<>();
        later.fieldNames().forEachRemaining(name -> {
            JsonNode a = earlier.get(name);
            JsonNode b = later.get(name);
            if (name.equals("position") || !b.isNumber() && !(a != null && a.isNumber())) {
                return;
            }
            BigDecimal x = a == null || a.isNull() ? null : a.decimalValue();
            BigDecimal y = b.isNull() ? null : b.decimalValue();
            if (!Objects.equals(x, y)) {
                differences.put(name, x == null || y == null ? null : y.subtract(x));
            }
        });
        return differences;
    }

    private List<RestatementView.Cause> causes(KpiScope scope, Instant earlier, Instant later) {
        Map<String, String> campaignChannels = new HashMap<>();
        Map<String, String[]> leadAttribution = new HashMap<>();
        List<RestatementView.Cause> causes = new ArrayList<>();
        try (Stream<? extends TrackedEventMessage<?>> stream = storageEngine.readEvents(null, false)) {
            Iterator<? extends TrackedEventMessage<?>> events = stream.iterator();
            while (events.hasNext()) {
                TrackedEventMessage<?> event = events.next();
                Object payload = event.getPayload();
                if (payload instanceof CampaignLaunchedEvent e) {
                    campaignChannels.put(e.campaignId(), e.channel());
                } else if (payload instanceof LeadCapturedEvent e) {
                    leadAttribution.put(e.leadId(), new String[]{e.campaignId(), e.channel()});
                }
                Instant recordedAt = event.getTimestamp();
                if (!recordedAt.isAfter(earlier) || recordedAt.isAfter(later)
                        || !(payload instanceof LedgerEvent ledgerEvent) || !inPeriod(scope, ledgerEvent.businessTime())
                        || !inScope(scope, payload, campaignChannels, leadAttribution)) {
                    continue;
                }
                String aggregate = event instanceof DomainEventMessage<?> domain ? domain.getAggregateIdentifier() : null;
                causes.add(new RestatementView.Cause(event.trackingToken().position().orElse(-1),
                        event.getPayloadType().getSimpleName(), aggregate, String.valueOf(ledgerEvent.businessTime()),
                        recordedAt, (String) event.getMetaData().get("correlationId")));
            }
        }
        return causes;
    }

    private static boolean inScope(KpiScope scope, Object payload, Map<String, String> campaignChannels,
                                   Map<String, String[]> leadAttribution) {
        if (scope.campaignId() == null && scope.channel() == null) {
            return true;
        }
        String campaignId;
        String channel;
        if (payload instanceof LeadEvent leadEvent) {
            String[] attribution = leadAttribution.getOrDefault(leadEvent.leadId(), new String[2]);
            campaignId = attribution[0];
            channel = campaignId != null ? campaignChannels.get(campaignId) : attribution[1];
        } else if (payload instanceof CampaignEvent campaignEvent) {
            campaignId = campaignEvent.campaignId();
            channel = campaignChannels.get(campaignId);
        } else {
            return false;
        }
        return (scope.campaignId() == null || scope.campaignId().equals(campaignId))
                && (scope.channel() == null || scope.channel().equals(channel));
    }

    private static boolean inPeriod(KpiScope scope, Temporal businessTime) {
        LocalDate day = businessTime instanceof Instant instant
                ? instant.atZone(ZoneOffset.UTC).toLocalDate() : LocalDate.from(businessTime);
        return !day.isBefore(scope.from()) && day.isBefore(scope.to());
    }
}
