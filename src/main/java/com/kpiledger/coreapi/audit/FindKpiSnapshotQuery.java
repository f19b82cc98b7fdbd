package com.kpiledger.coreapi.audit;

public record FindKpiSnapshotQuery(String snapshotId) {
}
