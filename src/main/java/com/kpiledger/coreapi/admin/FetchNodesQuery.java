package com.kpiledger.coreapi.admin;

/** Every node known to the database, alive or not (yet) forgotten. */
public record FetchNodesQuery() {
}
