package com.kpiledger.config;

import org.axonframework.common.DateTimeUtils;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Reads the event store's {@code timeStamp} column. Axon writes it as {@code 2026-11-25T10:58:19.123Z}
 * ({@link DateTimeUtils#formatInstant}, always UTC and milliseconds) and reads it back with
 * {@code DateTimeFormatter.ISO_OFFSET_DATE_TIME}, which is general and slow. That exact form is read here digit by
 * digit; anything else (another offset or precision, an invalid date) goes to Axon's parser, so the result, and any
 * error, is always the same as Axon's.
 */
final class StoredTimestamps {

    private static final int LENGTH = "2026-11-25T10:58:19.123Z".length();

    private StoredTimestamps() {
    }

    static Instant parse(String stored) {
        if (stored.length() == LENGTH && stored.charAt(4) == '-' && stored.charAt(7) == '-' && stored.charAt(10) == 'T'
                && stored.charAt(13) == ':' && stored.charAt(16) == ':' && stored.charAt(19) == '.'
                && stored.charAt(23) == 'Z') {
            int year = digits(stored, 0, 4);
            int month = digits(stored, 5, 7);
            int day = digits(stored, 8, 10);
            int hour = digits(stored, 11, 13);
            int minute = digits(stored, 14, 16);
            int second = digits(stored, 17, 19);
            int millis = digits(stored, 20, 23);
            if (year >= 0 && month >= 0 && day >= 0 && hour >= 0 && minute >= 0 && second >= 0 && millis >= 0) {
                try {
                    return LocalDateTime.of(year, month, day, hour, minute, second, millis * 1_000_000)
                            .toInstant(ZoneOffset.UTC);
                } catch (DateTimeException invalid) {
                    // Axon's parser says why
                }
            }
        }
        return DateTimeUtils.parseInstant(stored);
    }

    /** The decimal number in {@code [from, to)}, or -1 if any of its characters is not an ASCII digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
