package com.kpiledger.web;

import com.kpiledger.coreapi.history.FindStreamPositionQuery;
import com.kpiledger.coreapi.shared.CommandOutcome;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import org.axonframework.commandhandling.gateway.CommandGateway;

/** Sends a command and answers with its outcome and the position its aggregate's stream has reached. */
@ApplicationScoped
class CommandSender {

    @Inject
    CommandGateway commandGateway;

    @Inject
    Queries queries;

    /** 201 when new events were stored, 200 for an identical retry. */
    Response create(Object command, String kind, String aggregateId, String answerId) {
        CommandAnswer answer = send(command, kind, aggregateId, answerId);
        return Response.status(answer.outcome() == CommandOutcome.APPLIED ? Response.Status.CREATED : Response.Status.OK)
                .entity(answer).build();
    }

    /** 200 either way (a state change rather than a new entity). */
    Response update(Object command, String kind, String aggregateId, String answerId) {
        return Response.ok(send(command, kind, aggregateId, answerId)).build();
    }

    private CommandAnswer send(Object command, String kind, String aggregateId, String answerId) {
        CommandOutcome outcome = commandGateway.sendAndWait(command);
        Long position = queries.ask(new FindStreamPositionQuery(kind, aggregateId), Long.class);
        return new CommandAnswer(answerId, outcome, position);
    }
}
