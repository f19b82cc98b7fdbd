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
import com.kpiledger.coreapi.lead.LeadEvent;
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
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * KPI facts folded in memory from raw events, with no read-model table involved: the independent side of a
 * verification. It answers the same questions as {@link com.kpiledger.query.kpi.KpiReadModel}, in plain Java.
 *
 * <p>It keeps only what the answers read, and compactly, because it folds the whole store and its size is what a
 * verification needs in heap: the "as known at" cut of the question is applied while folding (every load of one
 * question has the same cut), a lead's entries are reduced to its first entry (and first reported entry) per stage as
 * they arrive, attributions are shared, and spend lines are kept as columns of primitives. Money keeps its exact
 * unscaled value and scale, and every sum adds the same terms as a sum over the events would, so the answers are
 * those of a fold that kept every event.
 */
final class FoldedFacts implements KpiFactSource {

    private static final FunnelStage[] STAGES = FunnelStage.values();

    /** Facts recorded after this are not kept (null: all are); the only cut the loads accept. */
    private final Instant knownAt;

    private record Campaign(String channel, String currency) {
    }

    /** Launched campaigns (known ones only) in launch order; a later launch of the same id replaces the earlier. */
    private final Map<String, Campaign> campaigns = new LinkedHashMap<>();

    /** Every attribution once: tens of campaigns and channels, not one object per lead. */
    private final Map<Attribution, Attribution> attributions = new HashMap<>();

    /**
     * Leads by slot. A lead is captured once (a recapture is idempotent or refused), so a slot is a lead; were a
     * lead captured again, the new capture would get its own slot, as a fact keyed by lead and attribution would.
     */
    private final Map<String, Integer> slotOfLead = new HashMap<>();
    private final List<String> leadIds = new ArrayList<>();
    private final List<Attribution> leadAttributions = new ArrayList<>();
    /** Per slot and stage: the first entry's instant, and the first reported (not implied) entry's; null: none. */
    private Instant[] firstAt = new Instant[1024 * STAGES.length];
    private Instant[] firstReported = new Instant[1024 * STAGES.length];
    private boolean[] disqualifiedSlot = new boolean[1024];

    private final SpendLines spend = new SpendLines();

    private record Disqualified(Attribution attribution, Instant at) {
    }

    private final List<Disqualified> disqualifications = new ArrayList<>();

    private record Deal(String leadId, Attribution attribution, DealOutcome outcome, BigDecimal amount,
                        String currency, BigDecimal grossMargin, Instant closedAt) {
    }

    private final List<Deal> deals = new ArrayList<>();

    /** @param knownAt the question's "as known at" (null: everything stored); facts recorded after it are left out */
    FoldedFacts(Instant knownAt) {
        this.knownAt = knownAt;
    }

    /** Applies one stored event; events of other kinds carry no KPI fact. */
    void apply(Object payload, Instant recordedAt) {
        boolean known = knownAt == null || !recordedAt.isAfter(knownAt);
        if (payload instanceof LeadCapturedEvent e) {
            // the attribution holds for the lead's later events whenever it was recorded; only the entry is a fact
            int slot = capture(e.leadId(), attribution(e.campaignId(), e.channel()));
            if (known) {
                enter(slot, FunnelStage.LEAD, e.capturedAt(), false);
            }
            return;
        }
        if (payload instanceof CampaignLaunchedEvent e) {
            // the last launch of an id is the campaign's; an unknown last launch leaves it unknown
            campaigns.remove(e.campaignId());
            if (known) {
                campaigns.put(e.campaignId(), new Campaign(e.channel(), e.currency()));
            }
            return;
        }
        if (!known) {
            if (payload instanceof LeadQualifiedEvent || payload instanceof LeadDisqualifiedEvent
                    || payload instanceof DealClosedEvent || payload instanceof CustomerAcquiredEvent) {
                // refused whether known or not, like any event whose lead was never captured
                slotOf(((LeadEvent) payload).leadId());
            }
            return;
        }
        if (payload instanceof SpendRecordedEvent e) {
            spend.add(e.campaignId(), e.costType(), e.spentOn(), e.amount(), e.currency());
        } else if (payload instanceof SpendCorrectedEvent e) {
            spend.add(e.campaignId(), e.costType(), e.spentOn(), e.amount().subtract(e.previousAmount()), e.currency());
        } else if (payload instanceof LeadQualifiedEvent e) {
            int slot = slotOf(e.leadId());
            enter(slot, FunnelStage.of(e.stage()), e.qualifiedAt(), false);
            for (Stage implied : e.impliedStages()) {
                enter(slot, FunnelStage.of(implied), e.qualifiedAt(), true);
            }
        } else if (payload instanceof LeadDisqualifiedEvent e) {
            int slot = slotOf(e.leadId());
            disqualifiedSlot[slot] = true;
            disqualifications.add(new Disqualified(leadAttributions.get(slot), e.disqualifiedAt()));
        } else if (payload instanceof DealClosedEvent e) {
            int slot = slotOf(e.leadId());
            deals.add(new Deal(e.leadId(), leadAttributions.get(slot), e.outcome(), e.amount(), e.currency(),
                    e.grossMargin(), e.closedAt()));
            for (Stage implied : e.impliedStages()) {
                enter(slot, FunnelStage.of(implied), e.closedAt(), true);
            }
        } else if (payload instanceof CustomerAcquiredEvent e) {
            enter(slotOf(e.leadId()), FunnelStage.CUSTOMER, e.acquiredAt(), false);
        }
    }

    private Attribution attribution(String campaignId, String channel) {
        Attribution attribution = new Attribution(campaignId, channel);
        return attributions.computeIfAbsent(attribution, a -> a);
    }

    private int capture(String leadId, Attribution attribution) {
        if (slotOfLead.containsKey(leadId)) {
            // captured again (the service never stores this): its facts stay keyed by lead and attribution, so the
            // same attribution goes on in its earlier slot and another one starts its own
            for (int earlier = 0; earlier < leadIds.size(); earlier++) {
                if (leadIds.get(earlier).equals(leadId) && leadAttributions.get(earlier).equals(attribution)) {
                    slotOfLead.put(leadId, earlier);
                    return earlier;
                }
            }
        }
        int slot = leadIds.size();
        leadIds.add(leadId);
        leadAttributions.add(attribution);
        slotOfLead.put(leadId, slot);
        if (slot == disqualifiedSlot.length) {
            int slots = slot * 2;
            disqualifiedSlot = Arrays.copyOf(disqualifiedSlot, slots);
            firstAt = Arrays.copyOf(firstAt, slots * STAGES.length);
            firstReported = Arrays.copyOf(firstReported, slots * STAGES.length);
        }
        return slot;
    }

    /** The lead's slot; an event of a lead never captured is a store the service did not write. */
    private int slotOf(String leadId) {
        Integer slot = slotOfLead.get(leadId);
        if (slot == null) {
            throw new IllegalStateException("event of lead '" + leadId + "' before its capture");
        }
        return slot;
    }

    private void enter(int slot, FunnelStage stage, Instant at, boolean implied) {
        int index = slot * STAGES.length + stage.ordinal();
        if (firstAt[index] == null || at.isBefore(firstAt[index])) {
            firstAt[index] = at;
        }
        if (!implied && (firstReported[index] == null || at.isBefore(firstReported[index]))) {
            firstReported[index] = at;
        }
    }

    private void checkCut(KpiScope scope) {
        if (!Objects.equals(scope.knownAt(), knownAt)) {
            throw new IllegalArgumentException("facts folded as known at " + knownAt + ", asked as known at "
                    + scope.knownAt());
        }
    }

    @Override
    public String resolveCurrency(KpiScope scope, long position) {
        checkCut(scope);
        if (scope.currency() != null) {
            return scope.currency();
        }
        Set<String> currencies = new TreeSet<>();
        campaigns.forEach((id, campaign) -> {
            if ((scope.campaignId() == null || scope.campaignId().equals(id))
                    && (scope.channel() == null || scope.channel().equals(campaign.channel()))) {
                currencies.add(campaign.currency());
            }
        });
        if (currencies.isEmpty()) {
            deals.stream()
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
        checkCut(scope);
        boolean withFunnelDetail = detail == Detail.PERIOD_FUNNEL;
        Map<String, String> channels = new HashMap<>();
        Map<String, String> currencies = new HashMap<>();
        campaigns.forEach((id, campaign) -> {
            channels.put(id, campaign.channel());
            currencies.put(id, campaign.currency());
        });
        Instant from = start(scope.from());
        Instant to = start(scope.to());
        List<KpiInputs.FirstEntry> inPeriod = new ArrayList<>();
        for (int slot = 0; slot < leadIds.size(); slot++) {
            for (FunnelStage stage : STAGES) {
                int index = slot * STAGES.length + stage.ordinal();
                Instant at = firstAt[index];
                if (at != null && inPeriod(from, to, at)) {
                    Instant reported = firstReported[index];
                    inPeriod.add(new KpiInputs.FirstEntry(leadIds.get(slot), leadAttributions.get(slot), stage, at,
                            reported == null || reported.isAfter(at)));
                }
            }
        }
        return new KpiInputs(currency, channels, currencies,
                currency == null ? List.of() : spend.sums(scope.from(), scope.to(), currency),
                KpiInputs.StageCount.countAll(inPeriod),
                detail == Detail.COHORT_FUNNEL ? inPeriod : List.of(),
                currency == null ? List.of() : wonDeals(from, to, currency),
                currency == null ? List.of() : newCustomers(from, to, currency),
                withFunnelDetail ? sqlTimings(from, to) : List.of(),
                withFunnelDetail ? disqualified(from, to) : List.of());
    }

    @Override
    public List<CohortLead> cohort(KpiScope scope, long position) {
        checkCut(scope);
        Instant from = start(scope.from());
        Instant to = start(scope.to());
        Set<String> disqualified = new HashSet<>();
        for (int slot = 0; slot < leadIds.size(); slot++) {
            if (disqualifiedSlot[slot]) {
                disqualified.add(leadIds.get(slot));
            }
        }
        Map<String, CohortLead> members = new LinkedHashMap<>();
        for (int slot = 0; slot < leadIds.size(); slot++) {
            for (FunnelStage stage : STAGES) {
                Instant at = firstAt[slot * STAGES.length + stage.ordinal()];
                if (at != null && inPeriod(from, to, at)) {
                    int member = slot;
                    members.computeIfAbsent(leadIds.get(slot), leadId -> new CohortLead(leadId,
                            leadAttributions.get(member), EnumSet.noneOf(FunnelStage.class),
                            disqualified.contains(leadId)));
                }
            }
        }
        for (int slot = 0; slot < leadIds.size(); slot++) {
            CohortLead member = members.get(leadIds.get(slot));
            if (member == null) {
                continue;
            }
            for (FunnelStage stage : STAGES) {
                if (firstAt[slot * STAGES.length + stage.ordinal()] != null) {
                    member.reached().add(stage);
                }
            }
        }
        return List.copyOf(members.values());
    }

    private List<KpiInputs.WonDeal> wonDeals(Instant from, Instant to, String currency) {
        Map<Attribution, BigDecimal[]> sums = new LinkedHashMap<>();
        for (Deal deal : deals) {
            if (deal.outcome() == DealOutcome.WON && currency.equals(deal.currency())
                    && inPeriod(from, to, deal.closedAt())) {
                BigDecimal[] sum = sums.computeIfAbsent(deal.attribution(), a -> new BigDecimal[]{BigDecimal.ZERO, BigDecimal.ZERO});
                sum[0] = sum[0].add(deal.amount());
                sum[1] = sum[1].add(deal.amount().multiply(deal.grossMargin()));
            }
        }
        List<KpiInputs.WonDeal> won = new ArrayList<>();
        sums.forEach((attribution, sum) -> won.add(new KpiInputs.WonDeal(attribution, sum[0], sum[1])));
        return won;
    }

    /** Customers acquired in the period with their LTV: every WON deal known in the currency, whenever closed. */
    private List<KpiInputs.CustomerValue> newCustomers(Instant from, Instant to, String currency) {
        Map<String, BigDecimal> ltvs = new HashMap<>();
        for (Deal deal : deals) {
            if (deal.outcome() == DealOutcome.WON && currency.equals(deal.currency())) {
                ltvs.merge(deal.leadId(), deal.amount().multiply(deal.grossMargin()), BigDecimal::add);
            }
        }
        List<KpiInputs.CustomerValue> customers = new ArrayList<>();
        for (int slot = 0; slot < leadIds.size(); slot++) {
            Instant at = firstAt[slot * STAGES.length + FunnelStage.CUSTOMER.ordinal()];
            if (at == null || !inPeriod(from, to, at)) {
                continue;
            }
            BigDecimal ltv = ltvs.get(leadIds.get(slot));
            if (ltv != null) {
                customers.add(new KpiInputs.CustomerValue(leadIds.get(slot), leadAttributions.get(slot), ltv));
            }
        }
        return customers;
    }

    private List<KpiInputs.SqlTiming> sqlTimings(Instant from, Instant to) {
        List<KpiInputs.SqlTiming> timings = new ArrayList<>();
        for (int slot = 0; slot < leadIds.size(); slot++) {
            Instant sql = firstAt[slot * STAGES.length + FunnelStage.SQL.ordinal()];
            Instant mql = firstAt[slot * STAGES.length + FunnelStage.MQL.ordinal()];
            if (sql != null && mql != null && inPeriod(from, to, sql)) {
                timings.add(new KpiInputs.SqlTiming(leadIds.get(slot), leadAttributions.get(slot), mql, sql));
            }
        }
        return timings;
    }

    private List<Attribution> disqualified(Instant from, Instant to) {
        return disqualifications.stream()
                .filter(d -> inPeriod(from, to, d.at()))
                .map(Disqualified::attribution)
                .toList();
    }

    private static boolean inPeriod(Instant from, Instant to, Instant at) {
        return !at.isBefore(from) && at.isBefore(to);
    }

    private static Instant start(LocalDate date) {
        return date.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /**
     * Spend facts (recorded amounts and correction deltas) as columns: a campaign and a currency by index, the cost
     * type by ordinal, the day as an epoch day and the amount as its unscaled value and scale, which give back an
     * equal BigDecimal (an amount whose unscaled value does not fit a long is kept as it is, aside).
     */
    private static final class SpendLines {
        private static final CostType[] COST_TYPES = CostType.values();

        private final Map<String, Integer> campaignIndex = new HashMap<>();
        private final List<String> campaignIds = new ArrayList<>();
        private final Map<String, Integer> currencyIndex = new HashMap<>();
        private final List<String> currencyCodes = new ArrayList<>();
        private final Map<Integer, BigDecimal> wideAmounts = new HashMap<>();
        private int size;
        private int[] campaign = new int[1024];
        private int[] currency = new int[1024];
        private byte[] costType = new byte[1024];
        private long[] day = new long[1024];
        private long[] unscaled = new long[1024];
        private int[] scale = new int[1024];

        void add(String campaignId, CostType type, LocalDate spentOn, BigDecimal amount, String currencyCode) {
            if (size == day.length) {
                int capacity = size * 2;
                campaign = Arrays.copyOf(campaign, capacity);
                currency = Arrays.copyOf(currency, capacity);
                costType = Arrays.copyOf(costType, capacity);
                day = Arrays.copyOf(day, capacity);
                unscaled = Arrays.copyOf(unscaled, capacity);
                scale = Arrays.copyOf(scale, capacity);
            }
            campaign[size] = index(campaignId, campaignIndex, campaignIds);
            currency[size] = index(currencyCode, currencyIndex, currencyCodes);
            costType[size] = (byte) type.ordinal();
            day[size] = spentOn.toEpochDay();
            if (amount.unscaledValue().bitLength() < Long.SIZE) {
                unscaled[size] = amount.unscaledValue().longValueExact();
                scale[size] = amount.scale();
            } else {
                wideAmounts.put(size, amount);
            }
            size++;
        }

        private static int index(String value, Map<String, Integer> indexes, List<String> values) {
            return indexes.computeIfAbsent(value, v -> {
                values.add(v);
                return values.size() - 1;
            });
        }

        private BigDecimal amount(int line) {
            BigDecimal wide = wideAmounts.isEmpty() ? null : wideAmounts.get(line);
            return wide != null ? wide : BigDecimal.valueOf(unscaled[line], scale[line]);
        }

        /** Σ per campaign and cost type of the lines in {@code currency} spent in [from, to), in order of appearance. */
        List<KpiInputs.SpendAmount> sums(LocalDate from, LocalDate to, String currencyCode) {
            Integer wanted = currencyIndex.get(currencyCode);
            if (wanted == null) {
                return List.of();
            }
            long first = from.toEpochDay();
            long end = to.toEpochDay();
            Map<Integer, Map<CostType, BigDecimal>> sums = new LinkedHashMap<>();
            for (int line = 0; line < size; line++) {
                if (currency[line] == wanted && day[line] >= first && day[line] < end) {
                    sums.computeIfAbsent(campaign[line], id -> new LinkedHashMap<>())
                            .merge(COST_TYPES[costType[line]], amount(line), BigDecimal::add);
                }
            }
            List<KpiInputs.SpendAmount> amounts = new ArrayList<>();
            sums.forEach((campaignId, byType) -> byType.forEach((type, amount) ->
                    amounts.add(new KpiInputs.SpendAmount(campaignIds.get(campaignId), type, amount))));
            return amounts;
        }
    }
}
