package com.kpiledger.audit;

import com.kpiledger.coreapi.shared.UnreadableEventException;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.UnknownSerializedType;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
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
     * @param knownAt       the question's "as known at" (null: none): the folded facts keep only what was recorded by
     *                      then; the digest still covers every event read
     */
    Result replay(long maxPosition, Instant recordedUntil, Instant knownAt) {
        FoldedFacts facts = new FoldedFacts(knownAt);
        MessageDigest digest = sha256();
        long read = 0;
        // the replay's own threads, gone when it ends: a pool kept in a static field would outlive a dev-mode reload
        ExecutorService decoders = decoders();
        Reader reader = new Reader(maxPosition, decoders);
        Thread readerThread = daemon(reader, "audit-replay-reader-");
        readerThread.start();
        try {
            // three stages, each on its own thread: the reader fetches chunks from the store (mostly waiting for the
            // database) and hands each to a decoder (deserialise, re-serialise, digest header, independent per event);
            // this thread folds and digests the decoded events strictly in store order. Before the reader had its
            // own thread, this one waited for every fetch: two thirds of a replay's wall time
            fold:
            while (true) {
                Future<Decoded[]> chunk = reader.next();
                if (chunk == null) {
                    break;
                }
                for (Decoded event : await(chunk)) {
                    if (event.position() > maxPosition) {
                        break fold;
                    }
                    if (recordedUntil != null && event.timestamp().isAfter(recordedUntil)) {
                        continue;
                    }
                    facts.apply(event.payload(), event.timestamp());
                    read++;
                    digest.update(event.header());
                    digest.update(event.serialized());
                    digest.update((byte) '\n');
                }
            }
        } finally {
            reader.stop();
            decoders.shutdownNow();
        }
        return new Result(facts, read, HexFormat.of().formatHex(digest.digest()));
    }

    /** Events read from the store per chunk handed to the decoders. */
    private static final int CHUNK = 1000;

    /** Chunks read ahead of the fold: enough to keep the database and both decoders busy, few enough to bound memory. */
    private static final int READ_AHEAD = 4;

    private static final AtomicInteger REPLAY_THREADS = new AtomicInteger();

    /**
     * Reads the store in chunks on its own thread, up to the first chunk that starts past {@code maxPosition}, and
     * queues each chunk's decoding in store order. A failure to read is queued as a failed chunk, so that the fold
     * throws it after every event read before it; the end of the store is an empty queue entry.
     */
    private final class Reader implements Runnable {

        private static final Future<Decoded[]> END = CompletableFuture.completedFuture(null);

        private final long maxPosition;
        private final ExecutorService decoders;
        private final BlockingQueue<Future<Decoded[]>> chunks = new ArrayBlockingQueue<>(READ_AHEAD);
        private volatile boolean stopped;

        Reader(long maxPosition, ExecutorService decoders) {
            this.maxPosition = maxPosition;
            this.decoders = decoders;
        }

        @Override
        public void run() {
            try {
                try (Stream<? extends TrackedEventMessage<?>> stream = storageEngine.readEvents(null, false)) {
                    Iterator<? extends TrackedEventMessage<?>> events = stream.iterator();
                    while (!stopped) {
                        List<TrackedEventMessage<?>> chunk = nextChunk(events);
                        if (chunk.isEmpty()) {
                            break;
                        }
                        chunks.put(decoders.submit(() -> decode(chunk)));
                        if (chunk.get(0).trackingToken().position().orElse(Long.MAX_VALUE) > maxPosition) {
                            break;
                        }
                    }
                } catch (RuntimeException | Error failure) {
                    if (!stopped) {
                        chunks.put(CompletableFuture.failedFuture(failure));
                    }
                }
                chunks.put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /**
         * The fold has ended, done or failed, and takes no more chunks. Not an interrupt: the reader may be inside a
         * fetch, and an interrupted JDBC or JTA call fails noisily; it stops after the chunk it is reading. Emptying
         * the queue means its last puts (a chunk, then the end) cannot block.
         */
        void stop() {
            stopped = true;
            chunks.clear();
        }

        /** The next chunk in store order, or null at the end. */
        Future<Decoded[]> next() {
            try {
                Future<Decoded[]> chunk = chunks.take();
                return chunk == END ? null : chunk;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while replaying the event store", e);
            }
        }
    }

    /**
     * Two decoders at most: a chunk decoding while the next is read, and one more queued behind it. Daemon threads,
     * so that a replay cut short never keeps the JVM alive.
     */
    private static ExecutorService decoders() {
        return Executors.newFixedThreadPool(Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())),
                runnable -> daemon(runnable, "audit-replay-"));
    }

    private static Thread daemon(Runnable runnable, String prefix) {
        Thread thread = new Thread(runnable, prefix + REPLAY_THREADS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    }

    /**
     * One event ready for the fold and the digest: its payload, the digest's header
     * ({@code position|id|type|timestamp|}, UTF-8) and the payload serialised again (the digest's definition: the
     * current serialisation of what was read, upcasts included). A failure is kept and thrown when the fold reaches
     * the event, so that the first failing event in store order is the one reported, exactly as before.
     */
    private record Decoded(long position, Instant timestamp, Object payload, byte[] header, byte[] serialized,
                           RuntimeException unreadable, RuntimeException unserializable) {

        public Object payload() {
            if (unreadable != null) {
                throw unreadable;
            }
            return payload;
        }

        public byte[] serialized() {
            if (unserializable != null) {
                throw unserializable;
            }
            return serialized;
        }
    }

    private static List<TrackedEventMessage<?>> nextChunk(Iterator<? extends TrackedEventMessage<?>> events) {
        List<TrackedEventMessage<?>> chunk = new ArrayList<>(CHUNK);
        while (chunk.size() < CHUNK && events.hasNext()) {
            chunk.add(events.next());
        }
        return chunk;
    }

    /** Decodes a chunk on one decoder thread (two chunks may be decoding at once), in store order. */
    private Decoded[] decode(List<TrackedEventMessage<?>> chunk) {
        Decoded[] decoded = new Decoded[chunk.size()];
        StringBuilder header = new StringBuilder(128);
        for (int i = 0; i < decoded.length; i++) {
            decoded[i] = decode(chunk.get(i), header);
        }
        return decoded;
    }

    private Decoded decode(TrackedEventMessage<?> event, StringBuilder header) {
        long position = event.trackingToken().position().orElse(Long.MAX_VALUE);
        Instant timestamp = event.getTimestamp();
        Object payload;
        try {
            payload = readablePayload(event, position);
        } catch (RuntimeException unreadable) {
            return new Decoded(position, timestamp, null, null, null, unreadable, null);
        }
        header.setLength(0);
        header.append(position).append('|').append(event.getIdentifier()).append('|')
                .append(event.getPayloadType().getName()).append('|').append(timestamp).append('|');
        byte[] headerBytes = header.toString().getBytes(StandardCharsets.UTF_8);
        try {
            return new Decoded(position, timestamp, payload, headerBytes,
                    serializer.serialize(payload, byte[].class).getData(), null, null);
        } catch (RuntimeException unserializable) {
            return new Decoded(position, timestamp, payload, headerBytes, null, null, unserializable);
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while replaying the event store", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
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
