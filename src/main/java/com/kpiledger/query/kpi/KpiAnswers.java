package com.kpiledger.query.kpi;

import com.kpiledger.coreapi.audit.KpiQuestion;
import com.kpiledger.coreapi.kpi.FetchMonthlyKpisQuery;
import com.kpiledger.coreapi.kpi.FindFunnelQuery;
import com.kpiledger.coreapi.kpi.FindKpiSummaryQuery;
import com.kpiledger.coreapi.kpi.FunnelView;
import com.kpiledger.coreapi.kpi.FunnelViewKind;
import com.kpiledger.coreapi.kpi.GroupBy;
import com.kpiledger.coreapi.kpi.KpiChange;
import com.kpiledger.coreapi.kpi.KpiScope;
import com.kpiledger.coreapi.kpi.KpiSummaryView;
import com.kpiledger.coreapi.kpi.MonthKpis;
import com.kpiledger.coreapi.kpi.MonthlyKpisView;
import com.kpiledger.query.kpi.KpiFactSource.Detail;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns KPI questions into answers over one {@link KpiFactSource} at one store position: the same code answers from
 * the read models and from a fold of raw events, so a verification compares facts, not two implementations.
 */
public final class KpiAnswers {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private final KpiFactSource source;

    public KpiAnswers(KpiFactSource source) {
        this.source = source;
    }

    /** The answer to an auditor's question: the summary, monthly or funnel answer it names. */
    public Object answer(KpiQuestion question, long position) {
        return switch (question.kpi()) {
            case "monthly" -> monthly(new FetchMonthlyKpisQuery(question.scope(), question.fullyLoaded()), position);
            case "funnel" -> funnel(new FindFunnelQuery(question.scope(), question.view()), position);
            default -> summary(new FindKpiSummaryQuery(question.scope(), question.groupBy(), question.fullyLoaded()),
                    position);
        };
    }

    /** A {@link KpiSummaryView}, or with a groupBy a {@link com.kpiledger.coreapi.kpi.KpiBreakdownView}. */
    public Object summary(FindKpiSummaryQuery query, long position) {
        KpiScope scope = query.scope();
        String currency = source.resolveCurrency(scope, position);
        KpiCalculator calculator = new KpiCalculator(source.load(scope, currency, Detail.SUMMARY, position));
        if (query.groupBy() == null || query.groupBy() == GroupBy.NONE) {
            return calculator.summary(scope, position, query.fullyLoaded());
        }
        return calculator.breakdown(scope, position, query.fullyLoaded(), query.groupBy());
    }

    public MonthlyKpisView monthly(FetchMonthlyKpisQuery query, long position) {
        KpiScope scope = query.scope();
        String currency = source.resolveCurrency(scope, position);
        YearMonth first = YearMonth.from(scope.from());
        YearMonth last = YearMonth.from(scope.to().minusDays(1));
        KpiSummaryView previous = month(scope, first.minusMonths(1), currency, position, query.fullyLoaded());
        List<MonthKpis> months = new ArrayList<>();
        for (YearMonth month = first; !month.isAfter(last); month = month.plusMonths(1)) {
            KpiSummaryView current = month(scope, month, currency, position, query.fullyLoaded());
            months.add(new MonthKpis(month.toString(), current, changes(previous, current)));
            previous = current;
        }
        return new MonthlyKpisView(scope.from(), scope.to(), scope.knownAt(), position, months);
    }

    public FunnelView funnel(FindFunnelQuery query, long position) {
        KpiScope scope = query.scope();
        if (query.view() == FunnelViewKind.COHORT) {
            KpiCalculator calculator = new KpiCalculator(source.load(scope, null, Detail.COHORT_FUNNEL, position));
            return calculator.cohortFunnel(scope, position, source.cohort(scope, position));
        }
        return new KpiCalculator(source.load(scope, null, Detail.PERIOD_FUNNEL, position)).periodFunnel(scope, position);
    }

    private KpiSummaryView month(KpiScope scope, YearMonth month, String currency, long position, boolean fullyLoaded) {
        KpiScope monthScope = scope.withPeriod(month.atDay(1), month.plusMonths(1).atDay(1));
        return new KpiCalculator(source.load(monthScope, currency, Detail.SUMMARY, position))
                .summary(monthScope, position, fullyLoaded);
    }

    private static Map<String, KpiChange> changes(KpiSummaryView previous, KpiSummaryView current) {
        Map<String, KpiChange> changes = new LinkedHashMap<>();
        amount(changes, "spend", previous, current, KpiSummaryView::spend);
        amount(changes, "salesCost", previous, current, KpiSummaryView::salesCost);
        amount(changes, "mediaSpend", previous, current, KpiSummaryView::mediaSpend);
        amount(changes, "leads", previous, current, view -> BigDecimal.valueOf(view.leads()));
        amount(changes, "mqls", previous, current, view -> BigDecimal.valueOf(view.mqls()));
        amount(changes, "sqls", previous, current, view -> BigDecimal.valueOf(view.sqls()));
        amount(changes, "customers", previous, current, view -> BigDecimal.valueOf(view.customers()));
        amount(changes, "cpl", previous, current, KpiSummaryView::cpl);
        amount(changes, "cac", previous, current, KpiSummaryView::cac);
        rate(changes, "leadToMqlRate", previous, current, KpiSummaryView::leadToMqlRate);
        rate(changes, "mqlToSqlRate", previous, current, KpiSummaryView::mqlToSqlRate);
        rate(changes, "sqlToCustomerRate", previous, current, KpiSummaryView::sqlToCustomerRate);
        rate(changes, "leadConversionRate", previous, current, KpiSummaryView::leadConversionRate);
        amount(changes, "revenue", previous, current, KpiSummaryView::revenue);
        amount(changes, "grossProfit", previous, current, KpiSummaryView::grossProfit);
        amount(changes, "avgLtv", previous, current, KpiSummaryView::avgLtv);
        amount(changes, "ltvToCac", previous, current, KpiSummaryView::ltvToCac);
        rate(changes, "roi", previous, current, KpiSummaryView::roi);
        amount(changes, "roas", previous, current, KpiSummaryView::roas);
        return changes;
    }

    /** Counts, money and ratios: the difference, and the difference relative to the month before. */
    private static void amount(Map<String, KpiChange> changes, String name, KpiSummaryView previous,
                               KpiSummaryView current, Function<KpiSummaryView, BigDecimal> kpi) {
        BigDecimal before = kpi.apply(previous);
        BigDecimal now = kpi.apply(current);
        if (before == null || now == null) {
            changes.put(name, new KpiChange(before, now, null, null, null));
            return;
        }
        BigDecimal absolute = now.subtract(before);
        BigDecimal relative = before.signum() == 0 ? null
                : absolute.divide(before.abs(), MathContext.DECIMAL128).setScale(4, RoundingMode.HALF_EVEN);
        changes.put(name, new KpiChange(before, now, absolute, relative, null));
    }

    /** Rates (fractions): the change in percentage points, 0.25 → 0.30 being +5.00. */
    private static void rate(Map<String, KpiChange> changes, String name, KpiSummaryView previous,
                             KpiSummaryView current, Function<KpiSummaryView, BigDecimal> kpi) {
        BigDecimal before = kpi.apply(previous);
        BigDecimal now = kpi.apply(current);
        BigDecimal points = before == null || now == null ? null
                : now.subtract(before).multiply(HUNDRED).setScale(2, RoundingMode.HALF_EVEN);
        changes.put(name, new KpiChange(before, now, null, null, points));
    }
}
