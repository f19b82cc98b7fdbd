package com.kpiledger.coreapi.audit;

/** The latest published snapshots, newest first. */
public record FetchKpiSnapshotsQuery(int limit) {
}
