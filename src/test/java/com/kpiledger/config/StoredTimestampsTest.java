package com.kpiledger.config;

import org.axonframework.common.DateTimeUtils;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The fast reading of stored times gives what Axon's parser gives, for what Axon writes and for anything else. */
class StoredTimestampsTest {

    @Test
    void whatAxonWritesIsReadAsAxonReadsIt() {
        Random random = new Random(2025);
        long from = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            Instant instant = Instant.ofEpochSecond(from + (long) (random.nextDouble() * (to - from)),
                    random.nextInt(1_000_000_000));
            String stored = DateTimeUtils.formatInstant(instant);
            assertThat(StoredTimestamps.parse(stored)).as(stored).isEqualTo(DateTimeUtils.parseInstant(stored));
        }
        for (String edge : List.of("1970-01-01T00:00:00.000Z", "2024-02-29T23:59:59.999Z", "2026-11-25T10:58:19.123Z",
                "0000-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z")) {
            assertThat(StoredTimestamps.parse(edge)).as(edge).isEqualTo(DateTimeUtils.parseInstant(edge));
        }
    }

    @Test
    void anythingElseGivesAxonsAnswerOrAxonsError() {
        for (String other : List.of("2026-11-25T10:58:19Z", "2026-11-25T10:58:19.123456Z", "2026-11-25T10:58:19.1Z",
                "2026-11-25T10:58:19.123+02:00", "2026-11-25T10:58:19.123-05:30", "+12026-11-25T10:58:19.123Z",
                "2026-02-29T10:00:00.000Z", "2026-02-30T10:00:00.000Z", "2026-13-01T10:00:00.000Z",
                "2026-11-25T24:00:00.000Z", "2026-12-31T23:59:60.000Z", "2026-11-25 10:58:19.123Z",
                "2026-11-25T10:58:1a.123Z", "2026-11-25T10:58:19,123Z", "２０２６-11-25T10:58:19.123Z", "", "garbage")) {
            Object axons;
            try {
                axons = DateTimeUtils.parseInstant(other);
            } catch (RuntimeException e) {
                axons = e.getClass();
            }
            Object ours;
            try {
                ours = StoredTimestamps.parse(other);
            } catch (RuntimeException e) {
                ours = e.getClass();
            }
            assertThat(ours).as(other).isEqualTo(axons);
        }
    }
}
