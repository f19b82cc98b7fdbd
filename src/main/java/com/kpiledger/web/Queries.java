package com.kpiledger.web;

import com.kpiledger.coreapi.shared.LedgerException;
import com.kpiledger.coreapi.shared.ReadModelRebuildingException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.axonframework.messaging.responsetypes.ResponseType;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;

import java.util.concurrent.CompletionException;

/** Asks the query side and hands back its answer, or its refusal unwrapped so the one error mapper can name it. */
@ApplicationScoped
class Queries {

    @Inject
    QueryGateway queryGateway;

    <R> R ask(Object query, Class<R> answerType) {
        return ask(query, ResponseTypes.instanceOf(answerType));
    }

    <R> R ask(Object query, ResponseType<R> answerType) {
        try {
            return queryGateway.query(query, answerType).join();
        } catch (CompletionException e) {
            for (Throwable cause = e.getCause(); cause != null && cause.getCause() != cause; cause = cause.getCause()) {
                if (cause instanceof LedgerException refusal) {
                    throw refusal;
                }
                if (cause instanceof ReadModelRebuildingException rebuilding) {
                    throw rebuilding;
                }
            }
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }
}
