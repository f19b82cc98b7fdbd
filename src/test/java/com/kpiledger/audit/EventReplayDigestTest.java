package com.kpiledger.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.kpiledger.coreapi.lead.LeadCapturedEvent;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replay reads, decodes and digests in chunks on several threads; published snapshots carry its digest, so it
 * must be byte for byte the digest of the one-event-at-a-time definition (kept here as the reference), for every cut
 * by position (inside a chunk, on a chunk's boundary, before the first event, after the last) and by recorded time.
 */
class EventReplayDigestTest {

    private static final int EVENTS = 2_345;
    private static final Instant START = Instant.parse("2025-03-01T10:15:30.123456Z");

    private static EventStorageEngine store;
    private static Serializer serializer;

    @BeforeAll
    static void store() {
        serializer = JacksonSerializer.builder()
                .objectMapper(new ObjectMapper().registerModule(new JavaTimeModule())
                        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS))
                .build();
        store = new InMemoryEventStorageEngine();
        List<EventMessage<?>> events = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            Instant recordedAt = START.plusSeconds(i * 7L).plusNanos(i * 1_001L);
            String lead = "lead-" + i;
            LeadCapturedEvent payload = new LeadCapturedEvent(lead, i % 3 == 0 ? null : "cmp-é" + (i % 17),
                    i % 3 == 0 ? "organic" : null, recordedAt.minusSeconds(3600), "form");
            events.add(new GenericDomainEventMessage<>("Lead", lead, 0, payload, MetaData.emptyInstance(),
                    UUID.nameUUIDFromBytes(lead.getBytes(StandardCharsets.UTF_8)).toString(), recordedAt));
        }
        store.appendEvents(events);
    }

    @Test
    void theChunkedReplayGivesTheDigestOfTheOneByOneDefinition() {
        Instant middle = START.plusSeconds(7L * 1_500);
        long[] positions = {Long.MAX_VALUE, EVENTS - 1, EVENTS + 10, 1_234, 999, 1_000, 1_001, 0, -1};
        for (long maxPosition : positions) {
            for (Instant recordedUntil : new Instant[] {null, middle, START.minusSeconds(1)}) {
                EventReplay.Result replay = new EventReplay(store, serializer).replay(maxPosition, recordedUntil, null);
                Reference reference = reference(maxPosition, recordedUntil);
                assertThat(replay.digest()).as("digest up to %d, recorded until %s", maxPosition, recordedUntil)
                        .isEqualTo(reference.digest());
                assertThat(replay.eventsRead()).isEqualTo(reference.read());
            }
        }
        assertThat(reference(Long.MAX_VALUE, null).read()).isEqualTo(EVENTS);
    }

    record Reference(long read, String digest) {
    }

    /** The digest's definition as it was first published: one event at a time, in store order. */
    private static Reference reference(long maxPosition, Instant recordedUntil) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        long read = 0;
        try (Stream<? extends TrackedEventMessage<?>> stream = store.readEvents(null, false)) {
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
                Object payloadObject = event.getPayload();
                read++;
                byte[] payload = serializer.serialize(payloadObject, byte[].class).getData();
                digest.update((position + "|" + event.getIdentifier() + "|" + event.getPayloadType().getName() + "|"
                        + event.getTimestamp() + "|").getBytes(StandardCharsets.UTF_8));
                digest.update(payload);
                digest.update((byte) '\n');
            }
        }
        return new Reference(read, HexFormat.of().formatHex(digest.digest()));
    }
}
