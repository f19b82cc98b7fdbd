package com.kpiledger.web;

import com.kpiledger.coreapi.kpi.AwaitReadModelsQuery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Read-your-writes for CRMs: a query naming a store position waits, bounded, until the read models have applied it. */
@ApplicationScoped
class ReadModels {

    @Inject
    Queries queries;

    @ConfigProperty(name = "kpi-ledger.read-your-writes.max-wait-ms", defaultValue = "5000")
    long maxWaitMillis;

    void await(Long minPosition) {
        if (minPosition != null
                && !queries.ask(new AwaitReadModelsQuery(minPosition, maxWaitMillis), Boolean.class)) {
            throw new ReadModelBehindException(minPosition);
        }
    }
}
