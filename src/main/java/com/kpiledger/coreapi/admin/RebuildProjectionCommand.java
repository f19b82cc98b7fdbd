package com.kpiledger.coreapi.admin;

/** Rebuild one read model from the first event while the service keeps running. */
public record RebuildProjectionCommand(String name) {
}
