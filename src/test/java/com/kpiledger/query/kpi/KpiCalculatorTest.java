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
import com.kpiledger.query.kpi.KpiInputs.WonDeal;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The KPI definitions of kpi-spec §4 and the worked examples of §5, on hand-made {@link KpiInputs}: no database, no
 * HTTP. Exact BigDecimals are compared with {@code isEqualTo}, so the presentation scale (2 for money, 4 for rates)
 * is checked too.
 */
class KpiCalculatorTest {

    static final LocalDate FROM = LocalDate.parse("2026-03-01");
    static final LocalDate TO = LocalDate.parse("2026-04-01");
    static final KpiScope MARCH = new KpiScope(FROM, TO, null, null, null, null);
    static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    static final long POSITION = 42;

    static final Attribution C1 = new Attribution("c1", null);
    static final Attribution C2 = new Attribution("c2", null);
    static final Attribution C3 = new Attribution("c3", null);
    static final Attribution ORGANIC_SOCIAL = new Attribution(null, "social");
    static final Attribution ORGANIC_EVENTS = new Attribution(null, "events");
    static final Map<String, String> CHANNELS = Map.of("c1", "paid-search", "c2", "social", "c3", "paid-search");

    // --- kpi-spec §5, the worked examples that must come out exactly

    @Nested
    class WorkedExamples {

        @Test
        void cacOfAThousandSpendAndTenNewCustomersIsOneHundred() {
            Inputs inputs = new Inputs().spend("c1", CostType.MEDIA, "1000");
            for (int i = 0; i < 10; i++) {
                inputs.entry("l" + i, C1, FunnelStage.CUSTOMER, T0, false);
            }

            KpiSummaryView summary = inputs.summary();

            assertThat(summary.cac()).isEqualTo(new BigDecimal("100.00"));
            assertThat(summary.customers()).isEqualTo(10);
            assertThat(summary.spend()).isEqualTo(new BigDecimal("1000.00"));
        }

        @Test
        void averageLtvOfOnePurchaseAndOfACrossSellCustomer() {
            // LTV = Σ amount × grossMargin of the customer's WON deals: 200,000 @ 35% = 70,000;
            // 200,000 @ 35% + 150,000 @ 40% + 160,000 @ 30% = 178,000
            BigDecimal onePurchase = gp("200000", "0.35");
            BigDecimal crossSell = gp("200000", "0.35").add(gp("150000", "0.40")).add(gp("160000", "0.30"));
            assertThat(onePurchase).isEqualByComparingTo("70000");
            assertThat(crossSell).isEqualByComparingTo("178000");

            KpiSummaryView one = new Inputs().customer("a", C1, onePurchase).summary();
            KpiSummaryView both = new Inputs().customer("a", C1, onePurchase).customer("b", C1, crossSell).summary();

            assertThat(one.avgLtv()).isEqualTo(new BigDecimal("70000.00"));
            assertThat(both.avgLtv()).isEqualTo(new BigDecimal("124000.00"));
        }

        @Test
        void roasOfTenRevenueForEveryOneOfMediaSpendIsTen() {
            KpiSummaryView summary = new Inputs()
                    .spend("c1", CostType.MEDIA, "1000")
                    .spend("c1", CostType.CONTENT, "500") // not media: does not enter ROAS
                    .won(C1, "10000", "0.5")
                    .summary();

            assertThat(summary.roas()).isEqualTo(new BigDecimal("10.0000"));
            assertThat(summary.mediaSpend()).isEqualTo(new BigDecimal("1000.00"));
        }

        @Test
        void roiOfGrossProfitTwentyThousandOnSpendElevenThousandFourHundredIs0_7544() {
            KpiSummaryView summary = new Inputs()
                    .spend("c1", CostType.MEDIA, "10000")
                    .spend("c1", CostType.CONTENT, "1400")
                    .won(C1, "100000", "0.2")
                    .summary();

            assertThat(summary.grossProfit()).isEqualTo(new BigDecimal("20000.00"));
            assertThat(summary.spend()).isEqualTo(new BigDecimal("11400.00"));
            assertThat(summary.roi()).isEqualTo(new BigDecimal("0.7544"));
        }

        @Test
        void spendOfFiveHundredWithoutLeadsHasNoCpl() {
            KpiSummaryView summary = new Inputs().spend("c1", CostType.AGENCY, "500").summary();

            assertThat(summary.leads()).isZero();
            assertThat(summary.cpl()).isNull();
            assertThat(summary.spend()).isEqualTo(new BigDecimal("500.00"));
        }
    }

    // --- presentation: HALF_EVEN, money to 2 decimals, rates to 4

    @Test
    void moneyIsRoundedHalfEvenToTwoDecimalsOnlyWhenPresented() {
        // 0.125 + 0.0025 = 0.1275 exact → 0.13; 0.125 alone → 0.12 (even), 0.135 → 0.14 (even)
        assertThat(new Inputs().spend("c1", CostType.MEDIA, "0.125").summary().spend())
                .isEqualTo(new BigDecimal("0.12"));
        assertThat(new Inputs().spend("c1", CostType.MEDIA, "0.135").summary().spend())
                .isEqualTo(new BigDecimal("0.14"));
        assertThat(new Inputs().spend("c1", CostType.MEDIA, "0.125").spend("c1", CostType.OTHER, "0.0025")
                .summary().spend()).isEqualTo(new BigDecimal("0.13"));
        // sums are exact before rounding: three lines of 0.004 are 0.012 → 0.01, not 3 × 0.00
        assertThat(new Inputs().spend("c1", CostType.MEDIA, "0.004").spend("c2", CostType.MEDIA, "0.004")
                .spend("c3", CostType.MEDIA, "0.004").summary().spend()).isEqualTo(new BigDecimal("0.01"));
        // CPL 0.25 / 2 = 0.125 → 0.12; 0.75 / 2 = 0.375 → 0.38
        Inputs twoLeads = new Inputs().entry("a", C1, FunnelStage.LEAD, T0, false).entry("b", C1, FunnelStage.LEAD, T0, false);
        assertThat(twoLeads.spend("c1", CostType.MEDIA, "0.25").summary().cpl()).isEqualTo(new BigDecimal("0.12"));
        assertThat(new Inputs().entry("a", C1, FunnelStage.LEAD, T0, false).entry("b", C1, FunnelStage.LEAD, T0, false)
                .spend("c1", CostType.MEDIA, "0.75").summary().cpl()).isEqualTo(new BigDecimal("0.38"));
        // whole amounts still carry two decimals
        assertThat(new Inputs().spend("c1", CostType.MEDIA, "7").summary().spend().toPlainString()).isEqualTo("7.00");
        assertThat(new Inputs().summary().revenue().toPlainString()).isEqualTo("0.00");
    }

    @Test
    void ratesAreRoundedHalfEvenToFourDecimals() {
        // ROI = (gross profit − spend) ÷ spend: 1 / 20000 = 0.00005 → 0.0000 (even); 3 / 20000 = 0.00015 → 0.0002
        assertThat(roi("20000", "20001")).isEqualTo(new BigDecimal("0.0000"));
        assertThat(roi("20000", "20003")).isEqualTo(new BigDecimal("0.0002"));
        assertThat(roi("20000", "19999")).isEqualTo(new BigDecimal("0.0000"));
        assertThat(roi("20000", "19997")).isEqualTo(new BigDecimal("-0.0002"));
        // 2 of 3 → 0.6667, 1 of 3 → 0.3333
        Inputs inputs = new Inputs();
        for (int i = 0; i < 3; i++) {
            inputs.entry("l" + i, C1, FunnelStage.LEAD, T0, false);
        }
        inputs.entry("l0", C1, FunnelStage.MQL, T0, false).entry("l1", C1, FunnelStage.MQL, T0, false)
                .entry("l0", C1, FunnelStage.SQL, T0, false);
        KpiSummaryView summary = inputs.summary();
        assertThat(summary.leadToMqlRate()).isEqualTo(new BigDecimal("0.6667"));
        assertThat(summary.mqlToSqlRate()).isEqualTo(new BigDecimal("0.5000"));
        assertThat(summary.sqlToCustomerRate()).isEqualTo(new BigDecimal("0.0000"));
        assertThat(summary.leadConversionRate()).isEqualTo(new BigDecimal("0.0000"));
    }

    private static BigDecimal roi(String spend, String grossProfit) {
        return new Inputs().spend("c1", CostType.MEDIA, spend).won(C1, grossProfit, "1").summary().roi();
    }

    // --- undefined values

    @Test
    void everyRatioWithAZeroDenominatorIsNullNeverZeroOrInfinity() {
        KpiSummaryView empty = new Inputs().summary();

        assertThat(empty.spend()).isEqualTo(new BigDecimal("0.00"));
        assertThat(empty.leads()).isZero();
        assertThat(empty.cpl()).isNull();
        assertThat(empty.cac()).isNull();
        assertThat(empty.leadToMqlRate()).isNull();
        assertThat(empty.mqlToSqlRate()).isNull();
        assertThat(empty.sqlToCustomerRate()).isNull();
        assertThat(empty.leadConversionRate()).isNull();
        assertThat(empty.avgLtv()).isNull();
        assertThat(empty.ltvToCac()).isNull();
        assertThat(empty.roi()).isNull();
        assertThat(empty.roas()).isNull();
        assertThat(empty.flags()).isEmpty();

        // revenue without media spend: ROAS undefined; customers without spend: CAC 0, LTV:CAC undefined
        KpiSummaryView noMedia = new Inputs()
                .spend("c1", CostType.CONTENT, "100")
                .entry("a", C1, FunnelStage.CUSTOMER, T0, false)
                .won(C1, "1000", "0.5")
                .customer("a", C1, new BigDecimal("500"))
                .summary();
        assertThat(noMedia.roas()).isNull();
        assertThat(noMedia.cac()).isEqualTo(new BigDecimal("100.00"));
        assertThat(noMedia.ltvToCac()).isEqualTo(new BigDecimal("5.0000"));

        KpiSummaryView noSpend = new Inputs()
                .entry("a", C1, FunnelStage.CUSTOMER, T0, false)
                .customer("a", C1, new BigDecimal("500"))
                .summary();
        assertThat(noSpend.cac()).isEqualTo(new BigDecimal("0.00"));
        assertThat(noSpend.ltvToCac()).isNull();
        assertThat(noSpend.roi()).isNull();
    }

    // --- spend, sales cost, fully loaded CAC

    @Test
    void spendExcludesSalesCostWhichOnlyTheFullyLoadedCacIncludes() {
        Inputs inputs = new Inputs()
                .spend("c1", CostType.MEDIA, "600")
                .spend("c1", CostType.CONTENT, "200")
                .spend("c1", CostType.SALES, "200")
                .entry("a", C1, FunnelStage.CUSTOMER, T0, false)
                .entry("b", C1, FunnelStage.CUSTOMER, T0, false);

        KpiSummaryView marketing = inputs.summary();
        KpiSummaryView fullyLoaded = inputs.calculator().summary(MARCH, POSITION, true);

        assertThat(marketing.spend()).isEqualTo(new BigDecimal("800.00"));
        assertThat(marketing.salesCost()).isEqualTo(new BigDecimal("200.00"));
        assertThat(marketing.mediaSpend()).isEqualTo(new BigDecimal("600.00"));
        assertThat(marketing.cac()).isEqualTo(new BigDecimal("400.00"));
        assertThat(marketing.fullyLoaded()).isFalse();
        assertThat(fullyLoaded.cac()).isEqualTo(new BigDecimal("500.00"));
        assertThat(fullyLoaded.fullyLoaded()).isTrue();
        // fully loaded changes CAC only: spend, CPL and ROI stay marketing figures
        assertThat(fullyLoaded.spend()).isEqualTo(new BigDecimal("800.00"));
        assertThat(fullyLoaded.salesCost()).isEqualTo(new BigDecimal("200.00"));
    }

    @Test
    void summaryCarriesScopePositionAndCurrency() {
        KpiScope scope = new KpiScope(FROM, TO, "c1", null, "EUR", Instant.parse("2026-04-05T00:00:00Z"));
        KpiSummaryView summary = new Inputs().calculator().summary(scope, POSITION, false);

        assertThat(summary.from()).isEqualTo(FROM);
        assertThat(summary.to()).isEqualTo(TO);
        assertThat(summary.knownAt()).isEqualTo(Instant.parse("2026-04-05T00:00:00Z"));
        assertThat(summary.position()).isEqualTo(POSITION);
        assertThat(summary.currency()).isEqualTo("EUR");
        assertThat(summary.campaignId()).isEqualTo("c1");
    }

    // --- rates above 1

    @Test
    void aPeriodRateAboveOneIsReportedAndFlaggedNotCapped() {
        // 2 leads captured in the period, 3 MQL entries (one lead captured the month before)
        KpiSummaryView summary = new Inputs()
                .entry("a", C1, FunnelStage.LEAD, T0, false).entry("b", C1, FunnelStage.LEAD, T0, false)
                .entry("a", C1, FunnelStage.MQL, T0, false).entry("b", C1, FunnelStage.MQL, T0, false)
                .entry("old", C1, FunnelStage.MQL, T0, false)
                .entry("old", C1, FunnelStage.SQL, T0, false)
                .summary();

        assertThat(summary.leadToMqlRate()).isEqualTo(new BigDecimal("1.5000"));
        assertThat(summary.mqlToSqlRate()).isEqualTo(new BigDecimal("0.3333"));
        assertThat(summary.flags()).containsExactly("leadToMqlRate above 1");
    }

    @Test
    void aRateOfExactlyOneIsNotFlagged() {
        KpiSummaryView summary = new Inputs()
                .entry("a", C1, FunnelStage.LEAD, T0, false).entry("a", C1, FunnelStage.MQL, T0, false)
                .summary();
        assertThat(summary.leadToMqlRate()).isEqualTo(new BigDecimal("1.0000"));
        assertThat(summary.flags()).isEmpty();
    }

    // --- scope filters and breakdowns

    @Test
    void campaignAndChannelFiltersRestrictEveryFactToTheirLeadsAndSpend() {
        Inputs inputs = breakdownInputs();

        KpiSummaryView c1 = inputs.calculator().summary(scope("c1", null), POSITION, false);
        assertThat(c1.spend()).isEqualTo(new BigDecimal("1000.00"));
        assertThat(c1.leads()).isEqualTo(2);
        assertThat(c1.customers()).isEqualTo(1);
        assertThat(c1.revenue()).isEqualTo(new BigDecimal("5000.00"));
        assertThat(c1.cpl()).isEqualTo(new BigDecimal("500.00"));

        // a channel: its campaigns' facts and the organic leads that came by it
        KpiSummaryView social = inputs.calculator().summary(scope(null, "social"), POSITION, false);
        assertThat(social.spend()).isEqualTo(new BigDecimal("300.00"));
        assertThat(social.leads()).isEqualTo(2); // c2's lead and the organic social lead
        assertThat(social.customers()).isEqualTo(1);
        assertThat(social.channel()).isEqualTo("social");

        KpiSummaryView paidSearch = inputs.calculator().summary(scope(null, "paid-search"), POSITION, false);
        assertThat(paidSearch.spend()).isEqualTo(new BigDecimal("1200.00")); // c1 and c3
        assertThat(paidSearch.leads()).isEqualTo(3);
    }

    @Test
    void campaignBreakdownAddsUpAndPutsOrganicLeadsInARowWithoutCampaign() {
        KpiBreakdownView breakdown = breakdownInputs().calculator().breakdown(MARCH, POSITION, false, GroupBy.CAMPAIGN);

        assertThat(breakdown.groupBy()).isEqualTo(GroupBy.CAMPAIGN);
        assertThat(breakdown.rows()).extracting(KpiSummaryView::campaignId).containsExactly("c1", "c2", "c3", null);
        assertThat(breakdown.rows()).extracting(KpiSummaryView::channel)
                .containsExactly("paid-search", "social", "paid-search", null);
        KpiSummaryView organic = breakdown.rows().get(3);
        assertThat(organic.leads()).isEqualTo(2);
        assertThat(organic.spend()).isEqualTo(new BigDecimal("0.00"));
        assertThat(organic.cpl()).isEqualTo(new BigDecimal("0.00"));
        assertThat(organic.customers()).isEqualTo(1);
        assertThat(organic.revenue()).isEqualTo(new BigDecimal("700.00"));
        assertRowsAddUp(breakdown);
        assertThat(breakdown.total().leads()).isEqualTo(6);
        assertThat(breakdown.total().spend()).isEqualTo(new BigDecimal("1500.00"));
        assertThat(breakdown.total().salesCost()).isEqualTo(new BigDecimal("50.00"));
        assertThat(breakdown.total().position()).isEqualTo(POSITION);
    }

    @Test
    void channelBreakdownAddsUpAndGivesOrganicLeadsTheirOwnChannelRow() {
        KpiBreakdownView breakdown = breakdownInputs().calculator().breakdown(MARCH, POSITION, false, GroupBy.CHANNEL);

        assertThat(breakdown.rows()).extracting(KpiSummaryView::channel)
                .containsExactly("events", "paid-search", "social");
        assertThat(breakdown.rows()).extracting(KpiSummaryView::leads).containsExactly(1L, 3L, 2L);
        assertThat(breakdown.rows()).extracting(KpiSummaryView::spend).containsExactly(
                new BigDecimal("0.00"), new BigDecimal("1200.00"), new BigDecimal("300.00"));
        assertRowsAddUp(breakdown);
    }

    @Test
    void breakdownWithinAChannelKeepsOnlyThatChannel() {
        KpiBreakdownView breakdown = breakdownInputs().calculator()
                .breakdown(scope(null, "paid-search"), POSITION, false, GroupBy.CAMPAIGN);

        assertThat(breakdown.rows()).extracting(KpiSummaryView::campaignId).containsExactly("c1", "c3");
        assertRowsAddUp(breakdown);
        assertThat(breakdown.total().leads()).isEqualTo(3);
    }

    /** c1 and c3 on paid-search, c2 on social; organic leads by social and by events. */
    private static Inputs breakdownInputs() {
        return new Inputs()
                .spend("c1", CostType.MEDIA, "800").spend("c1", CostType.CONTENT, "200").spend("c1", CostType.SALES, "50")
                .spend("c2", CostType.MEDIA, "300")
                .spend("c3", CostType.TOOLING, "200")
                .entry("a", C1, FunnelStage.LEAD, T0, false).entry("b", C1, FunnelStage.LEAD, T0, false)
                .entry("a", C1, FunnelStage.MQL, T0, false).entry("a", C1, FunnelStage.SQL, T0, false)
                .entry("a", C1, FunnelStage.CUSTOMER, T0, false)
                .won(C1, "5000", "0.4").customer("a", C1, new BigDecimal("2000"))
                .entry("c", C2, FunnelStage.LEAD, T0, false)
                .entry("c", C2, FunnelStage.SQL, T0, false).entry("c", C2, FunnelStage.MQL, T0, true)
                .entry("d", C3, FunnelStage.LEAD, T0, false)
                .entry("o1", ORGANIC_SOCIAL, FunnelStage.LEAD, T0, false)
                .entry("o1", ORGANIC_SOCIAL, FunnelStage.CUSTOMER, T0, false)
                .won(ORGANIC_SOCIAL, "700", "0.5").customer("o1", ORGANIC_SOCIAL, new BigDecimal("350"))
                .entry("o2", ORGANIC_EVENTS, FunnelStage.LEAD, T0, false);
    }

    private static void assertRowsAddUp(KpiBreakdownView breakdown) {
        KpiSummaryView total = breakdown.total();
        List<Function<KpiSummaryView, BigDecimal>> additive = List.of(KpiSummaryView::spend, KpiSummaryView::salesCost,
                KpiSummaryView::mediaSpend, v -> BigDecimal.valueOf(v.leads()), v -> BigDecimal.valueOf(v.mqls()),
                v -> BigDecimal.valueOf(v.sqls()), v -> BigDecimal.valueOf(v.customers()), KpiSummaryView::revenue,
                KpiSummaryView::grossProfit);
        for (Function<KpiSummaryView, BigDecimal> kpi : additive) {
            BigDecimal sum = breakdown.rows().stream().map(kpi).reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(sum).isEqualByComparingTo(kpi.apply(total));
        }
    }

    // --- period funnel

    @Test
    void periodFunnelCountsStageEntriesWithImpliedOnesAndStepRates() {
        FunnelView funnel = new Inputs()
                .entry("a", C1, FunnelStage.LEAD, T0, false).entry("b", C1, FunnelStage.LEAD, T0, false)
                .entry("c", C1, FunnelStage.LEAD, T0, false).entry("d", C2, FunnelStage.LEAD, T0, false)
                .entry("a", C1, FunnelStage.MQL, T0, false)
                .entry("b", C1, FunnelStage.MQL, T0, true) // SQL without MQL: MQL implied
                .entry("a", C1, FunnelStage.SQL, T0, false).entry("b", C1, FunnelStage.SQL, T0, false)
                .entry("a", C1, FunnelStage.CUSTOMER, T0, false)
                .disqualified(C1).disqualified(C2)
                .calculator().periodFunnel(MARCH, POSITION);

        assertThat(funnel.view()).isEqualTo(FunnelViewKind.PERIOD);
        assertThat(funnel.position()).isEqualTo(POSITION);
        assertThat(funnel.stages()).extracting(FunnelView.Stage::stage).containsExactly("LEAD", "MQL", "SQL", "CUSTOMER");
        assertThat(funnel.stages()).extracting(FunnelView.Stage::count).containsExactly(4L, 2L, 2L, 1L);
        assertThat(funnel.stages()).extracting(FunnelView.Stage::implied).containsExactly(0L, 1L, 0L, 0L);
        assertThat(funnel.stages()).extracting(FunnelView.Stage::rateFromPrevious)
                .containsExactly(null, new BigDecimal("0.5000"), new BigDecimal("1.0000"), new BigDecimal("0.5000"));
        assertThat(funnel.disqualified()).isEqualTo(2);
        assertThat(funnel.timeToSql()).isEqualTo(new FunnelView.TimeToSql(0, null, null));
    }

    @Test
    void periodFunnelRateIsNullAfterAnEmptyStageAndMayExceedOne() {
        FunnelView funnel = new Inputs()
                .entry("a", C1, FunnelStage.MQL, T0, false).entry("b", C1, FunnelStage.MQL, T0, false)
                .entry("a", C1, FunnelStage.SQL, T0, false).entry("b", C1, FunnelStage.SQL, T0, false)
                .entry("c", C1, FunnelStage.SQL, T0, false)
                .calculator().periodFunnel(MARCH, POSITION);

        assertThat(funnel.stages()).extracting(FunnelView.Stage::count).containsExactly(0L, 2L, 3L, 0L);
        assertThat(funnel.stages()).extracting(FunnelView.Stage::rateFromPrevious)
                .containsExactly(null, null, new BigDecimal("1.5000"), new BigDecimal("0.0000"));
    }

    @Test
    void periodFunnelOfOneChannelCountsOnlyItsLeads() {
        FunnelView funnel = breakdownInputs().disqualified(ORGANIC_EVENTS).disqualified(C2)
                .calculator().periodFunnel(scope(null, "social"), POSITION);

        assertThat(funnel.channel()).isEqualTo("social");
        assertThat(funnel.stages()).extracting(FunnelView.Stage::count).containsExactly(2L, 1L, 1L, 1L);
        assertThat(funnel.stages()).extracting(FunnelView.Stage::implied).containsExactly(0L, 1L, 0L, 0L);
        assertThat(funnel.disqualified()).isEqualTo(1);
    }

    // --- time to SQL

    @Test
    void timeToSqlMedianOfAnOddCountIsTheMiddleValueAndMeanIsInHours() {
        FunnelView funnel = new Inputs()
                .sqlAfter("a", C1, Duration.ofHours(4))
                .sqlAfter("b", C1, Duration.ofHours(1))
                .sqlAfter("c", C1, Duration.ofHours(2))
                .calculator().periodFunnel(MARCH, POSITION);

        // sorted 1, 2, 4 → median 2; mean 7 / 3 = 2.333… → 2.33
        assertThat(funnel.timeToSql()).isEqualTo(new FunnelView.TimeToSql(3, new BigDecimal("2.00"),
                new BigDecimal("2.33")));
    }

    @Test
    void timeToSqlMedianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
        FunnelView funnel = new Inputs()
                .sqlAfter("a", C1, Duration.ofHours(10))
                .sqlAfter("b", C1, Duration.ofHours(1))
                .sqlAfter("c", C1, Duration.ofHours(4))
                .sqlAfter("d", C1, Duration.ofHours(2))
                .calculator().periodFunnel(MARCH, POSITION);

        // sorted 1, 2, 4, 10 → median (2 + 4) / 2 = 3; mean 17 / 4 = 4.25
        assertThat(funnel.timeToSql()).isEqualTo(new FunnelView.TimeToSql(4, new BigDecimal("3.00"),
                new BigDecimal("4.25")));
    }

    @Test
    void timeToSqlCountsAnImpliedMqlAsZeroHoursAndKeepsMinutes() {
        FunnelView funnel = new Inputs()
                .sqlAfter("a", C1, Duration.ZERO) // SQL without MQL: MQL implied at the same instant
                .sqlAfter("b", C1, Duration.ofMinutes(90))
                .sqlAfter("other", C2, Duration.ofHours(100)) // another campaign: filtered out below
                .calculator().periodFunnel(scope("c1", null), POSITION);

        // 0 h and 1.5 h → median 0.75, mean 0.75
        assertThat(funnel.timeToSql()).isEqualTo(new FunnelView.TimeToSql(2, new BigDecimal("0.75"),
                new BigDecimal("0.75")));
    }

    // --- cohort funnel

    @Test
    void cohortRatesFollowEachStagesEntrantsOfThePeriodWhereverTheyGotLater() {
        // entries in March: a, b, c, d, e captured; a, b, c, e MQL; a, c SQL; only a became a customer in March.
        // Later (after March, known now): c became a customer too; e reached SQL.
        Inputs march = new Inputs();
        for (String lead : List.of("a", "b", "c", "d")) {
            march.entry(lead, C1, FunnelStage.LEAD, T0, false);
        }
        march.entry("e", C2, FunnelStage.LEAD, T0, false);
        for (String lead : List.of("a", "b", "c")) {
            march.entry(lead, C1, FunnelStage.MQL, T0, false);
        }
        march.entry("e", C2, FunnelStage.MQL, T0, false);
        march.entry("a", C1, FunnelStage.SQL, T0, false).entry("c", C1, FunnelStage.SQL, T0, false);
        march.entry("a", C1, FunnelStage.CUSTOMER, T0, false);
        List<CohortLead> reached = List.of(
                cohortLead("a", C1, false, FunnelStage.LEAD, FunnelStage.MQL, FunnelStage.SQL, FunnelStage.CUSTOMER),
                cohortLead("b", C1, true, FunnelStage.LEAD, FunnelStage.MQL),
                cohortLead("c", C1, false, FunnelStage.LEAD, FunnelStage.MQL, FunnelStage.SQL, FunnelStage.CUSTOMER),
                cohortLead("d", C1, true, FunnelStage.LEAD),
                cohortLead("e", C2, false, FunnelStage.LEAD, FunnelStage.MQL, FunnelStage.SQL));

        FunnelView all = march.calculator().cohortFunnel(MARCH, POSITION, reached);
        FunnelView c1 = march.calculator().cohortFunnel(scope("c1", null), POSITION, reached);

        assertThat(all.view()).isEqualTo(FunnelViewKind.COHORT);
        // counts are March's entries; rates: of March's entrants into a stage, how many reached the next by now
        assertThat(all.stages()).extracting(FunnelView.Stage::count).containsExactly(5L, 4L, 2L, 1L);
        assertThat(all.stages()).extracting(FunnelView.Stage::rateFromPrevious)
                .containsExactly(null, new BigDecimal("0.8000"), new BigDecimal("0.7500"), new BigDecimal("1.0000"));
        assertThat(all.stages()).extracting(FunnelView.Stage::implied).containsOnlyNulls();
        assertThat(all.disqualified()).isEqualTo(2);
        assertThat(all.timeToSql()).isNull();

        assertThat(c1.stages()).extracting(FunnelView.Stage::count).containsExactly(4L, 3L, 2L, 1L);
        assertThat(c1.stages()).extracting(FunnelView.Stage::rateFromPrevious)
                .containsExactly(null, new BigDecimal("0.7500"), new BigDecimal("0.6667"), new BigDecimal("1.0000"));
        assertThat(c1.disqualified()).isEqualTo(2);
        assertThat(c1.campaignId()).isEqualTo("c1");
    }

    @Test
    void cohortOfAChannelIncludesItsOrganicLeadsAndAnEmptyCohortHasNoRates() {
        Inputs march = new Inputs()
                .entry("a", C2, FunnelStage.LEAD, T0, false)
                .entry("o", ORGANIC_SOCIAL, FunnelStage.LEAD, T0, false)
                .entry("x", C1, FunnelStage.LEAD, T0, false)
                .entry("a", C2, FunnelStage.MQL, T0, false)
                .entry("x", C1, FunnelStage.MQL, T0, false);
        List<CohortLead> reached = List.of(
                cohortLead("a", C2, false, FunnelStage.LEAD, FunnelStage.MQL),
                cohortLead("o", ORGANIC_SOCIAL, false, FunnelStage.LEAD),
                cohortLead("x", C1, false, FunnelStage.LEAD, FunnelStage.MQL));

        FunnelView social = march.calculator().cohortFunnel(scope(null, "social"), POSITION, reached);
        FunnelView none = new Inputs().calculator().cohortFunnel(MARCH, POSITION, List.of());

        assertThat(social.stages()).extracting(FunnelView.Stage::count).containsExactly(2L, 1L, 0L, 0L);
        assertThat(social.stages()).extracting(FunnelView.Stage::rateFromPrevious)
                .containsExactly(null, new BigDecimal("0.5000"), new BigDecimal("0.0000"), null);
        assertThat(none.stages()).extracting(FunnelView.Stage::count).containsExactly(0L, 0L, 0L, 0L);
        assertThat(none.stages()).extracting(FunnelView.Stage::rateFromPrevious).containsOnlyNulls();
    }

    // --- currencies

    @Test
    void figuresInOneCurrencyLeaveOutTheLeadsOfCampaignsInAnother() {
        KpiInputs inputs = new KpiInputs("EUR", Map.of("c1", "paid-search", "c2", "paid-search"),
                Map.of("c1", "EUR", "c2", "USD"),
                List.of(new SpendAmount("c1", CostType.MEDIA, new BigDecimal("800"))),
                List.of(new FirstEntry("a", C1, FunnelStage.LEAD, T0, false),
                        new FirstEntry("b", C2, FunnelStage.LEAD, T0, false),
                        new FirstEntry("c", C2, FunnelStage.LEAD, T0, false),
                        new FirstEntry("o", ORGANIC_SOCIAL, FunnelStage.LEAD, T0, false)),
                List.of(), List.of(), List.of(), List.of());

        KpiSummaryView summary = new KpiCalculator(inputs).summary(MARCH, POSITION, false);

        assertThat(summary.leads()).isEqualTo(2); // a (EUR campaign) and the organic lead
        assertThat(summary.cpl()).isEqualTo(new BigDecimal("400.00"));
        assertThat(new KpiCalculator(inputs).breakdown(MARCH, POSITION, false, GroupBy.CAMPAIGN).rows())
                .extracting(KpiSummaryView::campaignId).containsExactly("c1", null);
    }

    private static CohortLead cohortLead(String leadId, Attribution attribution, boolean disqualified,
                                         FunnelStage... reached) {
        EnumSet<FunnelStage> stages = EnumSet.noneOf(FunnelStage.class);
        stages.addAll(List.of(reached));
        return new CohortLead(leadId, attribution, stages, disqualified);
    }

    // --- building inputs by hand

    private static KpiScope scope(String campaignId, String channel) {
        return new KpiScope(FROM, TO, campaignId, channel, null, null);
    }

    private static BigDecimal gp(String amount, String margin) {
        return new BigDecimal(amount).multiply(new BigDecimal(margin));
    }

    /** A fluent builder of {@link KpiInputs}, all in EUR with the campaigns' channels of {@link #CHANNELS}. */
    static final class Inputs {
        private final List<SpendAmount> spend = new ArrayList<>();
        private final List<FirstEntry> entries = new ArrayList<>();
        private final List<WonDeal> wonDeals = new ArrayList<>();
        private final List<CustomerValue> customers = new ArrayList<>();
        private final List<SqlTiming> timings = new ArrayList<>();
        private final List<Attribution> disqualifications = new ArrayList<>();

        Inputs spend(String campaignId, CostType costType, String amount) {
            spend.add(new SpendAmount(campaignId, costType, new BigDecimal(amount)));
            return this;
        }

        Inputs entry(String leadId, Attribution attribution, FunnelStage stage, Instant at, boolean implied) {
            entries.add(new FirstEntry(leadId, attribution, stage, at, implied));
            return this;
        }

        Inputs won(Attribution attribution, String amount, String margin) {
            wonDeals.add(new WonDeal(attribution, new BigDecimal(amount), gp(amount, margin)));
            return this;
        }

        Inputs customer(String leadId, Attribution attribution, BigDecimal ltv) {
            customers.add(new CustomerValue(leadId, attribution, ltv));
            return this;
        }

        Inputs sqlAfter(String leadId, Attribution attribution, Duration mqlToSql) {
            timings.add(new SqlTiming(leadId, attribution, T0, T0.plus(mqlToSql)));
            return this;
        }

        Inputs disqualified(Attribution attribution) {
            disqualifications.add(attribution);
            return this;
        }

        KpiCalculator calculator() {
            return new KpiCalculator(new KpiInputs("EUR", CHANNELS, spend, entries, wonDeals, customers, timings,
                    disqualifications));
        }

        KpiSummaryView summary() {
            return calculator().summary(MARCH, POSITION, false);
        }
    }
}
