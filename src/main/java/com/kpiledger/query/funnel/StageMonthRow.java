package com.kpiledger.query.funnel;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.Objects;

/**
 * The pairs (lead, stage) with a single entry, counted per attribution, stage, month entered and month recorded (UTC):
 * the KPI summary reads a year's stage counts from a few rows per campaign instead of one per lead and stage. Kept by
 * the funnel projection in the transaction that writes the {@link FirstEntryRow} rows: a pair is counted here while its
 * row has one entry, and taken out when a second entry arrives (it is then grouped from its entries, as before).
 *
 * <p>Written with one upsert per row and batch, in key order (rows are shared by the segments of the funnel, which
 * run side by side), never through the persistence context; read by the KPI queries only for months wholly inside
 * the period, recorded before the month of "as known at", and only when no row read has a position beyond the
 * answer's. An attribution's missing campaign or channel is stored as an empty string (key columns cannot be null).
 */
@Entity
@Table(name = "kpi_stage_month")
@IdClass(StageMonthRow.Key.class)
public class StageMonthRow extends PanacheEntityBase {

    /** How a missing campaign or channel is stored. */
    public static final String NONE = "";

    @Id
    @Column(name = "campaign_key")
    public String campaignKey;
    @Id
    @Column(name = "channel_key")
    public String channelKey;
    @Id
    @Enumerated(EnumType.STRING)
    public FunnelStage stage;
    /** The first day of the month the pairs' entry was in. */
    @Id
    @Column(name = "entered_month")
    public LocalDate enteredMonth;
    /** The first day of the month (UTC) the pairs' entry was recorded in. */
    @Id
    @Column(name = "recorded_month")
    public LocalDate recordedMonth;
    /** The pairs counted. */
    public long pairs;
    /** Of those, the pairs whose entry was implied. */
    public long implied;
    /** The highest position of an entry that changed the row (an upper bound of its pairs' positions). */
    @Column(name = "max_position")
    public long maxPosition;
    @Column(name = "applied_by")
    public String appliedBy;

    public static String keyOf(String campaignOrChannel) {
        return campaignOrChannel == null ? NONE : campaignOrChannel;
    }

    public static String valueOf(String key) {
        return NONE.equals(key) ? null : key;
    }

    /** The primary key. */
    public static class Key implements Serializable {

        public String campaignKey;
        public String channelKey;
        public FunnelStage stage;
        public LocalDate enteredMonth;
        public LocalDate recordedMonth;

        public Key() {
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(campaignKey, key.campaignKey)
                    && Objects.equals(channelKey, key.channelKey) && stage == key.stage
                    && Objects.equals(enteredMonth, key.enteredMonth) && Objects.equals(recordedMonth, key.recordedMonth);
        }

        @Override
        public int hashCode() {
            return Objects.hash(campaignKey, channelKey, stage, enteredMonth, recordedMonth);
        }
    }
}
