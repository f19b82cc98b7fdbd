package com.kpiledger.web;

import jakarta.annotation.security.RolesAllowed;
import com.kpiledger.coreapi.audit.KpiQuestion;
import com.kpiledger.coreapi.audit.KpiVerificationView;
import com.kpiledger.coreapi.audit.VerifyKpiQuery;
import com.kpiledger.coreapi.kpi.FunnelViewKind;
import com.kpiledger.coreapi.kpi.GroupBy;
import com.kpiledger.coreapi.kpi.KpiScope;
import com.kpiledger.coreapi.audit.FetchKpiSnapshotsQuery;
import com.kpiledger.coreapi.audit.FindKpiSnapshotQuery;
import com.kpiledger.coreapi.audit.FindRestatementQuery;
import com.kpiledger.coreapi.audit.KpiSnapshotVerificationView;
import com.kpiledger.coreapi.audit.KpiSnapshotView;
import com.kpiledger.coreapi.audit.PublishKpiSnapshotCommand;
import com.kpiledger.coreapi.audit.RestatementView;
import com.kpiledger.coreapi.audit.VerifyKpiSnapshotQuery;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.List;
import java.util.Locale;

@Path("/api/audit")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Audit", description = "Verify any KPI answer from the raw events")
@RolesAllowed(Roles.AUDITOR)
public class AuditResource {

    private static final String SNAPSHOT_ID = "[0-9a-f-]{36}";

    @Inject
    Queries queries;

    @Inject
    CommandGateway commandGateway;

    Clock clock = Clock.systemUTC();

    /** The parameters of a KPI query, as a JSON body; {@code kpi} names the endpoint (summary, monthly, funnel). */
    public record QuestionBody(String kpi, String from, String to, String campaignId, String channel, String currency,
                               String knownAt, String groupBy, Boolean fullyLoaded, String view) {
    }

    @POST
    @Path("/verifications")
    @Operation(summary = "Verify a KPI answer", description = "Answers from the read models and recomputes the same answer by folding the raw events up to the same store position; returns both, whether they match, the events read, the position, the definition version and a SHA-256 digest of the events")
    public KpiVerificationView verify(@NotNull QuestionBody body) {
        return queries.ask(new VerifyKpiQuery(question(body, clock)), KpiVerificationView.class);
    }

    /** A question to publish, with an optional note (e.g. "Q1 board deck"). */
    public record PublishBody(String kpi, String from, String to, String campaignId, String channel, String currency,
                              String knownAt, String groupBy, Boolean fullyLoaded, String view,
                              @Size(max = 500) String note) {

        QuestionBody question() {
            return new QuestionBody(kpi, from, to, campaignId, channel, currency, knownAt, groupBy, fullyLoaded, view);
        }
    }

    @POST
    @Path("/snapshots")
    @Operation(summary = "Publish a KPI figure", description = "Checks the read models' answer against the raw events (409 if they differ), then stores it with its position, definition version and digest")
    public Response publish(@NotNull @Valid PublishBody body) {
        KpiSnapshotView snapshot = commandGateway.sendAndWait(new PublishKpiSnapshotCommand(
                UUID.randomUUID().toString(), question(body.question(), clock), body.note()));
        return Response.created(URI.create("/api/audit/snapshots/" + snapshot.snapshotId())).entity(snapshot).build();
    }

    @GET
    @Path("/snapshots")
    @Operation(summary = "The latest published KPI figures, newest first")
    public List<KpiSnapshotView> snapshots(@QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return queries.ask(new FetchKpiSnapshotsQuery(limit), ResponseTypes.multipleInstancesOf(KpiSnapshotView.class));
    }

    @GET
    @Path("/snapshots/{snapshotId}")
    @Operation(summary = "One published KPI figure")
    public KpiSnapshotView snapshot(@PathParam("snapshotId") @Pattern(regexp = SNAPSHOT_ID) String snapshotId) {
        return queries.ask(new FindKpiSnapshotQuery(snapshotId), ResponseTypes.optionalInstanceOf(KpiSnapshotView.class))
                .orElseThrow(() -> new NotFoundException("No published snapshot '" + snapshotId + "'"));
    }

    @POST
    @Path("/snapshots/{snapshotId}/verifications")
    @Operation(summary = "Re-verify a published KPI figure", description = "Folds the raw events again up to the snapshot's position and compares decimal for decimal")
    public KpiSnapshotVerificationView reverify(@PathParam("snapshotId") @Pattern(regexp = SNAPSHOT_ID) String snapshotId) {
        return queries.ask(new VerifyKpiSnapshotQuery(snapshotId),
                        ResponseTypes.optionalInstanceOf(KpiSnapshotVerificationView.class))
                .orElseThrow(() -> new NotFoundException("No published snapshot '" + snapshotId + "'"));
    }

    @GET
    @Path("/restatements")
    @Operation(summary = "How a period's KPIs changed between two moments, and why", description = "The summary as known at earlier and at later (default now), the KPIs that differ, and the events recorded in between that belong to the period and scope")
    public RestatementView restatement(@QueryParam("from") String from, @QueryParam("to") String to,
                                       @QueryParam("campaignId") String campaignId, @QueryParam("channel") String channel,
                                       @QueryParam("currency") String currency,
                                       @QueryParam("earlier") String earlier, @QueryParam("later") String later) {
        KpiParameters parameters = KpiParameters.parse();
        KpiScope scope = parameters.scope(from, to, campaignId, channel, currency, null, clock);
        Instant earlierAt = parameters.moment("earlier", earlier, true, clock);
        Instant laterAt = parameters.moment("later", later, false, clock);
        parameters.check();
        Instant until = laterAt == null ? clock.instant() : laterAt;
        if (!earlierAt.isBefore(until)) {
            throw new InvalidParametersException(List.of(new Problem.FieldError("later", "must be after earlier")));
        }
        return queries.ask(new FindRestatementQuery(scope, earlierAt, until), RestatementView.class);
    }

    static KpiQuestion question(QuestionBody body, Clock clock) {
        KpiParameters parameters = KpiParameters.parse();
        String kpi = body.kpi() == null ? "summary" : body.kpi().toLowerCase(Locale.ROOT);
        if (!List.of("summary", "monthly", "funnel").contains(kpi)) {
            throw new InvalidParametersException(List.of(new Problem.FieldError("kpi", "must be summary, monthly or funnel")));
        }
        KpiScope scope = parameters.scope(body.from(), body.to(), body.campaignId(), body.channel(),
                "funnel".equals(kpi) ? null : body.currency(), body.knownAt(), clock);
        GroupBy groupBy = "summary".equals(kpi) ? parameters.groupBy(body.groupBy()) : GroupBy.NONE;
        FunnelViewKind view = "funnel".equals(kpi) ? parameters.view(body.view()) : FunnelViewKind.PERIOD;
        parameters.check();
        return new KpiQuestion(kpi, scope, groupBy, Boolean.TRUE.equals(body.fullyLoaded()), view);
    }
}
