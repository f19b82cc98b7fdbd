package com.kpiledger.web;

import jakarta.annotation.security.RolesAllowed;
import com.kpiledger.coreapi.admin.DeadLetterRetryView;
import com.kpiledger.coreapi.admin.DeadLetterView;
import com.kpiledger.coreapi.admin.FetchDeadLettersQuery;
import com.kpiledger.coreapi.admin.RetryDeadLettersCommand;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@Path("/api/admin/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin")
@RolesAllowed(Roles.ADMIN)
public class DeadLetterResource {

    @Inject
    Queries queries;

    @Inject
    CommandGateway commandGateway;

    @GET
    @Operation(summary = "Events parked in the read models' dead-letter queues",
            description = "An event whose handler failed, and every later event of the same aggregate, waiting behind it. Other aggregates are not held up.")
    public List<DeadLetterView> deadLetters() {
        return queries.ask(new FetchDeadLettersQuery(), ResponseTypes.multipleInstancesOf(DeadLetterView.class));
    }

    @POST
    @Path("/{readModel}/retry")
    @Operation(summary = "Hand one read model's parked events to its handlers again",
            description = "Each parked aggregate is tried once, oldest event first; events that now succeed are applied and removed, the first one that fails again stays parked with its new cause, together with the events behind it.")
    public DeadLetterRetryView retry(@PathParam("readModel") @Pattern(regexp = "[a-z-]{1,32}") String readModel) {
        return commandGateway.sendAndWait(new RetryDeadLettersCommand(readModel));
    }
}
