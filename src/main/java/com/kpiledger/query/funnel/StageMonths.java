package com.kpiledger.query.funnel;

import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.hibernate.Session;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps {@link StageMonthRow} rows: the changes of a batch are summed per row in memory and written when the batch
 * commits, one upsert per row, in key order. The funnel's segments share these rows (a campaign's leads are spread over
 * every segment), so two batches may change the same rows at once: writing them last keeps their locks short, and
 * writing them in one order means two batches wait for each other but never deadlock.
 */
final class StageMonths {

    /** The changes of the batch being handled (a resource of the batch's unit of work). */
    private static final String BATCH_CHANGES = StageMonths.class.getName() + "/changes";

    private static final Comparator<MonthKey> ORDER = Comparator.comparing(MonthKey::campaignKey)
            .thenComparing(MonthKey::channelKey).thenComparing(MonthKey::stage)
            .thenComparing(MonthKey::enteredMonth).thenComparing(MonthKey::recordedMonth);

    private static final String POSTGRES_UPSERT = "INSERT INTO kpi_stage_month (campaign_key, channel_key, stage,"
            + " entered_month, recorded_month, pairs, implied, max_position, applied_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (campaign_key, channel_key, stage, entered_month, recorded_month) DO UPDATE SET"
            + " pairs = kpi_stage_month.pairs + EXCLUDED.pairs, implied = kpi_stage_month.implied + EXCLUDED.implied,"
            + " max_position = GREATEST(kpi_stage_month.max_position, EXCLUDED.max_position),"
            + " applied_by = EXCLUDED.applied_by";
    /** H2 (the embedded default) has no ON CONFLICT; the standard MERGE does the same there. */
    private static final String STANDARD_UPSERT = "MERGE INTO kpi_stage_month t USING (VALUES (CAST(? AS VARCHAR(64)),"
            + " CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(16)), CAST(? AS DATE), CAST(? AS DATE), CAST(? AS BIGINT),"
            + " CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS VARCHAR(255))))"
            + " s (campaign_key, channel_key, stage, entered_month, recorded_month, pairs, implied, max_position, applied_by)"
            + " ON t.campaign_key = s.campaign_key AND t.channel_key = s.channel_key AND t.stage = s.stage"
            + " AND t.entered_month = s.entered_month AND t.recorded_month = s.recorded_month"
            + " WHEN MATCHED THEN UPDATE SET pairs = t.pairs + s.pairs, implied = t.implied + s.implied,"
            + " max_position = GREATEST(t.max_position, s.max_position), applied_by = s.applied_by"
            + " WHEN NOT MATCHED THEN INSERT (campaign_key, channel_key, stage, entered_month, recorded_month, pairs,"
            + " implied, max_position, applied_by) VALUES (s.campaign_key, s.channel_key, s.stage, s.entered_month,"
            + " s.recorded_month, s.pairs, s.implied, s.max_position, s.applied_by)";

    private StageMonths() {
    }

    /** A row's key; campaign and channel as stored (see {@link StageMonthRow#keyOf}). */
    record MonthKey(String campaignKey, String channelKey, FunnelStage stage, LocalDate enteredMonth,
                    LocalDate recordedMonth) {
    }

    /** What a batch changes in one row. */
    private static final class Change {
        long pairs;
        long implied;
        long maxPosition = -1;
        String appliedBy;
    }

    /** The pair of {@code single} (a row with one entry) is counted: it was just created. */
    static void counted(FirstEntryRow single) {
        change(single, 1, single.position);
    }

    /**
     * The pair of {@code single} (still holding its one entry) is no longer counted: a further entry, at
     * {@code position}, arrives. The row's position bound is raised to it, so that an answer reading the row at a
     * lower position (one that began before this batch committed) knows the row changed under it.
     */
    static void uncounted(FirstEntryRow single, long position) {
        change(single, -1, position);
    }

    private static void change(FirstEntryRow single, int sign, long position) {
        MonthKey key = new MonthKey(StageMonthRow.keyOf(single.campaignId), StageMonthRow.keyOf(single.leadChannel),
                single.stage, monthOf(single.enteredAt), monthOf(single.recordedAt));
        boolean implied = single.firstReportedAt == null || single.firstReportedAt.isAfter(single.enteredAt);
        Map<MonthKey, Change> changes = batchChanges();
        boolean immediate = changes == null;
        if (immediate) {
            changes = new TreeMap<>(ORDER);
        }
        Change change = changes.computeIfAbsent(key, k -> new Change());
        change.pairs += sign;
        change.implied += implied ? sign : 0;
        change.maxPosition = Math.max(change.maxPosition, position);
        change.appliedBy = single.appliedBy;
        if (immediate) {
            write(changes);
        }
    }

    static LocalDate monthOf(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC).withDayOfMonth(1);
    }

    /** The batch's changes, written when it commits; null when events are handled one by one. */
    private static Map<MonthKey, Change> batchChanges() {
        if (!CurrentUnitOfWork.isStarted()
                || !(CurrentUnitOfWork.get().root() instanceof BatchingUnitOfWork<?> batch)) {
            return null;
        }
        return batch.getOrComputeResource(BATCH_CHANGES, name -> {
            Map<MonthKey, Change> changes = new TreeMap<>(ORDER);
            batch.onPrepareCommit(unitOfWork -> write(changes));
            return changes;
        });
    }

    private static void write(Map<MonthKey, Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        StageMonthRow.getEntityManager().unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement upsert = connection.prepareStatement(upsertFor(connection))) {
                for (Map.Entry<MonthKey, Change> entry : changes.entrySet()) {
                    MonthKey key = entry.getKey();
                    Change change = entry.getValue();
                    upsert.setString(1, key.campaignKey());
                    upsert.setString(2, key.channelKey());
                    upsert.setString(3, key.stage().name());
                    upsert.setObject(4, key.enteredMonth());
                    upsert.setObject(5, key.recordedMonth());
                    upsert.setLong(6, change.pairs);
                    upsert.setLong(7, change.implied);
                    upsert.setLong(8, change.maxPosition);
                    upsert.setString(9, change.appliedBy);
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
        });
    }

    private static String upsertFor(Connection connection) throws SQLException {
        return connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres")
                ? POSTGRES_UPSERT : STANDARD_UPSERT;
    }
}
