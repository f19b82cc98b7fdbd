package com.kpiledger.query;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The month a date or an instant falls in, as its first day, in UTC: the one definition the monthly read-model rows
 * are kept by and the KPI queries read them by.
 */
public final class UtcMonths {

    private UtcMonths() {
    }

    public static LocalDate of(LocalDate day) {
        return day.withDayOfMonth(1);
    }

    public static LocalDate of(Instant at) {
        return of(LocalDate.ofInstant(at, ZoneOffset.UTC));
    }
}
