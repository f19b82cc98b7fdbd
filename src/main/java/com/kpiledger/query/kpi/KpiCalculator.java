package com.kpiledger.query.kpi;

import com.kpiledger.coreapi.campaign.CostType;
import com.kpiledger.coreapi.kpi.FunnelView;
import com.kpiledger.coreapi.kpi.FunnelViewKind;
import com.kpiledger.coreapi.kpi.GroupBy;
import com.kpiledger.coreapi.kpi.KpiBreakdownView;
import com.kpiledger.coreapi.kpi.KpiScope;
import com.kpiledger.coreapi.kpi.KpiSummaryView;
import com.kpiledger.query.funnel.FunnelStage;
import com.kpiledger.query.kpi.KpiInputs.Attribution;
import com.kpiledger.query.kpi.KpiInputs.CohortLead;
import com.kpiledger.query.kpi.KpiInputs.CustomerValue;
import com.kpiledger.query.kpi.KpiInputs.FirstEntry;
import com.kpiledger.query.kpi.KpiInputs.SpendAmount;
import com.kpiledger.query.kpi.KpiInputs.SqlTiming;
import com.kpiledger.query.kpi.KpiInputs.StageCount;
import com.kpiledger.query.kpi.KpiInputs.WonDeal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The KPI definitions of kpi-spec §4, as pure arithmetic over {@link KpiInputs}. Exact decimals throughout; results
 * are rounded HALF_EVEN only here, at presentation: money to 2 decimals, rates and ratios to 4. A zero denominator
 * gives null, never 0 or infinity.
 */
public final class KpiCalculator {

    /**
     * Bumped whenever a definition below changes, so a published figure names the rules it was computed by.
     * 2: cohort rates per stage cohort; a currency's figures leave out other currencies' campaigns.
     */
    public static final String DEFINITION_VERSION = "kpi-definitions/2";

    private static final MathContext EXACT = MathContext.DECIMAL128;
    private static final BigDecimal SECONDS_PER_HOUR = BigDecimal.valueOf(3600);

    private final KpiInputs inputs;

    public KpiCalculator(KpiInputs inputs) {
        this.inputs = inputs;
    }

    public KpiSummaryView summary(KpiScope scope, long position, boolean fullyLoaded) {
        Tally total = new Tally();
        tallies().forEach((attribution, tally) -> {
            if (inScope(scope).test(attribution)) {
                total.add(tally);
            }
        });
        return summarize(scope, position, fullyLoaded, total, scope.campaignId(), scope.channel());
    }

    /**
     * One row per campaign (organic leads: campaignId null) or per channel, plus the total of the scope. The facts
     * are tallied once per attribution and the tallies merged per group, so the cost grows with the facts, not with
     * groups × facts. A group gets a row when it has spend, a first entry or a WON deal in the period.
     */
    public KpiBreakdownView breakdown(KpiScope scope, long position, boolean fullyLoaded, GroupBy groupBy) {
        Predicate<Attribution> inScope = inScope(scope);
        Function<Attribution, String> key = groupBy == GroupBy.CAMPAIGN ? Attribution::campaignId : this::channelOf;
        Map<String, Tally> groups = new TreeMap<>(Comparator.nullsLast(Comparator.naturalOrder()));
        Tally total = new Tally();
        tallies().forEach((attribution, tally) -> {
            if (inScope.test(attribution)) {
                groups.computeIfAbsent(key.apply(attribution), group -> new Tally()).add(tally);
                total.add(tally);
            }
        });
        List<KpiSummaryView> rows = new ArrayList<>();
        groups.forEach((group, tally) -> {
            if (!tally.listed) {
                return;
            }
            String campaignId = groupBy == GroupBy.CAMPAIGN ? group : scope.campaignId();
            String channel = groupBy == GroupBy.CAMPAIGN
                    ? (group == null ? null : inputs.campaignChannels().get(group)) : group;
            rows.add(summarize(scope, position, fullyLoaded, tally, campaignId, channel));
        });
        return new KpiBreakdownView(groupBy, rows,
                summarize(scope, position, fullyLoaded, total, scope.campaignId(), scope.channel()));
    }

    public FunnelView periodFunnel(KpiScope scope, long position) {
        Predicate<Attribution> inScope = inScope(scope);
        long[] counts = new long[FunnelStage.values().length];
        long[] implied = new long[FunnelStage.values().length];
        for (StageCount count : inputs.stageCounts()) {
            if (inScope.test(count.attribution())) {
                counts[count.stage().ordinal()] += count.entries();
                implied[count.stage().ordinal()] += count.implied();
            }
        }
        List<FunnelView.Stage> stages = new ArrayList<>();
        long previous = -1;
        for (FunnelStage stage : FunnelStage.values()) {
            long count = counts[stage.ordinal()];
            stages.add(new FunnelView.Stage(stage.name(), count, implied[stage.ordinal()],
                    previous < 0 ? null : rate(ratio(BigDecimal.valueOf(count), BigDecimal.valueOf(previous)))));
            previous = count;
        }
        long disqualified = inputs.disqualifications().stream().filter(inScope).count();
        return new FunnelView(scope.from(), scope.to(), scope.knownAt(), position, FunnelViewKind.PERIOD,
                scope.campaignId(), scope.channel(), stages, disqualified, timeToSql(inScope));
    }

    /**
     * Cohort rates (kpi-spec §4): of the leads that entered stage A in the period, the fraction that have reached the
     * next stage by the query's moment, whenever they reached it. Counts are the period's entries, as in the period view.
     */
    public FunnelView cohortFunnel(KpiScope scope, long position, List<CohortLead> cohort) {
        Predicate<Attribution> inScope = inScope(scope);
        Map<String, CohortLead> members = new HashMap<>();
        cohort.forEach(lead -> members.put(lead.leadId(), lead));
        List<FunnelView.Stage> stages = new ArrayList<>();
        List<String> previousCohort = null;
        for (FunnelStage stage : FunnelStage.values()) {
            List<String> entered = inputs.firstEntries().stream()
                    .filter(entry -> entry.stage() == stage && inScope.test(entry.attribution()))
                    .map(FirstEntry::leadId)
                    .toList();
            BigDecimal rate = null;
            if (previousCohort != null) {
                long reached = previousCohort.stream()
                        .filter(leadId -> members.containsKey(leadId) && members.get(leadId).reached().contains(stage))
                        .count();
                rate = rate(ratio(BigDecimal.valueOf(reached), BigDecimal.valueOf(previousCohort.size())));
            }
            stages.add(new FunnelView.Stage(stage.name(), entered.size(), null, rate));
            previousCohort = entered;
        }
        long disqualified = inputs.firstEntries().stream()
                .filter(entry -> entry.stage() == FunnelStage.LEAD && inScope.test(entry.attribution()))
                .filter(entry -> members.containsKey(entry.leadId()) && members.get(entry.leadId()).disqualified())
                .count();
        return new FunnelView(scope.from(), scope.to(), scope.knownAt(), position, FunnelViewKind.COHORT,
                scope.campaignId(), scope.channel(), stages, disqualified, null);
    }

    private KpiSummaryView summarize(KpiScope scope, long position, boolean fullyLoaded, Tally tally,
                                     String campaignId, String channel) {
        BigDecimal spend = tally.spend;
        BigDecimal salesCost = tally.salesCost;
        BigDecimal mediaSpend = tally.mediaSpend;
        long leads = tally.entries[FunnelStage.LEAD.ordinal()];
        long mqls = tally.entries[FunnelStage.MQL.ordinal()];
        long sqls = tally.entries[FunnelStage.SQL.ordinal()];
        long customers = tally.entries[FunnelStage.CUSTOMER.ordinal()];
        BigDecimal revenue = tally.revenue;
        BigDecimal grossProfit = tally.grossProfit;
        BigDecimal ltvSum = tally.ltvSum;
        long valuedCustomers = tally.valuedCustomers;

        BigDecimal cpl = ratio(spend, BigDecimal.valueOf(leads));
        BigDecimal cac = ratio(fullyLoaded ? spend.add(salesCost) : spend, BigDecimal.valueOf(customers));
        BigDecimal leadToMql = ratio(BigDecimal.valueOf(mqls), BigDecimal.valueOf(leads));
        BigDecimal mqlToSql = ratio(BigDecimal.valueOf(sqls), BigDecimal.valueOf(mqls));
        BigDecimal sqlToCustomer = ratio(BigDecimal.valueOf(customers), BigDecimal.valueOf(sqls));
        BigDecimal conversion = ratio(BigDecimal.valueOf(customers), BigDecimal.valueOf(leads));
        BigDecimal avgLtv = ratio(ltvSum, BigDecimal.valueOf(valuedCustomers));
        BigDecimal ltvToCac = avgLtv == null || cac == null ? null : ratio(avgLtv, cac);
        BigDecimal roi = ratio(grossProfit.subtract(spend), spend);
        BigDecimal roas = ratio(revenue, mediaSpend);

        List<String> flags = new ArrayList<>();
        flagAboveOne(flags, "leadToMqlRate", leadToMql);
        flagAboveOne(flags, "mqlToSqlRate", mqlToSql);
        flagAboveOne(flags, "sqlToCustomerRate", sqlToCustomer);
        flagAboveOne(flags, "leadConversionRate", conversion);

        return new KpiSummaryView(scope.from(), scope.to(), scope.knownAt(), position, inputs.currency(),
                campaignId, channel, fullyLoaded,
                money(spend), money(salesCost), money(mediaSpend),
                leads, mqls, sqls, customers,
                money(cpl), money(cac),
                rate(leadToMql), rate(mqlToSql), rate(sqlToCustomer), rate(conversion),
                money(revenue), money(grossProfit), money(avgLtv), rate(ltvToCac),
                rate(roi), rate(roas),
                List.copyOf(flags));
    }

    private FunnelView.TimeToSql timeToSql(Predicate<Attribution> include) {
        List<Long> seconds = inputs.sqlTimings().stream()
                .filter(timing -> include.test(timing.attribution()))
                .map(KpiCalculator::secondsToSql)
                .sorted()
                .toList();
        if (seconds.isEmpty()) {
            return new FunnelView.TimeToSql(0, null, null);
        }
        int n = seconds.size();
        BigDecimal median = n % 2 == 1 ? BigDecimal.valueOf(seconds.get(n / 2))
                : BigDecimal.valueOf(seconds.get(n / 2 - 1)).add(BigDecimal.valueOf(seconds.get(n / 2)))
                .divide(BigDecimal.valueOf(2), EXACT);
        BigDecimal mean = seconds.stream().map(BigDecimal::valueOf).reduce(BigDecimal.ZERO, BigDecimal::add)
                .divide(BigDecimal.valueOf(n), EXACT);
        return new FunnelView.TimeToSql(n, hours(median), hours(mean));
    }

    private static long secondsToSql(SqlTiming timing) {
        Duration duration = Duration.between(timing.mqlAt(), timing.sqlAt());
        return duration.isNegative() ? 0 : duration.toSeconds();
    }

    /**
     * The facts summed per attribution (a campaign, or an organic lead channel), in one pass over the inputs. Money
     * sums are exact BigDecimal additions, so merging tallies gives the same figures as summing the facts directly.
     */
    private Map<Attribution, Tally> tallies() {
        Map<Attribution, Tally> tallies = new HashMap<>();
        for (SpendAmount line : inputs.spend()) {
            Tally tally = tallies.computeIfAbsent(campaignAttribution(line.campaignId()), a -> new Tally());
            tally.listed = true;
            if (line.costType() == CostType.SALES) {
                tally.salesCost = tally.salesCost.add(line.amount());
            } else {
                tally.spend = tally.spend.add(line.amount());
            }
            if (line.costType() == CostType.MEDIA) {
                tally.mediaSpend = tally.mediaSpend.add(line.amount());
            }
        }
        for (StageCount count : inputs.stageCounts()) {
            Tally tally = tallies.computeIfAbsent(count.attribution(), a -> new Tally());
            tally.listed = true;
            tally.entries[count.stage().ordinal()] += count.entries();
        }
        for (WonDeal deal : inputs.wonDeals()) {
            Tally tally = tallies.computeIfAbsent(deal.attribution(), a -> new Tally());
            tally.listed = true;
            tally.revenue = tally.revenue.add(deal.revenue());
            tally.grossProfit = tally.grossProfit.add(deal.grossProfit());
        }
        for (CustomerValue customer : inputs.newCustomers()) {
            Tally tally = tallies.computeIfAbsent(customer.attribution(), a -> new Tally());
            tally.ltvSum = tally.ltvSum.add(customer.ltv());
            tally.valuedCustomers++;
        }
        return tallies;
    }

    /** Sums of one attribution's or one group's facts. */
    static final class Tally {
        BigDecimal spend = BigDecimal.ZERO;
        BigDecimal salesCost = BigDecimal.ZERO;
        BigDecimal mediaSpend = BigDecimal.ZERO;
        final long[] entries = new long[FunnelStage.values().length];
        BigDecimal revenue = BigDecimal.ZERO;
        BigDecimal grossProfit = BigDecimal.ZERO;
        BigDecimal ltvSum = BigDecimal.ZERO;
        long valuedCustomers;
        /** Spend, a first entry or a WON deal: what gives a group its own breakdown row (new customers alone do not). */
        boolean listed;

        void add(Tally other) {
            spend = spend.add(other.spend);
            salesCost = salesCost.add(other.salesCost);
            mediaSpend = mediaSpend.add(other.mediaSpend);
            for (int i = 0; i < entries.length; i++) {
                entries[i] += other.entries[i];
            }
            revenue = revenue.add(other.revenue);
            grossProfit = grossProfit.add(other.grossProfit);
            ltvSum = ltvSum.add(other.ltvSum);
            valuedCustomers += other.valuedCustomers;
            listed |= other.listed;
        }
    }

    private Predicate<Attribution> inScope(KpiScope scope) {
        return attribution -> (scope.campaignId() == null || scope.campaignId().equals(attribution.campaignId()))
                && (scope.channel() == null || scope.channel().equals(channelOf(attribution)))
                && inCurrency(attribution);
    }

    /** Leads of a campaign run in another currency belong to that currency's figures, not to these. */
    private boolean inCurrency(Attribution attribution) {
        if (attribution.campaignId() == null || inputs.currency() == null) {
            return true;
        }
        String campaignCurrency = inputs.campaignCurrencies().get(attribution.campaignId());
        return campaignCurrency == null || campaignCurrency.equals(inputs.currency());
    }

    /** A campaign's facts carry its channel; an organic lead's its own. */
    String channelOf(Attribution attribution) {
        return attribution.campaignId() != null
                ? inputs.campaignChannels().get(attribution.campaignId()) : attribution.leadChannel();
    }

    private static Attribution campaignAttribution(String campaignId) {
        return new Attribution(campaignId, null);
    }

    private static void flagAboveOne(List<String> flags, String name, BigDecimal rate) {
        if (rate != null && rate.compareTo(BigDecimal.ONE) > 0) {
            flags.add(name + " above 1");
        }
    }

    static BigDecimal ratio(BigDecimal numerator, BigDecimal denominator) {
        if (denominator.signum() == 0) {
            return null;
        }
        return numerator.divide(denominator, EXACT);
    }

    static BigDecimal money(BigDecimal value) {
        return value == null ? null : value.setScale(2, RoundingMode.HALF_EVEN);
    }

    static BigDecimal rate(BigDecimal value) {
        return value == null ? null : value.setScale(4, RoundingMode.HALF_EVEN);
    }

    private static BigDecimal hours(BigDecimal seconds) {
        return seconds.divide(SECONDS_PER_HOUR, EXACT).setScale(2, RoundingMode.HALF_EVEN);
    }
}
