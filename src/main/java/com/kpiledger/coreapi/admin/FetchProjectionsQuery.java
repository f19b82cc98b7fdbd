package com.kpiledger.coreapi.admin;

/** The status of every read model. */
public record FetchProjectionsQuery() {
}
