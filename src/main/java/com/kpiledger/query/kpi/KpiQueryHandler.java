package com.kpiledger.query.kpi;

import com.kpiledger.coreapi.kpi.AwaitReadModelsQuery;
import com.kpiledger.coreapi.kpi.CustomerLtvView;
import com.kpiledger.coreapi.kpi.FetchMonthlyKpisQuery;
import com.kpiledger.coreapi.kpi.FindCustomerLtvQuery;
import com.kpiledger.coreapi.kpi.FindFunnelQuery;
import com.kpiledger.coreapi.kpi.FindKpiSummaryQuery;
import com.kpiledger.coreapi.kpi.FunnelView;
import com.kpiledger.coreapi.kpi.FunnelViewKind;
import com.kpiledger.coreapi.kpi.GroupBy;
import com.kpiledger.coreapi.kpi.KpiBreakdownView;
import com.kpiledger.coreapi.kpi.KpiChange;
import com.kpiledger.coreapi.kpi.KpiScope;
import com.kpiledger.coreapi.kpi.KpiSummaryView;
import com.kpiledger.coreapi.kpi.MonthKpis;
import com.kpiledger.coreapi.kpi.MonthlyKpisView;
import com.kpiledger.coreapi.lead.DealOutcome;
import com.kpiledger.query.ReadModelStatus;
import com.kpiledger.query.funnel.DealFact;
import com.kpiledger.query.funnel.FunnelStage;
import com.kpiledger.query.funnel.LeadRow;
import com.kpiledger.query.funnel.StageEntry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.axonframework.queryhandling.QueryHandler;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Answers every KPI question from the read models, in one read-only transaction so the figures of one answer come
 * from one consistent snapshot. Every answer names the store position it reflects.
 */
@Singleton
public class KpiQueryHandler {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    @Inject
    KpiReadModel readModel;

    @Inject
    ReadModelStatus status;

    @QueryHandler
    public Object handle(FindKpiSummaryQuery query) {
        return QuarkusTransaction.requiringNew().call(() -> {
            KpiScope scope = query.scope();
            String currency = readModel.resolveCurrency(scope);
            long position = position(scope.knownAt());
            KpiCalculator calculator = new KpiCalculator(readModel.load(scope, currency, false));
            if (query.groupBy() == null || query.groupBy() == GroupBy.NONE) {
                return calculator.summary(scope, position, query.fullyLoaded());
            }
            return calculator.breakdown(scope, position, query.fullyLoaded(), query.groupBy());
        });
    }

    @QueryHandler
    public MonthlyKpisView handle(FetchMonthlyKpisQuery query) {
        return QuarkusTransaction.requiringNew().call(() -> {
            KpiScope scope = query.scope();
            String currency = readModel.resolveCurrency(scope);
            long position = position(scope.knownAt());
            YearMonth first = YearMonth.from(scope.from());
            YearMonth last = YearMonth.from(scope.to().minusDays(1));
            KpiSummaryView previous = monthSummary(scope, first.minusMonths(1), currency, position, query.fullyLoaded());
            List<MonthKpis> months = new ArrayList<>();
            for (YearMonth month = first; !month.isAfter(last); month = month.plusMonths(1)) {
                KpiSummaryView current = monthSummary(scope, month, currency, position, query.fullyLoaded());
                months.add(new MonthKpis(month.toString(), current, changes(previous, current)));
                previous = current;
            }
            return new MonthlyKpisView(scope.from(), scope.to(), scope.knownAt(), position, months);
        });
    }

    @QueryHandler
    public FunnelView handle(FindFunnelQuery query) {
        return QuarkusTransaction.requiringNew().call(() -> {
            KpiScope scope = query.scope();
            long position = position(scope.knownAt());
            if (query.view() == FunnelViewKind.COHORT) {
                KpiCalculator calculator = new KpiCalculator(readModel.load(scope, null, false));
                return calculator.cohortFunnel(scope, position, readModel.cohort(scope));
            }
            return new KpiCalculator(readModel.load(scope, null, true)).periodFunnel(scope, position);
        });
    }

    /** Empty when no such lead was known at the moment asked. */
    @QueryHandler
    public Optional<CustomerLtvView> handle(FindCustomerLtvQuery query) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant knownAt = query.knownAt();
            LeadRow lead = LeadRow.findById(query.leadId());
            if (lead == null || (knownAt != null && lead.recordedAt.isAfter(knownAt))) {
                return Optional.empty();
            }
            List<DealFact> deals = DealFact.<DealFact>list("leadId", query.leadId()).stream()
                    .filter(deal -> knownAt == null || !deal.recordedAt.isAfter(knownAt))
                    .sorted(Comparator.comparing((DealFact deal) -> deal.closedAt).thenComparing(deal -> deal.dealId))
                    .toList();
            Instant customerSince = StageEntry.<StageEntry>list("leadId = ?1 and stage = ?2", query.leadId(),
                            FunnelStage.CUSTOMER).stream()
                    .filter(entry -> knownAt == null || !entry.recordedAt.isAfter(knownAt))
                    .map(entry -> entry.enteredAt)
                    .min(Comparator.naturalOrder())
                    .orElse(null);
            BigDecimal ltv = BigDecimal.ZERO;
            List<CustomerLtvView.Deal> views = new ArrayList<>();
            for (DealFact deal : deals) {
                BigDecimal grossProfit = deal.amount.multiply(deal.grossMargin);
                if (deal.outcome == DealOutcome.WON) {
                    ltv = ltv.add(grossProfit);
                }
                views.add(new CustomerLtvView.Deal(deal.dealId, deal.outcome.name(), KpiCalculator.money(deal.amount),
                        deal.currency, deal.grossMargin.stripTrailingZeros(), KpiCalculator.money(grossProfit),
                        deal.closedAt, deal.recordedAt));
            }
            String currency = deals.isEmpty() ? null : deals.get(0).currency;
            return Optional.of(new CustomerLtvView(lead.leadId, lead.campaignId, customerSince, currency,
                    customerSince == null ? null : KpiCalculator.money(ltv), knownAt, position(knownAt), views));
        });
    }

    @QueryHandler
    public Boolean handle(AwaitReadModelsQuery query) {
        return status.awaitPosition(query.minPosition(), Duration.ofMillis(query.timeoutMillis()));
    }

    private KpiSummaryView monthSummary(KpiScope scope, YearMonth month, String currency, long position,
                                        boolean fullyLoaded) {
        KpiScope monthScope = scope.withPeriod(month.atDay(1), month.plusMonths(1).atDay(1));
        return new KpiCalculator(readModel.load(monthScope, currency, false)).summary(monthScope, position, fullyLoaded);
    }

    /** The read models' position, or for "as known at" the last store position recorded by then. */
    private long position(Instant knownAt) {
        long applied = status.position();
        return knownAt == null ? applied : Math.min(applied, readModel.storePositionAt(knownAt));
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
