package com.kpiledger.web;

import com.kpiledger.coreapi.audit.KpiQuestion;
import com.kpiledger.coreapi.audit.KpiVerificationView;
import com.kpiledger.coreapi.audit.VerifyKpiQuery;
import com.kpiledger.coreapi.kpi.FunnelViewKind;
import com.kpiledger.coreapi.kpi.GroupBy;
import com.kpiledger.coreapi.kpi.KpiScope;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Clock;
import java.util.List;
import java.util.Locale;

@Path("/api/audit")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Audit", description = "Verify any KPI answer from the raw events")
public class AuditResource {

    @Inject
    Queries queries;

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
