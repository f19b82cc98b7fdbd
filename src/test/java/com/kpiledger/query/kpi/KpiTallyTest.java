package com.kpiledger.query.kpi;

import com.kpiledger.coreapi.campaign.CostType;
import com.kpiledger.coreapi.kpi.FunnelView;
import com.kpiledger.coreapi.kpi.GroupBy;
import com.kpiledger.coreapi.kpi.KpiBreakdownView;
import com.kpiledger.coreapi.kpi.KpiScope;
import com.kpiledger.coreapi.kpi.KpiSummaryView;
import com.kpiledger.query.funnel.FunnelStage;
import com.kpiledger.query.kpi.KpiInputs.Attribution;
import com.kpiledger.query.kpi.KpiInputs.CustomerValue;
import com.kpiledger.query.kpi.KpiInputs.FirstEntry;
import com.kpiledger.query.kpi.KpiInputs.SpendAmount;
import com.kpiledger.query.kpi.KpiInputs.StageCount;
import com.kpiledger.query.kpi.KpiInputs.WonDeal;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one-pass grouping of {@link KpiCalculator} (facts tallied per attribution, tallies merged per group) and the
 * per-attribution stage counts ({@link StageCount}) that replace per-lead rows for every answer but the cohort funnel.
 */
class KpiTallyTest {

    static final KpiScope YEAR = new KpiScope(LocalDate.parse("2025-01-01"), LocalDate.parse("2026-01-01"),
            null, null, null, null);
    static final Instant T0 = Instant.parse("2025-03-02T09:00:00Z");
    static final Attribution C1 = new Attribution("c1", "web");
    static final Attribution C2 = new Attribution("c2", null);
    static final Attribution ORGANIC = new Attribution(null, "social");

    @Test
    void stageCountsCountFirstEntriesPerAttributionAndStageWithTheImpliedOnes() {
        List<StageCount> counts = StageCount.countAll(List.of(
                new FirstEntry("a", C1, FunnelStage.LEAD, T0, false),
                new FirstEntry("a", C1, FunnelStage.MQL, T0, true),
                new FirstEntry("b", C1, FunnelStage.LEAD, T0, false),
                new FirstEntry("b", C1, FunnelStage.MQL, T0, false),
                new FirstEntry("o", ORGANIC, FunnelStage.LEAD, T0, false)));

        assertThat(counts).containsExactly(
                new StageCount(C1, FunnelStage.LEAD, 2, 0),
                new StageCount(C1, FunnelStage.MQL, 2, 1),
                new StageCount(ORGANIC, FunnelStage.LEAD, 1, 0));
        assertThat(StageCount.countAll(List.of())).isEmpty();
    }

    @Test
    void aGroupWithOnlyNewCustomersGetsNoBreakdownRowButCountsInTheTotal() {
        KpiInputs inputs = new KpiInputs("EUR", Map.of("c1", "paid-search", "c2", "social"),
                List.of(new SpendAmount("c1", CostType.MEDIA, new BigDecimal("100"))),
                List.of(new FirstEntry("a", C1, FunnelStage.LEAD, T0, false)),
                List.of(), List.of(new CustomerValue("x", C2, new BigDecimal("50"))), List.of(), List.of());

        KpiBreakdownView breakdown = new KpiCalculator(inputs).breakdown(YEAR, 1, false, GroupBy.CAMPAIGN);

        assertThat(breakdown.rows()).extracting(KpiSummaryView::campaignId).containsExactly("c1");
        assertThat(breakdown.total().avgLtv()).isEqualTo(new BigDecimal("50.00"));
    }

    /** Counts loaded as counts (the read models' way) answer exactly as the per-lead rows they count. */
    @Test
    void countsGiveTheSameAnswersAsThePerLeadRowsTheyCount() {
        Random random = new Random(2025);
        for (int round = 0; round < 50; round++) {
            KpiInputs perLead = randomInputs(random);
            KpiInputs counted = new KpiInputs(perLead.currency(), perLead.campaignChannels(),
                    perLead.campaignCurrencies(), perLead.spend(), StageCount.countAll(perLead.firstEntries()),
                    List.of(), perLead.wonDeals(), perLead.newCustomers(), perLead.sqlTimings(),
                    perLead.disqualifications());
            for (GroupBy groupBy : List.of(GroupBy.CAMPAIGN, GroupBy.CHANNEL)) {
                assertThat(new KpiCalculator(counted).breakdown(YEAR, 7, round % 2 == 0, groupBy))
                        .isEqualTo(new KpiCalculator(perLead).breakdown(YEAR, 7, round % 2 == 0, groupBy));
            }
            KpiScope paidSearch = new KpiScope(YEAR.from(), YEAR.to(), null, null, "paid-search", null);
            assertThat(new KpiCalculator(counted).summary(paidSearch, 7, true))
                    .isEqualTo(new KpiCalculator(perLead).summary(paidSearch, 7, true));
            FunnelView funnel = new KpiCalculator(counted).periodFunnel(YEAR, 7);
            assertThat(funnel).isEqualTo(new KpiCalculator(perLead).periodFunnel(YEAR, 7));
        }
    }

    /** Also checks each breakdown row against a direct sum over the facts of its group. */
    @Test
    void everyBreakdownRowSumsExactlyTheFactsOfItsGroup() {
        Random random = new Random(7);
        for (int round = 0; round < 50; round++) {
            KpiInputs inputs = randomInputs(random);
            KpiBreakdownView breakdown = new KpiCalculator(inputs).breakdown(YEAR, 7, false, GroupBy.CAMPAIGN);
            for (KpiSummaryView row : breakdown.rows()) {
                long leads = inputs.firstEntries().stream()
                        .filter(e -> e.stage() == FunnelStage.LEAD)
                        .filter(e -> java.util.Objects.equals(e.attribution().campaignId(), row.campaignId()))
                        .count();
                BigDecimal revenue = inputs.wonDeals().stream()
                        .filter(d -> java.util.Objects.equals(d.attribution().campaignId(), row.campaignId()))
                        .map(WonDeal::revenue).reduce(BigDecimal.ZERO, BigDecimal::add);
                assertThat(row.leads()).isEqualTo(leads);
                assertThat(row.revenue()).isEqualTo(KpiCalculator.money(revenue));
            }
            assertThat(breakdown.rows().stream().mapToLong(KpiSummaryView::leads).sum())
                    .isEqualTo(breakdown.total().leads());
        }
    }

    private static KpiInputs randomInputs(Random random) {
        Map<String, String> channels = Map.of("c1", "paid-search", "c2", "social", "c3", "paid-search");
        List<Attribution> attributions = List.of(C1, C2, new Attribution("c3", null), ORGANIC,
                new Attribution(null, "events"), new Attribution("c9", null));
        List<SpendAmount> spend = new ArrayList<>();
        for (int i = random.nextInt(6); i > 0; i--) {
            spend.add(new SpendAmount("c" + (1 + random.nextInt(4)), CostType.values()[random.nextInt(CostType.values().length)],
                    BigDecimal.valueOf(random.nextInt(100_000), 2)));
        }
        List<FirstEntry> entries = new ArrayList<>();
        List<WonDeal> deals = new ArrayList<>();
        List<CustomerValue> customers = new ArrayList<>();
        for (int lead = random.nextInt(40); lead > 0; lead--) {
            Attribution attribution = attributions.get(random.nextInt(attributions.size()));
            int reached = random.nextInt(FunnelStage.values().length);
            for (int stage = 0; stage <= reached; stage++) {
                entries.add(new FirstEntry("l" + lead, attribution, FunnelStage.values()[stage], T0, random.nextInt(4) == 0));
            }
            if (reached == FunnelStage.CUSTOMER.ordinal()) {
                BigDecimal amount = BigDecimal.valueOf(random.nextInt(1_000_000), 2);
                deals.add(new WonDeal(attribution, amount, amount.multiply(new BigDecimal("0.35"))));
                customers.add(new CustomerValue("l" + lead, attribution, amount.multiply(new BigDecimal("0.35"))));
            }
        }
        return new KpiInputs("EUR", channels, spend, entries, deals, customers, List.of(), List.of());
    }
}
