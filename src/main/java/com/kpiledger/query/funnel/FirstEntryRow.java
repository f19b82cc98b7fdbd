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
import java.time.Instant;
import java.util.Objects;

/**
 * A lead's entries into one stage, summed up: how many {@link StageEntry} rows there are, the earliest and the earliest
 * reported. Kept by the funnel projection in the transaction that writes the entries, so that the KPI summary need not
 * group every entry per lead to find first entries.
 *
 * <p>Exact under every cut because of how it is used: a pair with one entry is that entry (its clocks are here, so a
 * position or "as known at" cut keeps or drops it as it would the entry); a pair with several entries may have a
 * different first entry under each cut (a later-recorded but earlier-dated fact, a restatement, clocks out of order
 * across nodes), so queries read those pairs' entries instead. They are a handful per thousand leads.
 */
@Entity
@Table(name = "kpi_first_entry")
@IdClass(FirstEntryRow.Key.class)
public class FirstEntryRow extends PanacheEntityBase {

    @Id
    @Column(name = "lead_id")
    public String leadId;
    @Id
    @Enumerated(EnumType.STRING)
    public FunnelStage stage;
    @Column(name = "campaign_id")
    public String campaignId;
    @Column(name = "lead_channel")
    public String leadChannel;
    /** The earliest entry applied. */
    @Column(name = "entered_at")
    public Instant enteredAt;
    /** The earliest reported (not implied) entry applied; null if every entry was implied. */
    @Column(name = "first_reported_at")
    public Instant firstReportedAt;
    /** How many stage entries the pair has; only a pair with one is read from this row under a cut. */
    public int entries;
    /** With one entry, its position; with several, the highest. */
    public long position;
    /** With one entry, its recorded time; with several, the latest. */
    @Column(name = "recorded_at")
    public Instant recordedAt;
    @Column(name = "applied_by")
    public String appliedBy;

    /** The pair's first entry: the new {@code entry}. */
    static FirstEntryRow of(StageEntry entry) {
        FirstEntryRow first = new FirstEntryRow();
        first.leadId = entry.leadId;
        first.stage = entry.stage;
        first.campaignId = entry.campaignId;
        first.leadChannel = entry.leadChannel;
        first.enteredAt = entry.enteredAt;
        first.firstReportedAt = entry.implied ? null : entry.enteredAt;
        first.entries = 1;
        first.position = entry.position;
        first.recordedAt = entry.recordedAt;
        first.appliedBy = entry.appliedBy;
        return first;
    }

    /** Counts one more entry of the pair. */
    void add(StageEntry entry) {
        entries++;
        if (entry.enteredAt.isBefore(enteredAt)) {
            enteredAt = entry.enteredAt;
        }
        if (!entry.implied && (firstReportedAt == null || entry.enteredAt.isBefore(firstReportedAt))) {
            firstReportedAt = entry.enteredAt;
        }
        position = Math.max(position, entry.position);
        if (entry.recordedAt.isAfter(recordedAt)) {
            recordedAt = entry.recordedAt;
        }
        appliedBy = entry.appliedBy;
    }

    /** The primary key: one row per lead and stage. */
    public static class Key implements Serializable {

        public String leadId;
        public FunnelStage stage;

        public Key() {
        }

        public Key(String leadId, FunnelStage stage) {
            this.leadId = leadId;
            this.stage = stage;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(leadId, key.leadId) && stage == key.stage;
        }

        @Override
        public int hashCode() {
            return Objects.hash(leadId, stage);
        }
    }
}
