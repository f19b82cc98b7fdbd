package com.kpiledger.coreapi.shared;

/**
 * An event in the store cannot be read (its payload does not deserialize), so nothing that folds the raw events up
 * to and past it can be computed. Names the event so that an operator can find it (it is also in the read models'
 * dead-letter queues).
 */
public class UnreadableEventException extends LedgerException {

    public UnreadableEventException(long position, String eventId, String stream, String cause) {
        super(null, "The event at position " + position + " (id " + eventId + ", stream " + stream
                + ") cannot be read, so the raw events cannot be folded past it: " + cause
                + ". See GET /api/admin/dead-letters");
    }
}
