package com.kpiledger.web;

import jakarta.annotation.security.RolesAllowed;
import com.kpiledger.coreapi.admin.FetchNodesQuery;
import com.kpiledger.coreapi.admin.FetchProjectionsQuery;
import com.kpiledger.coreapi.admin.NodeView;
import com.kpiledger.coreapi.admin.ProjectionView;
import com.kpiledger.coreapi.admin.RebuildProjectionCommand;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@Path("/api/admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin", description = "Read models (status, lag, rebuilds) and the nodes sharing the database")
@RolesAllowed(Roles.ADMIN)
public class AdminResource {

    @Inject
    Queries queries;

    @Inject
    CommandGateway commandGateway;

    @GET
    @Path("/projections")
    @Operation(summary = "Every read model with its state, position, the head of the store, lag and rebuild progress")
    public List<ProjectionView> projections() {
        return queries.ask(new FetchProjectionsQuery(), ResponseTypes.multipleInstancesOf(ProjectionView.class));
    }

    @POST
    @Path("/projections/{name}/rebuild")
    @Operation(summary = "Rebuild one read model from the event store", description = "202: every node stops its processor of the read model, one resets it, all replay; follow it with GET /api/admin/projections. KPI queries answer 503 with the progress until it has caught up.")
    public Response rebuild(@PathParam("name") @Pattern(regexp = "[a-z-]{1,32}") String name) {
        ProjectionView accepted = commandGateway.sendAndWait(new RebuildProjectionCommand(name));
        return Response.accepted(accepted).build();
    }

    @GET
    @Path("/nodes")
    @Operation(summary = "The nodes sharing the database: alive or not, and the read-model segments each holds")
    public List<NodeView> nodes() {
        return queries.ask(new FetchNodesQuery(), ResponseTypes.multipleInstancesOf(NodeView.class));
    }
}
