package com.kpiledger.web;

import com.kpiledger.coreapi.history.EventHistoryView;
import com.kpiledger.coreapi.history.FetchEventHistoryQuery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;

/** Asks the query side for a history and turns "no events" into the 404 of an unknown aggregate. */
@ApplicationScoped
class HistoryReader {

    @Inject
    QueryGateway queryGateway;

    EventHistoryView history(String kind, String id) {
        return queryGateway.query(new FetchEventHistoryQuery(kind, id),
                        ResponseTypes.optionalInstanceOf(EventHistoryView.class))
                .join()
                .orElseThrow(() -> new NotFoundException("No " + kind + " '" + id + "' is known"));
    }
}
