package com.kpiledger.config;

import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * Axon's JDBC event store, with two changes to how it reads:
 * <ul>
 * <li>No snapshot lookup before reading an aggregate's stream: this service takes no snapshots (long streams are
 * served by {@link StoreCheckedAggregateCache}), so that query, one per aggregate loaded from the store (every lead
 * captured included), always came back empty. Whoever configures a snapshotter must remove this override.</li>
 * <li>Each event's stored time is parsed once, by {@link StoredTimestamps} (a fast path for the form Axon writes),
 * instead of by {@code DateTimeFormatter.ISO_OFFSET_DATE_TIME} on every {@code getTimestamp()}: that parsing was
 * 18.6% of a verification's CPU samples on tier M, and is on every read of the store (processors, aggregate loads,
 * rebuilds). {@link #getTrackedEventData} is Axon's own, but for the entry it creates.</li>
 * </ul>
 */
final class LedgerJdbcEventStorageEngine extends JdbcEventStorageEngine {

    /** Axon's defaults, set on the builder from here, since {@link #getTrackedEventData} needs them too. */
    static final int MAX_GAP_OFFSET = 10_000;
    static final long LOWEST_GLOBAL_SEQUENCE = 1;
    static final int GAP_TIMEOUT_MILLIS = 60_000;

    LedgerJdbcEventStorageEngine(Builder builder) {
        super(builder.maxGapOffset(MAX_GAP_OFFSET).lowestGlobalSequence(LOWEST_GLOBAL_SEQUENCE)
                .gapTimeout(GAP_TIMEOUT_MILLIS));
    }

    @Override
    public Optional<DomainEventMessage<?>> readSnapshot(String aggregateIdentifier) {
        return Optional.empty();
    }

    @Override
    protected TrackedEventData<?> getTrackedEventData(ResultSet resultSet, GapAwareTrackingToken previousToken)
            throws SQLException {
        long globalSequence = resultSet.getLong(schema().globalIndexColumn());
        String aggregateIdentifier = resultSet.getString(schema().aggregateIdentifierColumn());
        String eventIdentifier = resultSet.getString(schema().eventIdentifierColumn());
        Entry<?> domainEvent = entry(resultSet, eventIdentifier.equals(aggregateIdentifier) ? null : aggregateIdentifier,
                eventIdentifier);
        // as Axon: gaps are tracked only below events recorded within the gap timeout
        boolean allowGaps = domainEvent.getTimestamp()
                .isAfter(GenericEventMessage.clock.instant().minus(GAP_TIMEOUT_MILLIS, ChronoUnit.MILLIS));
        GapAwareTrackingToken token = previousToken;
        if (token == null) {
            token = GapAwareTrackingToken.newInstance(globalSequence, allowGaps
                    ? LongStream.range(Math.min(LOWEST_GLOBAL_SEQUENCE, globalSequence), globalSequence)
                    .boxed()
                    .collect(Collectors.toCollection(TreeSet::new))
                    : Collections.emptySortedSet());
        } else {
            token = token.advanceTo(globalSequence, allowGaps ? MAX_GAP_OFFSET : 0);
        }
        return new TrackedDomainEventData<>(token, domainEvent);
    }

    @Override
    protected DomainEventData<?> getDomainEventData(ResultSet resultSet) throws SQLException {
        return entry(resultSet, resultSet.getString(schema().aggregateIdentifierColumn()),
                resultSet.getString(schema().eventIdentifierColumn()));
    }

    /** The row's event, as Axon's own methods build it, with {@link Entry} for its time. */
    private Entry<?> entry(ResultSet resultSet, String aggregateIdentifier, String eventIdentifier) throws SQLException {
        EventSchema schema = schema();
        return new Entry<>(resultSet.getString(schema.typeColumn()),
                aggregateIdentifier,
                resultSet.getLong(schema.sequenceNumberColumn()),
                eventIdentifier,
                readTimeStamp(resultSet, schema.timestampColumn()),
                resultSet.getString(schema.payloadTypeColumn()),
                resultSet.getString(schema.payloadRevisionColumn()),
                readPayload(resultSet, schema.payloadColumn()),
                readPayload(resultSet, schema.metaDataColumn()));
    }

    /** A stored event whose time is parsed once, when first asked for. */
    static final class Entry<T> extends GenericDomainEventEntry<T> {

        private final Object stored;
        private Instant timestamp;

        Entry(String type, String aggregateIdentifier, long sequenceNumber, String eventIdentifier, Object timestamp,
              String payloadType, String payloadRevision, T payload, T metaData) {
            super(type, aggregateIdentifier, sequenceNumber, eventIdentifier, timestamp, payloadType, payloadRevision,
                    payload, metaData);
            this.stored = timestamp;
        }

        @Override
        public Instant getTimestamp() {
            Instant parsed = timestamp;
            if (parsed == null) {
                parsed = stored instanceof String text ? StoredTimestamps.parse(text) : super.getTimestamp();
                timestamp = parsed;
            }
            return parsed;
        }
    }
}
