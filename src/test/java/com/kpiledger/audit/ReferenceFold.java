package com.kpiledger.audit;

import com.kpiledger.coreapi.campaign.CampaignLaunchedEvent;
import com.kpiledger.coreapi.campaign.CostType;
import com.kpiledger.coreapi.campaign.SpendCorrectedEvent;
import com.kpiledger.coreapi.campaign.SpendRecordedEvent;
import com.kpiledger.coreapi.kpi.KpiScope;
import com.kpiledger.coreapi.lead.CustomerAcquiredEvent;
import com.kpiledger.coreapi.lead.DealClosedEvent;
import com.kpiledger.coreapi.lead.DealOutcome;
import com.kpiledger.coreapi.lead.LeadCapturedEvent;
import com.kpiledger.coreapi.lead.LeadDisqualifiedEvent;
import com.kpiledger.coreapi.lead.LeadQualifiedEvent;
import com.kpiledger.coreapi.lead.Stage;
import com.kpiledger.coreapi.shared.InvalidCommandException;
import com.kpiledger.query.funnel.FunnelStage;
import com.kpiledger.query.kpi.KpiFactSource;
import com.kpiledger.query.kpi.KpiInputs;
import com.kpiledger.query.kpi.KpiInputs.Attribution;
import com.kpiledger.query.kpi.KpiInputs.CohortLead;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The verification's fold as it was before it was made compact, kept as the reference that
 * {@code FoldedFactsEquivalenceTest} compares {@link FoldedFacts} with: every fact of every event kept with both
 * clocks, cut to a scope (as known at included) only when a question asks.
 */
final class ReferenceFold implements KpiFactSource {

    private record Campaign(String channel, String currency, Instant recordedAt) {
    }

    private record Spend(String campaignId, CostType costType, LocalDate spentOn, BigDecimal amountDelta,
                         String currency, Instant recordedAt) {
    }

    private record Lead(Attribution attribution, Instant capturedAt, Instant recordedAt) {
    }

    private record Entry(String leadId, Attribution attribution, FunnelStage stage, Instant enteredAt,
                         boolean implied, Instant recordedAt) {
    }

    private record Disqualified(String leadId, Attribution attribution, Instant at, Instant recordedAt) {
    }

    private record Deal(String leadId, Attribution attribution, DealOutcome outcome, BigDecimal amount,
                        String currency, BigDecimal grossMargin, Instant closedAt, Instant recordedAt) {
    }

    private final Map<String, Campaign> campaigns = new HashMap<>();
    private final List<Spend> spend = new ArrayList<>();
    private final Map<String, Lead> leads = new LinkedHashMap<>();
    private final List<Entry> entries = new ArrayList<>();
    private final List<Disqualified> disqualifications = new ArrayList<>();
    private final List<Deal> deals = new ArrayList<>();

    /** Applies one stored event; events of other kinds (launch details aside) carry no KPI fact. */
    void apply(Object payload, Instant recordedAt) {
        if (payload instanceof CampaignLaunchedEvent e) {
            campaigns.put(e.campaignId(), new Campaign(e.channel(), e.currency(), recordedAt));
        } else if (payload instanceof SpendRecordedEvent e) {
            spend.add(new Spend(e.campaignId(), e.costType(), e.spentOn(), e.amount(), e.currency(), recordedAt));
        } else if (payload instanceof SpendCorrectedEvent e) {
            spend.add(new Spend(e.campaignId(), e.costType(), e.spentOn(), e.amount().subtract(e.previousAmount()),
                    e.currency(), recordedAt));
        } else if (payload instanceof LeadCapturedEvent e) {
            Attribution attribution = new Attribution(e.campaignId(), e.channel());
            leads.put(e.leadId(), new Lead(attribution, e.capturedAt(), recordedAt));
            entries.add(new Entry(e.leadId(), attribution, FunnelStage.LEAD, e.capturedAt(), false, recordedAt));
        } else if (payload instanceof LeadQualifiedEvent e) {
            Attribution attribution = leads.get(e.leadId()).attribution();
            entries.add(new Entry(e.leadId(), attribution, FunnelStage.of(e.stage()), e.qualifiedAt(), false, recordedAt));
            for (Stage implied : e.impliedStages()) {
                entries.add(new Entry(e.leadId(), attribution, FunnelStage.of(implied), e.qualifiedAt(), true, recordedAt));
            }
        } else if (payload instanceof LeadDisqualifiedEvent e) {
            disqualifications.add(new Disqualified(e.leadId(), leads.get(e.leadId()).attribution(), e.disqualifiedAt(),
                    recordedAt));
        } else if (payload instanceof DealClosedEvent e) {
            Attribution attribution = leads.get(e.leadId()).attribution();
            deals.add(new Deal(e.leadId(), attribution, e.outcome(), e.amount(), e.currency(), e.grossMargin(),
                    e.closedAt(), recordedAt));
            for (Stage implied : e.impliedStages()) {
                entries.add(new Entry(e.leadId(), attribution, FunnelStage.of(implied), e.closedAt(), true, recordedAt));
            }
        } else if (payload instanceof CustomerAcquiredEvent e) {
            entries.add(new Entry(e.leadId(), leads.get(e.leadId()).attribution(), FunnelStage.CUSTOMER,
                    e.acquiredAt(), false, recordedAt));
        }
    }

    @Override
    public String resolveCurrency(KpiScope scope, long position) {
        if (scope.currency() != null) {
            return scope.currency();
        }
        Set<String> currencies = new TreeSet<>();
        campaigns.forEach((id, campaign) -> {
            boolean inScope = (scope.campaignId() == null || scope.campaignId().equals(id))
                    && (scope.channel() == null || scope.channel().equals(campaign.channel()));
            if (inScope && known(scope, campaign.recordedAt())) {
                currencies.add(campaign.currency());
            }
        });
        if (currencies.isEmpty()) {
            deals.stream()
                    .filter(d -> known(scope, d.recordedAt()))
                    .filter(d -> scope.campaignId() == null || scope.campaignId().equals(d.attribution().campaignId()))
                    .filter(d -> scope.channel() == null || d.attribution().campaignId() == null
                            && scope.channel().equals(d.attribution().leadChannel()))
                    .forEach(d -> currencies.add(d.currency()));
        }
        if (currencies.size() > 1) {
            throw new InvalidCommandException("currency",
                    "the ledger holds amounts in " + String.join(", ", currencies) + "; name one with currency=");
        }
        return currencies.isEmpty() ? null : currencies.iterator().next();
    }

    @Override
    public KpiInputs load(KpiScope scope, String currency, Detail detail, long position) {
        boolean withFunnelDetail = detail == Detail.PERIOD_FUNNEL;
        Map<String, String> channels = new HashMap<>();
        Map<String, String> currencies = new HashMap<>();
        campaigns.forEach((id, campaign) -> {
            if (known(scope, campaign.recordedAt())) {
                channels.put(id, campaign.channel());
                currencies.put(id, campaign.currency());
            }
        });
        Map<FirstKey, First> firsts = firstEntries(scope);
        List<KpiInputs.FirstEntry> inPeriod = new ArrayList<>();
        firsts.forEach((key, first) -> {
            if (inPeriod(scope, first.at)) {
                inPeriod.add(new KpiInputs.FirstEntry(key.leadId, key.attribution, key.stage, first.at,
                        first.reported == null || first.reported.isAfter(first.at)));
            }
        });
        return new KpiInputs(currency, channels, currencies,
                currency == null ? List.of() : spend(scope, currency),
                KpiInputs.StageCount.countAll(inPeriod),
                detail == Detail.COHORT_FUNNEL ? inPeriod : List.of(),
                currency == null ? List.of() : wonDeals(scope, currency),
                currency == null ? List.of() : newCustomers(scope, currency, firsts),
                withFunnelDetail ? sqlTimings(scope, firsts) : List.of(),
                withFunnelDetail ? disqualified(scope) : List.of());
    }

    @Override
    public List<CohortLead> cohort(KpiScope scope, long position) {
        Map<FirstKey, First> firsts = firstEntries(scope);
        Map<String, CohortLead> members = new LinkedHashMap<>();
        firsts.forEach((key, first) -> {
            if (inPeriod(scope, first.at)) {
                members.computeIfAbsent(key.leadId, leadId -> new CohortLead(leadId, key.attribution,
                        EnumSet.noneOf(FunnelStage.class), disqualifications.stream()
                        .anyMatch(d -> d.leadId().equals(leadId) && known(scope, d.recordedAt()))));
            }
        });
        firsts.keySet().forEach(key -> {
            CohortLead member = members.get(key.leadId);
            if (member != null) {
                member.reached().add(key.stage);
            }
        });
        return List.copyOf(members.values());
    }

    private List<KpiInputs.SpendAmount> spend(KpiScope scope, String currency) {
        Map<String, Map<CostType, BigDecimal>> sums = new LinkedHashMap<>();
        for (Spend line : spend) {
            if (known(scope, line.recordedAt()) && currency.equals(line.currency())
                    && !line.spentOn().isBefore(scope.from()) && line.spentOn().isBefore(scope.to())) {
                sums.computeIfAbsent(line.campaignId(), id -> new LinkedHashMap<>())
                        .merge(line.costType(), line.amountDelta(), BigDecimal::add);
            }
        }
        List<KpiInputs.SpendAmount> amounts = new ArrayList<>();
        sums.forEach((campaignId, byType) -> byType.forEach((type, amount) ->
                amounts.add(new KpiInputs.SpendAmount(campaignId, type, amount))));
        return amounts;
    }

    private List<KpiInputs.WonDeal> wonDeals(KpiScope scope, String currency) {
        Map<Attribution, BigDecimal[]> sums = new LinkedHashMap<>();
        for (Deal deal : deals) {
            if (deal.outcome() == DealOutcome.WON && currency.equals(deal.currency()) && known(scope, deal.recordedAt())
                    && inPeriod(scope, deal.closedAt())) {
                BigDecimal[] sum = sums.computeIfAbsent(deal.attribution(), a -> new BigDecimal[]{BigDecimal.ZERO, BigDecimal.ZERO});
                sum[0] = sum[0].add(deal.amount());
                sum[1] = sum[1].add(deal.amount().multiply(deal.grossMargin()));
            }
        }
        List<KpiInputs.WonDeal> won = new ArrayList<>();
        sums.forEach((attribution, sum) -> won.add(new KpiInputs.WonDeal(attribution, sum[0], sum[1])));
        return won;
    }

    private List<KpiInputs.CustomerValue> newCustomers(KpiScope scope, String currency, Map<FirstKey, First> firsts) {
        List<KpiInputs.CustomerValue> customers = new ArrayList<>();
        firsts.forEach((key, first) -> {
            if (key.stage != FunnelStage.CUSTOMER || !inPeriod(scope, first.at)) {
                return;
            }
            BigDecimal ltv = null;
            for (Deal deal : deals) {
                if (deal.leadId().equals(key.leadId) && deal.outcome() == DealOutcome.WON
                        && currency.equals(deal.currency()) && known(scope, deal.recordedAt())) {
                    BigDecimal profit = deal.amount().multiply(deal.grossMargin());
                    ltv = ltv == null ? profit : ltv.add(profit);
                }
            }
            if (ltv != null) {
                customers.add(new KpiInputs.CustomerValue(key.leadId, key.attribution, ltv));
            }
        });
        return customers;
    }

    private List<KpiInputs.SqlTiming> sqlTimings(KpiScope scope, Map<FirstKey, First> firsts) {
        List<KpiInputs.SqlTiming> timings = new ArrayList<>();
        firsts.forEach((key, first) -> {
            if (key.stage != FunnelStage.SQL || !inPeriod(scope, first.at)) {
                return;
            }
            First mql = firsts.get(new FirstKey(key.leadId, key.attribution, FunnelStage.MQL));
            if (mql != null) {
                timings.add(new KpiInputs.SqlTiming(key.leadId, key.attribution, mql.at, first.at));
            }
        });
        return timings;
    }

    private List<Attribution> disqualified(KpiScope scope) {
        return disqualifications.stream()
                .filter(d -> known(scope, d.recordedAt()) && inPeriod(scope, d.at()))
                .map(Disqualified::attribution)
                .toList();
    }

    private record FirstKey(String leadId, Attribution attribution, FunnelStage stage) {
    }

    private static final class First {
        Instant at;
        Instant reported;
    }

    /** Every lead's first entry into each stage among the entries known, and its first reported (not implied) entry. */
    private Map<FirstKey, First> firstEntries(KpiScope scope) {
        Map<FirstKey, First> firsts = new LinkedHashMap<>();
        for (Entry entry : entries) {
            if (!known(scope, entry.recordedAt())) {
                continue;
            }
            First first = firsts.computeIfAbsent(new FirstKey(entry.leadId(), entry.attribution(), entry.stage()),
                    key -> new First());
            if (first.at == null || entry.enteredAt().isBefore(first.at)) {
                first.at = entry.enteredAt();
            }
            if (!entry.implied() && (first.reported == null || entry.enteredAt().isBefore(first.reported))) {
                first.reported = entry.enteredAt();
            }
        }
        return firsts;
    }

    private static boolean known(KpiScope scope, Instant recordedAt) {
        return scope.knownAt() == null || !recordedAt.isAfter(scope.knownAt());
    }

    private static boolean inPeriod(KpiScope scope, Instant at) {
        return !at.isBefore(start(scope.from())) && at.isBefore(start(scope.to()));
    }

    private static Instant start(LocalDate date) {
        return date.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

}
