package com.kpiledger.coreapi.audit;

/**
 * A published snapshot recomputed from the raw events: {@code identical} when the recomputed answer equals the
 * published one decimal for decimal; {@code digestMatches} when exactly the same events were read.
 */
public record KpiSnapshotVerificationView(String snapshotId, Object published, Object recomputed, boolean identical,
                                          long eventsRead, long position, String digest, boolean digestMatches,
                                          String definitionVersion, String currentDefinitionVersion) {
}
