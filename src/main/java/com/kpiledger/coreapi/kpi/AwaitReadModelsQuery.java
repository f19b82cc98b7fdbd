package com.kpiledger.coreapi.kpi;

/**
 * Read-your-writes: answers true once every KPI read model has applied the store up to {@code minPosition}, false
 * when that did not happen within {@code timeoutMillis}.
 */
public record AwaitReadModelsQuery(long minPosition, long timeoutMillis) {
}
