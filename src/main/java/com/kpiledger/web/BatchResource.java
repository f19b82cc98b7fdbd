package com.kpiledger.web;

import jakarta.annotation.security.RolesAllowed;
import com.kpiledger.coreapi.history.FindStoreHeadQuery;
import com.kpiledger.coreapi.shared.AggregateIds;
import com.kpiledger.coreapi.shared.CommandOutcome;
import com.kpiledger.ingest.ChunkedIngest;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.List;

@Path("/api/commands/batch")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Bulk", description = "Many commands in one request, for CRM syncs")
@RolesAllowed(Roles.CRM)
public class BatchResource {

    @Inject
    BatchItems items;

    @Inject
    ChunkedIngest ingest;

    @Inject
    Queries queries;

    @POST
    @Operation(summary = "Send up to 1,000 commands at once",
            description = "Each item is handled as the single command would be, in order, and answered on its own: "
                    + "APPLIED, UNCHANGED or REJECTED with its problem. An item's refusal never undoes another item. "
                    + "More than 1,000 items: 413. Always 200 otherwise.")
    public BatchRequests.BatchAnswer send(@HeaderParam(Sources.HEADER) @Pattern(regexp = AggregateIds.ID_PATTERN) String source,
                                          @NotNull @Valid BatchRequests.Batch body) {
        if (body.commands().size() > BatchRequests.MAX_ITEMS) {
            throw new WebApplicationException("A batch holds at most " + BatchRequests.MAX_ITEMS
                    + " commands; this one has " + body.commands().size() + ". Split it.", 413);
        }
        List<BatchItems.Item> read = body.commands().stream().map(node -> items.read(node, Sources.orDefault(source))).toList();
        List<Object> commands = read.stream().filter(item -> item.command() != null).map(BatchItems.Item::command).toList();
        List<ChunkedIngest.Result> results = ingest.send(commands);

        List<BatchRequests.ItemResult> answers = new ArrayList<>(read.size());
        int sent = 0;
        int applied = 0;
        int unchanged = 0;
        for (int index = 0; index < read.size(); index++) {
            BatchItems.Item item = read.get(index);
            if (item.command() == null) {
                answers.add(BatchRequests.ItemResult.rejected(index, item.type(), item.id(), item.problem()));
                continue;
            }
            ChunkedIngest.Result result = results.get(sent++);
            if (result.refusal() != null) {
                answers.add(BatchRequests.ItemResult.rejected(index, item.type(), item.id(), items.problemOf(result.refusal())));
            } else {
                applied += result.outcome() == CommandOutcome.APPLIED ? 1 : 0;
                unchanged += result.outcome() == CommandOutcome.UNCHANGED ? 1 : 0;
                answers.add(BatchRequests.ItemResult.of(index, item.type(), item.id(), result.outcome()));
            }
        }
        long position = queries.ask(new FindStoreHeadQuery(), Long.class);
        return new BatchRequests.BatchAnswer(applied, unchanged, read.size() - applied - unchanged, position, answers);
    }
}
