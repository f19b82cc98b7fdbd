package com.kpiledger.coreapi.audit;

public record VerifyKpiSnapshotQuery(String snapshotId) {
}
