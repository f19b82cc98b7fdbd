package com.kpiledger.web;

import jakarta.annotation.security.RolesAllowed;
import com.kpiledger.coreapi.history.EventHistoryView;
import com.kpiledger.coreapi.lead.CaptureLeadCommand;
import com.kpiledger.coreapi.lead.CloseDealCommand;
import com.kpiledger.coreapi.lead.DisqualifyLeadCommand;
import com.kpiledger.coreapi.lead.QualifyLeadCommand;
import com.kpiledger.coreapi.shared.AggregateIds;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/leads")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Leads", description = "Commands from CRMs about leads, their qualification and deals, and their history")
@RolesAllowed(Roles.CRM)
public class LeadResource {

    @Inject
    CommandSender commands;

    @Inject
    HistoryReader historyReader;

    @POST
    @Operation(summary = "Capture a lead", description = "campaignId is the lead's source (null = organic, then channel may be given)")
    public Response capture(@HeaderParam(Sources.HEADER) @Pattern(regexp = AggregateIds.ID_PATTERN) String source,
                            @NotNull @Valid Requests.CaptureLead body) {
        return commands.create(new CaptureLeadCommand(body.leadId(), body.campaignId(),
                body.channel(), body.capturedAt(), Sources.orDefault(source)),
                "lead", body.leadId(), body.leadId());
    }

    @POST
    @Path("/{leadId}/qualifications")
    @Operation(summary = "Qualify a lead as MQL or SQL", description = "SQL without MQL is allowed: the event names MQL as implied")
    public Response qualify(@PathParam("leadId") @Pattern(regexp = AggregateIds.ID_PATTERN) String leadId,
                            @HeaderParam(Sources.HEADER) @Pattern(regexp = AggregateIds.ID_PATTERN) String source,
                            @NotNull @Valid Requests.QualifyLead body) {
        return commands.create(
                new QualifyLeadCommand(leadId, body.stage(), body.qualifiedAt(), Sources.orDefault(source)),
                "lead", leadId, leadId);
    }

    @POST
    @Path("/{leadId}/disqualifications")
    @Operation(summary = "Disqualify a lead", description = "The lead stays in every stage count it entered")
    public Response disqualify(@PathParam("leadId") @Pattern(regexp = AggregateIds.ID_PATTERN) String leadId,
                               @HeaderParam(Sources.HEADER) @Pattern(regexp = AggregateIds.ID_PATTERN) String source,
                               @NotNull @Valid Requests.DisqualifyLead body) {
        return commands.create(
                new DisqualifyLeadCommand(leadId, body.reason(), body.disqualifiedAt(), Sources.orDefault(source)),
                "lead", leadId, leadId);
    }

    @POST
    @Path("/{leadId}/deals")
    @Operation(summary = "Close a deal of the lead, WON or LOST", description = "The first WON deal makes the lead a customer; several deals per lead are allowed")
    public Response closeDeal(@PathParam("leadId") @Pattern(regexp = AggregateIds.ID_PATTERN) String leadId,
                              @HeaderParam(Sources.HEADER) @Pattern(regexp = AggregateIds.ID_PATTERN) String source,
                              @NotNull @Valid Requests.CloseDeal body) {
        return commands.create(new CloseDealCommand(leadId, body.dealId(),
                body.outcome(), body.amount(), body.currency(), body.grossMargin(), body.closedAt(),
                Sources.orDefault(source)),
                "lead", leadId, body.dealId());
    }

    @GET
    @RolesAllowed(Roles.AUDITOR)
    @Path("/{leadId}/history")
    @Operation(summary = "Every event of the lead, oldest first", description = "With business time, recorded time, store position and the command that caused it")
    public EventHistoryView history(@PathParam("leadId") @Pattern(regexp = AggregateIds.ID_PATTERN) String leadId) {
        return historyReader.history("lead", leadId);
    }
}
