package com.kpiledger.web;

import jakarta.annotation.security.RolesAllowed;
import com.kpiledger.coreapi.kpi.AnswerAfresh;
import com.kpiledger.coreapi.kpi.FetchMonthlyKpisQuery;
import com.kpiledger.coreapi.kpi.FindFunnelQuery;
import com.kpiledger.coreapi.kpi.FindKpiSummaryQuery;
import com.kpiledger.coreapi.kpi.FunnelView;
import com.kpiledger.coreapi.kpi.FunnelViewKind;
import com.kpiledger.coreapi.kpi.GroupBy;
import com.kpiledger.coreapi.kpi.KpiScope;
import com.kpiledger.coreapi.kpi.MonthlyKpisView;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Clock;
import java.util.Locale;

@Path("/api/kpis")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "KPIs", description = "Funnel, conversion and money KPIs for a business period, as known now or at any past moment")
@RolesAllowed({Roles.ANALYST, Roles.AUDITOR})
public class KpiResource {

    @Inject
    Queries queries;

    @Inject
    ReadModels readModels;

    Clock clock = Clock.systemUTC();

    @GET
    @Path("/summary")
    @Operation(summary = "Every KPI for a period", description = "Optionally broken down with groupBy=campaign or channel (rows plus total). Periods are [from, to) in UTC dates.")
    public Object summary(@Parameter(description = "first day, ISO date, inclusive") @QueryParam("from") String from,
                          @Parameter(description = "day after the last, ISO date, exclusive") @QueryParam("to") String to,
                          @QueryParam("campaignId") String campaignId,
                          @QueryParam("channel") String channel,
                          @Parameter(description = "needed only when the ledger holds several currencies") @QueryParam("currency") String currency,
                          @Parameter(description = "count only what was recorded by this instant") @QueryParam("knownAt") String knownAt,
                          @Parameter(description = "campaign or channel") @QueryParam("groupBy") String groupBy,
                          @Parameter(description = "CAC including SALES cost") @QueryParam("fullyLoaded") String fullyLoaded,
                          @Parameter(description = "wait until the read models reached this store position (from a command's answer)") @QueryParam("minPosition") String minPosition,
                          @Parameter(description = "no-cache: compute the answer again rather than serve the one kept for this position") @HeaderParam("Cache-Control") String cacheControl) {
        KpiParameters parameters = KpiParameters.parse();
        KpiScope scope = parameters.scope(from, to, campaignId, channel, currency, knownAt, clock);
        GroupBy grouping = parameters.groupBy(groupBy);
        boolean loaded = parameters.flag("fullyLoaded", fullyLoaded);
        Long awaited = parameters.minPosition(minPosition);
        parameters.check();
        readModels.await(awaited);
        return ask(new FindKpiSummaryQuery(scope, grouping, loaded), Object.class, cacheControl);
    }

    @GET
    @Path("/monthly")
    @Operation(summary = "One summary per calendar month of the period, each with its change against the month before", description = "Rates change in percentage points; counts and money absolutely and relatively")
    public MonthlyKpisView monthly(@QueryParam("from") String from, @QueryParam("to") String to,
                                   @QueryParam("campaignId") String campaignId, @QueryParam("channel") String channel,
                                   @QueryParam("currency") String currency, @QueryParam("knownAt") String knownAt,
                                   @QueryParam("fullyLoaded") String fullyLoaded,
                                   @QueryParam("minPosition") String minPosition,
                                   @HeaderParam("Cache-Control") String cacheControl) {
        KpiParameters parameters = KpiParameters.parse();
        KpiScope scope = parameters.scope(from, to, campaignId, channel, currency, knownAt, clock);
        boolean loaded = parameters.flag("fullyLoaded", fullyLoaded);
        Long awaited = parameters.minPosition(minPosition);
        parameters.check();
        readModels.await(awaited);
        return ask(new FetchMonthlyKpisQuery(scope, loaded), MonthlyKpisView.class, cacheControl);
    }

    @GET
    @Path("/funnel")
    @Operation(summary = "Stage counts and step rates", description = "view=period: entries in the period; view=cohort: how far the leads captured in the period got")
    public FunnelView funnel(@QueryParam("from") String from, @QueryParam("to") String to,
                             @QueryParam("campaignId") String campaignId, @QueryParam("channel") String channel,
                             @QueryParam("knownAt") String knownAt, @QueryParam("view") String view,
                             @QueryParam("minPosition") String minPosition,
                             @HeaderParam("Cache-Control") String cacheControl) {
        KpiParameters parameters = KpiParameters.parse();
        KpiScope scope = parameters.scope(from, to, campaignId, channel, null, knownAt, clock);
        FunnelViewKind kind = parameters.view(view);
        Long awaited = parameters.minPosition(minPosition);
        parameters.check();
        readModels.await(awaited);
        return ask(new FindFunnelQuery(scope, kind), FunnelView.class, cacheControl);
    }

    /**
     * An answer is kept per question and store position once nothing below that position can change
     * ({@code kpi-ledger.kpi-answers.cached}); {@code Cache-Control: no-cache} has it computed again.
     */
    private <T> T ask(Object question, Class<T> answerType, String cacheControl) {
        if (cacheControl != null && cacheControl.toLowerCase(Locale.ROOT).contains("no-cache")) {
            return answerType.cast(queries.ask(new AnswerAfresh(question), Object.class));
        }
        return queries.ask(question, answerType);
    }

}
