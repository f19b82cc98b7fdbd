package com.kpiledger.web;

import com.kpiledger.coreapi.kpi.FunnelViewKind;
import com.kpiledger.coreapi.kpi.GroupBy;
import com.kpiledger.coreapi.kpi.KpiScope;
import com.kpiledger.coreapi.shared.AggregateIds;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The query parameters every KPI endpoint shares, parsed here rather than by JAX-RS (which answers 404 for an
 * unparseable query parameter), so that each mistake comes back as a 400 naming the parameter.
 */
final class KpiParameters {

    /** Longer periods are legitimate analysis, but a typo of a century would scan the whole ledger per month. */
    static final int MAX_MONTHS = 120;

    private final List<Problem.FieldError> errors = new ArrayList<>();

    static KpiParameters parse() {
        return new KpiParameters();
    }

    KpiScope scope(String from, String to, String campaignId, String channel, String currency, String knownAt,
                   Clock clock) {
        LocalDate fromDate = date("from", from);
        LocalDate toDate = date("to", to);
        if (fromDate != null && toDate != null && !fromDate.isBefore(toDate)) {
            error("to", "must be after from (the period is [from, to))");
        }
        if (fromDate != null && toDate != null && ChronoUnit.MONTHS.between(fromDate, toDate) > MAX_MONTHS) {
            error("to", "the period may span at most " + MAX_MONTHS + " months");
        }
        if (campaignId != null && !campaignId.matches(AggregateIds.ID_PATTERN)) {
            error("campaignId", Requests.ID_MESSAGE);
        }
        if (campaignId != null && channel != null) {
            error("channel", "give either campaignId or channel, not both");
        }
        if (channel != null && (channel.isBlank() || channel.length() > 64)) {
            error("channel", "must be 1-64 characters");
        }
        if (currency != null && !new IsoCurrency.Validator().isValid(currency, null)) {
            error("currency", "must be an ISO-4217 currency code in upper case, e.g. EUR");
        }
        Instant known = instant("knownAt", knownAt);
        if (known != null && known.isAfter(clock.instant())) {
            error("knownAt", "must not be in the future");
        }
        return new KpiScope(fromDate, toDate, campaignId,
                channel == null ? null : channel.trim().toLowerCase(Locale.ROOT), currency, known);
    }

    GroupBy groupBy(String value) {
        if (value == null || value.isBlank()) {
            return GroupBy.NONE;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "campaign" -> GroupBy.CAMPAIGN;
            case "channel" -> GroupBy.CHANNEL;
            default -> {
                error("groupBy", "must be campaign or channel");
                yield GroupBy.NONE;
            }
        };
    }

    FunnelViewKind view(String value) {
        if (value == null || value.isBlank()) {
            return FunnelViewKind.PERIOD;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "period" -> FunnelViewKind.PERIOD;
            case "cohort" -> FunnelViewKind.COHORT;
            default -> {
                error("view", "must be period or cohort");
                yield FunnelViewKind.PERIOD;
            }
        };
    }

    /** true or false; absent is false. Anything else is refused rather than read as false. */
    boolean flag(String name, String value) {
        if (value == null || value.isBlank() || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        error(name, "must be true or false");
        return false;
    }

    Long minPosition(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long position = Long.parseLong(value);
            if (position < 0) {
                error("minPosition", "must be 0 or greater");
            }
            return position;
        } catch (NumberFormatException e) {
            error("minPosition", "must be a whole number");
            return null;
        }
    }

    Instant knownAt(String value, Clock clock) {
        Instant known = instant("knownAt", value);
        if (known != null && known.isAfter(clock.instant())) {
            error("knownAt", "must not be in the future");
        }
        return known;
    }

    /** An instant parameter such as earlier/later; {@code required} ones must be present; none may lie ahead. */
    Instant moment(String name, String value, boolean required, Clock clock) {
        if (required && (value == null || value.isBlank())) {
            error(name, "is required (an ISO-8601 instant with offset such as 2026-04-05T00:00:00Z)");
            return null;
        }
        Instant moment = instant(name, value);
        if (moment != null && moment.isAfter(clock.instant())) {
            error(name, "must not be in the future");
        }
        return moment;
    }

    /** Throws when any parameter was wrong, naming all of them at once. */
    void check() {
        if (!errors.isEmpty()) {
            throw new InvalidParametersException(errors);
        }
    }

    private LocalDate date(String name, String value) {
        if (value == null || value.isBlank()) {
            error(name, "is required (an ISO-8601 date such as 2026-01-01)");
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            error(name, "must be an ISO-8601 date such as 2026-01-01");
            return null;
        }
    }

    private Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            error(name, "must be an ISO-8601 instant with offset such as 2026-04-05T00:00:00Z");
            return null;
        }
    }

    private void error(String field, String message) {
        errors.add(new Problem.FieldError(field, message));
    }
}
