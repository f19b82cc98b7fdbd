package com.kpiledger.config;

import org.axonframework.common.DateTimeUtils;

import java.time.Instant;

/**
 * Reads the event store's {@code timeStamp} column. Axon writes it as {@code 2026-11-25T10:58:19.123Z}
 * ({@link DateTimeUtils#formatInstant}, always UTC and milliseconds) and reads it back with
 * {@code DateTimeFormatter.ISO_OFFSET_DATE_TIME}, which is general and slow. That form (and any other
 * {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}) is read digit by digit by {@link AxonSerializers.Instants#parse}; anything
 * else (another offset, an invalid date) goes to Axon's parser, so the result, and any error, is always Axon's.
 */
final class StoredTimestamps {

    private StoredTimestamps() {
    }

    static Instant parse(String stored) {
        Instant fast = AxonSerializers.Instants.parse(stored);
        return fast != null ? fast : DateTimeUtils.parseInstant(stored);
    }
}
