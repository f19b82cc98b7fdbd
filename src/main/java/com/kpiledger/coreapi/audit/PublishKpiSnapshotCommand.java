package com.kpiledger.coreapi.audit;

/** Publish the current answer to a KPI question, after checking it against the raw events. */
public record PublishKpiSnapshotCommand(String snapshotId, KpiQuestion question, String note) {
}
