package com.kpiledger.coreapi.audit;

import java.time.Instant;

/** A published KPI figure: what was asked, what was answered, at which store position, by which definitions. */
public record KpiSnapshotView(String snapshotId, KpiQuestion question, Object answer, long position,
                              String definitionVersion, String digest, long eventsRead, Instant publishedAt,
                              String note) {
}
