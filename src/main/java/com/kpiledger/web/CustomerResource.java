package com.kpiledger.web;

import jakarta.annotation.security.RolesAllowed;
import com.kpiledger.coreapi.kpi.CustomerLtvView;
import com.kpiledger.coreapi.kpi.FindCustomerLtvQuery;
import com.kpiledger.coreapi.shared.AggregateIds;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Clock;
import java.util.Optional;

@Path("/api/customers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "KPIs")
@RolesAllowed({Roles.ANALYST, Roles.AUDITOR})
public class CustomerResource {

    @Inject
    Queries queries;

    @Inject
    ReadModels readModels;

    Clock clock = Clock.systemUTC();

    @GET
    @Path("/{leadId}/ltv")
    @Operation(summary = "A customer's deals and LTV", description = "LTV = Σ amount × grossMargin of its WON deals known at knownAt, whatever their close date")
    public CustomerLtvView ltv(@PathParam("leadId") @Pattern(regexp = AggregateIds.ID_PATTERN) String leadId,
                               @QueryParam("knownAt") String knownAt,
                               @QueryParam("minPosition") String minPosition) {
        KpiParameters parameters = KpiParameters.parse();
        var known = parameters.knownAt(knownAt, clock);
        Long awaited = parameters.minPosition(minPosition);
        parameters.check();
        readModels.await(awaited);
        Optional<CustomerLtvView> answer = queries.ask(new FindCustomerLtvQuery(leadId, known),
                ResponseTypes.optionalInstanceOf(CustomerLtvView.class));
        return answer.orElseThrow(() -> new NotFoundException("No lead '" + leadId + "' is known"
                + (known == null ? "" : " at " + known)));
    }
}
