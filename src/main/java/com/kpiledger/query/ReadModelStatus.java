package com.kpiledger.query;

import java.time.Duration;
import java.util.Optional;
import java.util.SortedSet;

/** How far the KPI read models have applied the event store; implemented by the Axon wiring, which owns the processors. */
public interface ReadModelStatus {

    /** The lowest position applied by every KPI read model (-1 before the first event). */
    long position();

    /**
     * {@link #position()}, with what may still change below it: the indexes not seen yet by some read model's
     * segment (a transaction that drew one may still commit, after higher ones were applied, or may have rolled back),
     * and whether any event is parked for a retry.
     */
    Progress progress();

    /** How far the read models are: see {@link #progress()}. */
    record Progress(long applied, SortedSet<Long> gaps, boolean parked) {

        /** The highest index at or below {@code position} not seen yet by some segment, or -1. */
        public long highestGapAtOrBelow(long position) {
            SortedSet<Long> below = gaps.headSet(position + 1);
            return below.isEmpty() ? -1 : below.last();
        }
    }

    /** Waits until {@link #position()} reaches {@code minPosition}; false if it did not within {@code timeout}. */
    boolean awaitPosition(long minPosition, Duration timeout);

    /** The read model being rebuilt and its progress, if any; its answers would be partial until it catches up. */
    Optional<String> rebuilding();
}
