package com.kpiledger.web;

import jakarta.annotation.security.RolesAllowed;
import com.kpiledger.coreapi.campaign.CorrectSpendCommand;
import com.kpiledger.coreapi.campaign.EndCampaignCommand;
import com.kpiledger.coreapi.campaign.LaunchCampaignCommand;
import com.kpiledger.coreapi.campaign.RecordSpendCommand;
import com.kpiledger.coreapi.history.EventHistoryView;
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

@Path("/api/campaigns")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Campaigns", description = "Commands from CRMs about campaigns and their spend, and their history")
@RolesAllowed(Roles.CRM)
public class CampaignResource {

    @Inject
    CommandSender commands;

    @Inject
    HistoryReader historyReader;

    @POST
    @Operation(summary = "Launch a campaign", description = "201 when launched, 200 for an identical retry, 409 when the id is taken by other details")
    public Response launch(@HeaderParam(Sources.HEADER) @Pattern(regexp = AggregateIds.ID_PATTERN) String source,
                           @NotNull @Valid Requests.LaunchCampaign body) {
        return commands.create(new LaunchCampaignCommand(body.campaignId(), body.name(),
                body.channel(), body.currency(), body.launchedOn(), Sources.orDefault(source)),
                "campaign", body.campaignId(), body.campaignId());
    }

    @POST
    @Path("/{campaignId}/spend")
    @Operation(summary = "Record a spend line", description = "In the campaign's currency; 404 for an unknown campaign")
    public Response recordSpend(@PathParam("campaignId") @Pattern(regexp = AggregateIds.ID_PATTERN) String campaignId,
                                @HeaderParam(Sources.HEADER) @Pattern(regexp = AggregateIds.ID_PATTERN) String source,
                                @NotNull @Valid Requests.RecordSpend body) {
        return commands.create(new RecordSpendCommand(campaignId, body.spendId(),
                body.amount(), body.currency(), body.spentOn(), body.costType(), Sources.orDefault(source)),
                "campaign", campaignId, body.spendId());
    }

    @POST
    @Path("/{campaignId}/spend/{spendId}/corrections")
    @Operation(summary = "Correct a spend line's amount", description = "The new amount replaces the old one for the original spentOn; the old event stays")
    public Response correctSpend(@PathParam("campaignId") @Pattern(regexp = AggregateIds.ID_PATTERN) String campaignId,
                                 @PathParam("spendId") @Pattern(regexp = AggregateIds.ID_PATTERN) String spendId,
                                 @HeaderParam(Sources.HEADER) @Pattern(regexp = AggregateIds.ID_PATTERN) String source,
                                 @NotNull @Valid Requests.CorrectSpend body) {
        return commands.create(new CorrectSpendCommand(campaignId, spendId,
                body.amount(), body.reason(), Sources.orDefault(source)),
                "campaign", campaignId, spendId);
    }

    @POST
    @Path("/{campaignId}/end")
    @Operation(summary = "End a campaign", description = "Spend may still be recorded afterwards (late invoices)")
    public Response end(@PathParam("campaignId") @Pattern(regexp = AggregateIds.ID_PATTERN) String campaignId,
                        @HeaderParam(Sources.HEADER) @Pattern(regexp = AggregateIds.ID_PATTERN) String source,
                        @NotNull @Valid Requests.EndCampaign body) {
        return commands.update(
                new EndCampaignCommand(campaignId, body.endedOn(), Sources.orDefault(source)),
                "campaign", campaignId, campaignId);
    }

    @GET
    @RolesAllowed(Roles.AUDITOR)
    @Path("/{campaignId}/history")
    @Operation(summary = "Every event of the campaign, oldest first", description = "With business time, recorded time, store position and the command that caused it")
    public EventHistoryView history(@PathParam("campaignId") @Pattern(regexp = AggregateIds.ID_PATTERN) String campaignId) {
        return historyReader.history("campaign", campaignId);
    }
}
