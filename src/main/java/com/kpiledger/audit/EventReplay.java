package com.kpiledger.audit;

import com.kpiledger.coreapi.shared.UnreadableEventException;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.UnknownSerializedType;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.stream.Stream;

/**
 * Reads the raw event store in position order, up to a position and a recorded-time cut, feeding every event to a
 * {@link FoldedFacts} and to a SHA-256 digest. Nothing here reads a read-model table.
 */
final class EventReplay {

    private final EventStorageEngine storageEngine;
    private final Serializer serializer;

    EventReplay(EventStorageEngine storageEngine, Serializer serializer) {
        this.storageEngine = storageEngine;
        this.serializer = serializer;
    }

    record Result(FoldedFacts facts, long eventsRead, String digest) {
    }

    /**
     * @param maxPosition   the last store position to read
     * @param recordedUntil events recorded after this are left out (null: no cut); a published figure uses its
     *                      publication moment so that a slow transaction committing later cannot change it
     */
    Result replay(long maxPosition, Instant recordedUntil) {
        FoldedFacts facts = new FoldedFacts();
        MessageDigest digest = sha256();
        long read = 0;
        try (Stream<? extends TrackedEventMessage<?>> stream = storageEngine.readEvents(null, false)) {
            Iterator<? extends TrackedEventMessage<?>> events = stream.iterator();
            while (events.hasNext()) {
                TrackedEventMessage<?> event = events.next();
                long position = event.trackingToken().position().orElse(Long.MAX_VALUE);
                if (position > maxPosition) {
                    break;
                }
                if (recordedUntil != null && event.getTimestamp().isAfter(recordedUntil)) {
                    continue;
                }
                Object payloadObject = readablePayload(event, position);
                facts.apply(payloadObject, event.getTimestamp());
                read++;
                SerializedObject<byte[]> payload = serializer.serialize(payloadObject, byte[].class);
                digest.update((position + "|" + event.getIdentifier() + "|" + event.getPayloadType().getName() + "|"
                        + event.getTimestamp() + "|").getBytes(StandardCharsets.UTF_8));
                digest.update(payload.getData());
                digest.update((byte) '\n');
            }
        }
        return new Result(facts, read, HexFormat.of().formatHex(digest.digest()));
    }

    /**
     * The event's payload, or a refusal naming the event when it cannot be read: a fold that skipped it would be a
     * figure of a history that never was, and one that failed with a bare deserialization error would name nothing.
     */
    private static Object readablePayload(TrackedEventMessage<?> event, long position) {
        String stream = event instanceof DomainEventMessage<?> domain ? domain.getAggregateIdentifier() : "-";
        Object payload;
        try {
            payload = event.getPayload();
        } catch (RuntimeException e) {
            throw new UnreadableEventException(position, event.getIdentifier(), stream,
                    e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()));
        }
        if (payload instanceof UnknownSerializedType unknown) {
            throw new UnreadableEventException(position, event.getIdentifier(), stream,
                    "unknown event type " + unknown.serializedType().getName());
        }
        return payload;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int end = message.indexOf('\n');
        String line = end < 0 ? message : message.substring(0, end);
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }
}
