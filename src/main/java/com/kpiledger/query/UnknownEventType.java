package com.kpiledger.query;

import org.axonframework.serialization.UnknownSerializedType;

/**
 * An event whose type this service does not know (written by a newer version, or damaged in the store). Without a
 * handler Axon would skip it silently, and a skipped event is a wrong KPI; the read models' handlers for it throw this
 * instead, so that the event and the later events of its aggregate are parked in the dead-letter queue.
 */
public class UnknownEventType extends RuntimeException {

    public UnknownEventType(UnknownSerializedType unknown) {
        super("Unknown event type " + unknown.serializedType().getName()
                + (unknown.serializedType().getRevision() == null ? "" : " revision " + unknown.serializedType().getRevision()));
    }
}
