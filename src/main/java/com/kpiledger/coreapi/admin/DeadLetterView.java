package com.kpiledger.coreapi.admin;

/**
 * One event parked in a read model's dead-letter queue. {@code sequence} is the aggregate whose events are parked
 * behind the first failure ({@code index} 0 is the one that failed, later ones wait for it); {@code position} is the
 * event's store position (null if the event is no longer in the store); {@code cause} is why it failed, null for an
 * event that only waits behind an earlier one.
 */
public record DeadLetterView(String readModel, String sequence, long index, String eventId, Long position,
                             String eventType, String enqueuedAt, String lastTouched, String causeType,
                             String cause) {
}
