package com.kpiledger.config;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;

import java.util.Optional;

/**
 * The JDBC event store, without the snapshot lookup Axon makes before reading any aggregate's stream: this service
 * takes no snapshots (long streams are served by {@link StoreCheckedAggregateCache}), so that query, one per
 * aggregate loaded from the store (every lead captured included), always came back empty. Whoever configures a
 * snapshotter must remove this override.
 */
final class SnapshotFreeJdbcEventStorageEngine extends JdbcEventStorageEngine {

    SnapshotFreeJdbcEventStorageEngine(Builder builder) {
        super(builder);
    }

    @Override
    public Optional<DomainEventMessage<?>> readSnapshot(String aggregateIdentifier) {
        return Optional.empty();
    }
}
