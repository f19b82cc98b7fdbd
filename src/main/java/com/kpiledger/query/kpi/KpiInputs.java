package com.kpiledger.query.kpi;

import com.kpiledger.coreapi.campaign.CostType;
import com.kpiledger.query.funnel.FunnelStage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The facts one KPI answer is computed from, already cut to the period and to what was known at the query's moment.
 * Loaded from the read models ({@link KpiReadModel}); a fold of raw events can produce the same shape, so both paths
 * share one {@link KpiCalculator}.
 *
 * <p>{@code stageCounts} always holds the period's first entries counted per attribution and stage: that is all the
 * summary, breakdown and period funnel need, and it is a few rows per campaign instead of one per lead.
 * {@code firstEntries}, one row per lead and stage, is loaded only for the cohort funnel (which follows leads);
 * otherwise it is empty. When it is loaded, {@code stageCounts} are its counts ({@link StageCount#countAll}).
 */
public record KpiInputs(
        String currency,
        Map<String, String> campaignChannels,
        Map<String, String> campaignCurrencies,
        List<SpendAmount> spend,
        List<StageCount> stageCounts,
        List<FirstEntry> firstEntries,
        List<WonDeal> wonDeals,
        List<CustomerValue> newCustomers,
        List<SqlTiming> sqlTimings,
        List<Attribution> disqualifications) {

    /** Inputs from per-lead first entries, whose counts are derived from them. */
    public KpiInputs(String currency, Map<String, String> campaignChannels, Map<String, String> campaignCurrencies,
                     List<SpendAmount> spend, List<FirstEntry> firstEntries, List<WonDeal> wonDeals,
                     List<CustomerValue> newCustomers, List<SqlTiming> sqlTimings, List<Attribution> disqualifications) {
        this(currency, campaignChannels, campaignCurrencies, spend, StageCount.countAll(firstEntries), firstEntries,
                wonDeals, newCustomers, sqlTimings, disqualifications);
    }

    /** Inputs where every campaign is taken to be in {@code currency} (single-currency ledgers, tests). */
    public KpiInputs(String currency, Map<String, String> campaignChannels, List<SpendAmount> spend,
                     List<FirstEntry> firstEntries, List<WonDeal> wonDeals, List<CustomerValue> newCustomers,
                     List<SqlTiming> sqlTimings, List<Attribution> disqualifications) {
        this(currency, campaignChannels, Map.of(), spend, firstEntries, wonDeals, newCustomers, sqlTimings,
                disqualifications);
    }

    /** Whom a fact is attributed to: the capturing campaign, or (organic) no campaign and the lead's own channel. */
    public record Attribution(String campaignId, String leadChannel) {
    }

    /** Σ of the spend facts of one campaign and cost type whose spentOn is in the period. */
    public record SpendAmount(String campaignId, CostType costType, BigDecimal amount) {
    }

    /** A lead's first entry into a stage, when it falls in the period; implied when no reported entry is as early. */
    public record FirstEntry(String leadId, Attribution attribution, FunnelStage stage, Instant at, boolean implied) {
    }

    /**
     * How many first entries into {@code stage} the period holds for one attribution, and how many of them were
     * implied (kpi-spec: a stage entered by skipping it).
     */
    public record StageCount(Attribution attribution, FunnelStage stage, long entries, long implied) {

        /** The counts of per-lead first entries, one row per attribution and stage, in order of first appearance. */
        public static List<StageCount> countAll(List<FirstEntry> firstEntries) {
            record Key(Attribution attribution, FunnelStage stage) {
            }
            Map<Key, long[]> counts = new LinkedHashMap<>();
            for (FirstEntry entry : firstEntries) {
                long[] count = counts.computeIfAbsent(new Key(entry.attribution(), entry.stage()), key -> new long[2]);
                count[0]++;
                count[1] += entry.implied() ? 1 : 0;
            }
            return counts.entrySet().stream()
                    .map(e -> new StageCount(e.getKey().attribution(), e.getKey().stage(), e.getValue()[0],
                            e.getValue()[1]))
                    .toList();
        }
    }

    /** Revenue and gross profit of WON deals closed in the period. */
    public record WonDeal(Attribution attribution, BigDecimal revenue, BigDecimal grossProfit) {
    }

    /** A customer acquired in the period with its LTV over all its WON deals known, whatever their close date. */
    public record CustomerValue(String leadId, Attribution attribution, BigDecimal ltv) {
    }

    /** A lead whose SQL entry is in the period, with its MQL entry (the same instant when MQL was implied). */
    public record SqlTiming(String leadId, Attribution attribution, Instant mqlAt, Instant sqlAt) {
    }

    /**
     * A lead with a first entry into some stage within the period, with every stage it has reached by the query's
     * moment (whenever that was) and whether it has been disqualified: the members of the period's stage cohorts.
     */
    public record CohortLead(String leadId, Attribution attribution, Set<FunnelStage> reached, boolean disqualified) {
    }
}
