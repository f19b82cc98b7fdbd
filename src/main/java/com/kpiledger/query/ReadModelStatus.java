package com.kpiledger.query;

import java.time.Duration;
import java.util.Optional;

/** How far the KPI read models have applied the event store; implemented by the Axon wiring, which owns the processors. */
public interface ReadModelStatus {

    /** The lowest position applied by every KPI read model (-1 before the first event). */
    long position();

    /** Waits until {@link #position()} reaches {@code minPosition}; false if it did not within {@code timeout}. */
    boolean awaitPosition(long minPosition, Duration timeout);

    /** The read model being rebuilt and its progress, if any; its answers would be partial until it catches up. */
    Optional<String> rebuilding();
}
