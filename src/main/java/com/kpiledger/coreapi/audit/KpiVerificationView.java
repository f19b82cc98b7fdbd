package com.kpiledger.coreapi.audit;

/**
 * A KPI answer checked against the raw events: the read models' answer and the one recomputed by folding the events
 * up to the same store {@code position}, whether they are identical, how many events were read, the KPI definitions'
 * version and a SHA-256 {@code digest} of the events read (position, id, type, recorded time, payload).
 */
public record KpiVerificationView(KpiQuestion question, Object readModel, Object recomputed, boolean match,
                                  long eventsRead, long position, String definitionVersion, String digest) {
}
