package com.kpiledger.coreapi.history;

import java.time.Instant;

/**
 * One stored event with both clocks: {@code businessTime} (when it happened in the CRM) and {@code recordedAt} with
 * {@code position} (when and where the store learned it), plus the command that caused it.
 */
public record RecordedEventView(long position, long sequenceNumber, String type, String businessTime,
                                Instant recordedAt, String command, String correlationId, String eventId,
                                Object payload) {
}
