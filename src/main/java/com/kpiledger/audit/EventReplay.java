package com.kpiledger.audit;

import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;

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
                facts.apply(event.getPayload(), event.getTimestamp());
                read++;
                SerializedObject<byte[]> payload = serializer.serialize(event.getPayload(), byte[].class);
                digest.update((position + "|" + event.getIdentifier() + "|" + event.getPayloadType().getName() + "|"
                        + event.getTimestamp() + "|").getBytes(StandardCharsets.UTF_8));
                digest.update(payload.getData());
                digest.update((byte) '\n');
            }
        }
        return new Result(facts, read, HexFormat.of().formatHex(digest.digest()));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }
}
