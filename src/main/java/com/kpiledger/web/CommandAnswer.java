package com.kpiledger.web;

import com.kpiledger.coreapi.shared.CommandOutcome;
import jakarta.ws.rs.core.Response;

/**
 * The answer to every command: which aggregate, and whether this request stored new events (APPLIED, 201) or found
 * them already stored by an identical earlier request (UNCHANGED, 200).
 */
public record CommandAnswer(String id, CommandOutcome outcome) {

    static Response created(String id, CommandOutcome outcome) {
        return Response.status(outcome == CommandOutcome.APPLIED ? Response.Status.CREATED : Response.Status.OK)
                .entity(new CommandAnswer(id, outcome))
                .build();
    }

    static Response ok(String id, CommandOutcome outcome) {
        return Response.ok(new CommandAnswer(id, outcome)).build();
    }
}
