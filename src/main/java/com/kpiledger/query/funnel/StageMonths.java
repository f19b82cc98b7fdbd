package com.kpiledger.query.funnel;

import com.kpiledger.query.BatchUpserts;
import com.kpiledger.query.UtcMonths;

import java.time.LocalDate;
import java.util.Comparator;

/**
 * Keeps {@link StageMonthRow} rows through {@link BatchUpserts}: the funnel's segments share these rows (a campaign's
 * leads are spread over every segment), so two batches may change the same rows at once; written last and in key
 * order, they wait for each other but never deadlock.
 */
final class StageMonths {

    private static final String POSTGRES_UPSERT = "INSERT INTO kpi_stage_month (campaign_key, channel_key, stage,"
            + " entered_month, recorded_month, pairs, implied, max_position, applied_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (campaign_key, channel_key, stage, entered_month, recorded_month) DO UPDATE SET"
            + " pairs = kpi_stage_month.pairs + EXCLUDED.pairs, implied = kpi_stage_month.implied + EXCLUDED.implied,"
            + " max_position = GREATEST(kpi_stage_month.max_position, EXCLUDED.max_position),"
            + " applied_by = EXCLUDED.applied_by";
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

    private static final BatchUpserts<MonthKey, Change> ROWS = new BatchUpserts<>("stage-months", POSTGRES_UPSERT,
            STANDARD_UPSERT, Change::new, (statement, key, change) -> {
        statement.setString(1, key.campaignKey());
        statement.setString(2, key.channelKey());
        statement.setString(3, key.stage().name());
        statement.setObject(4, key.enteredMonth());
        statement.setObject(5, key.recordedMonth());
        statement.setLong(6, change.pairs);
        statement.setLong(7, change.implied);
        statement.setLong(8, change.maxPosition);
        statement.setString(9, change.appliedBy);
    });

    private StageMonths() {
    }

    /** A row's key; campaign and channel as stored (see {@link StageMonthRow#keyOf}). */
    record MonthKey(String campaignKey, String channelKey, FunnelStage stage, LocalDate enteredMonth,
                    LocalDate recordedMonth) implements Comparable<MonthKey> {

        private static final Comparator<MonthKey> ORDER = Comparator.comparing(MonthKey::campaignKey)
                .thenComparing(MonthKey::channelKey).thenComparing(MonthKey::stage)
                .thenComparing(MonthKey::enteredMonth).thenComparing(MonthKey::recordedMonth);

        @Override
        public int compareTo(MonthKey other) {
            return ORDER.compare(this, other);
        }
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
                single.stage, UtcMonths.of(single.enteredAt), UtcMonths.of(single.recordedAt));
        boolean implied = single.firstReportedAt == null || single.firstReportedAt.isAfter(single.enteredAt);
        ROWS.change(key, change -> {
            change.pairs += sign;
            change.implied += implied ? sign : 0;
            change.maxPosition = Math.max(change.maxPosition, position);
            change.appliedBy = single.appliedBy;
        });
    }

}
