package com.kpiledger.query.kpi;

import com.kpiledger.coreapi.audit.KpiQuestion;
import com.kpiledger.coreapi.kpi.AnswerAfresh;
import com.kpiledger.coreapi.kpi.AwaitReadModelsQuery;
import com.kpiledger.coreapi.kpi.CustomerLtvView;
import com.kpiledger.coreapi.kpi.FetchMonthlyKpisQuery;
import com.kpiledger.coreapi.kpi.FindCustomerLtvQuery;
import com.kpiledger.coreapi.kpi.FindFunnelQuery;
import com.kpiledger.coreapi.kpi.FindKpiSummaryQuery;
import com.kpiledger.coreapi.kpi.FunnelView;
import com.kpiledger.coreapi.kpi.MonthlyKpisView;
import com.kpiledger.coreapi.lead.DealOutcome;
import com.kpiledger.coreapi.shared.ReadModelRebuildingException;
import com.kpiledger.query.ReadModelStatus;
import com.kpiledger.query.funnel.DealFact;
import com.kpiledger.query.funnel.FunnelStage;
import com.kpiledger.query.funnel.LeadRow;
import com.kpiledger.query.funnel.StageEntry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.axonframework.queryhandling.QueryHandler;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Answers every KPI question from the read models, in one read-only transaction so the figures of one answer come
 * from one consistent snapshot. Every answer names the store position it reflects.
 */
@Singleton
public class KpiQueryHandler {

    @Inject
    KpiReadModel readModel;

    @Inject
    ReadModelStatus status;

    @Inject
    KpiAnswerCache cache;

    /**
     * An index drawn, not committed, cannot commit later than this after the next event was recorded: twice the
     * transaction timeout (60 s; the later event's transaction may have drawn its index up to that long after
     * recording it), with a margin.
     */
    @ConfigProperty(name = "kpi-ledger.kpi-answers.gaps-close-after", defaultValue = "5M")
    Duration gapsCloseAfter;

    @QueryHandler
    public Object handle(FindKpiSummaryQuery query) {
        return summary(query, false);
    }

    @QueryHandler
    public MonthlyKpisView handle(FetchMonthlyKpisQuery query) {
        return monthly(query, false);
    }

    @QueryHandler
    public FunnelView handle(FindFunnelQuery query) {
        return funnel(query, false);
    }

    @QueryHandler
    public Object handle(AnswerAfresh afresh) {
        Object question = afresh.question();
        if (question instanceof FindKpiSummaryQuery summary) {
            return summary(summary, true);
        }
        if (question instanceof FetchMonthlyKpisQuery monthly) {
            return monthly(monthly, true);
        }
        if (question instanceof FindFunnelQuery funnel) {
            return funnel(funnel, true);
        }
        throw new IllegalArgumentException("Not a KPI question: " + question);
    }

    private Object summary(FindKpiSummaryQuery query, boolean fresh) {
        return answer(query, query.scope().knownAt(), fresh, (answers, position) -> answers.summary(query, position));
    }

    private MonthlyKpisView monthly(FetchMonthlyKpisQuery query, boolean fresh) {
        return answer(query, query.scope().knownAt(), fresh, (answers, position) -> answers.monthly(query, position));
    }

    private FunnelView funnel(FindFunnelQuery query, boolean fresh) {
        return answer(query, query.scope().knownAt(), fresh, (answers, position) -> answers.funnel(query, position));
    }

    /**
     * In one read-only transaction: refused while a read model rebuilds; then the answer at the read models' position
     * (or the last one recorded by "as known at"), kept or computed.
     */
    private <T> T answer(Object question, Instant knownAt, boolean fresh, Answering<T> compute) {
        return QuarkusTransaction.requiringNew().call(() -> {
            KpiAnswers answers = answers();
            ReadModelStatus.Progress progress = status.progress();
            long position = position(progress.applied(), knownAt);
            return cache.answer(question, position, settled(progress, position), fresh,
                    () -> compute.answer(answers, position));
        });
    }

    @FunctionalInterface
    private interface Answering<T> {
        T answer(KpiAnswers answers, long position);
    }

    /** Empty when no such lead was known at the moment asked. */
    @QueryHandler
    public Optional<CustomerLtvView> handle(FindCustomerLtvQuery query) {
        refuseWhileIncomplete();
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
                        deal.currency, deal.grossMargin.stripTrailingZeros(),
                        deal.outcome == DealOutcome.WON ? KpiCalculator.money(grossProfit) : null,
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

    /** Refuses while a read model rebuilds: a half-built figure must never be presented as final. */
    private KpiAnswers answers() {
        refuseWhileIncomplete();
        readModel.planForTheParametersGiven();
        return new KpiAnswers(readModel);
    }

    /**
     * Whether no event at or below {@code position} can still be applied: none parked, and every index below it not
     * seen by a read model is closed — its transaction rolled back or timed out, as it was drawn before the event
     * after it, which was recorded longer ago than a transaction can last.
     */
    private boolean settled(ReadModelStatus.Progress progress, long position) {
        if (progress.parked()) {
            return false;
        }
        long gap = progress.highestGapAtOrBelow(position);
        return gap < 0 || readModel.recordedAfter(gap).map(at -> at.isBefore(Instant.now().minus(gapsCloseAfter)))
                .orElse(false);
    }

    private void refuseWhileIncomplete() {
        status.rebuilding().ifPresent(progress -> {
            throw new ReadModelRebuildingException(progress.substring(0, progress.indexOf(' ')), progress);
        });
    }

    /** The read models' answer to an auditor's question, at a given position (in the caller's transaction). */
    public Object answer(KpiQuestion question, long position) {
        return answers().answer(question, position);
    }

    /** The read models' position, or for "as known at" the last store position recorded by then. */
    public long position(Instant knownAt) {
        return position(status.position(), knownAt);
    }

    private long position(long applied, Instant knownAt) {
        return knownAt == null ? applied : Math.min(applied, readModel.storePositionAt(knownAt));
    }
}
