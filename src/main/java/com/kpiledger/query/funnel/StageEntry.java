package com.kpiledger.query.funnel;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A lead entering a stage at a business time, reported or implied. A lead may have several entries per stage (late
 * facts, restatements): its entry into the stage is the earliest one known at the query's "as known at".
 */
@Entity
@Table(name = "kpi_stage_entry")
public class StageEntry extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "kpi_stage_entry_id")
    @SequenceGenerator(name = "kpi_stage_entry_id", sequenceName = "kpi_fact_seq", allocationSize = 50)
    public Long id;
    @Column(name = "event_id")
    public String eventId;
    @Column(name = "lead_id")
    public String leadId;
    @Column(name = "campaign_id")
    public String campaignId;
    @Column(name = "lead_channel")
    public String leadChannel;
    @Enumerated(EnumType.STRING)
    public FunnelStage stage;
    @Column(name = "entered_at")
    public Instant enteredAt;
    public boolean implied;
    public long position;
    @Column(name = "recorded_at")
    public Instant recordedAt;
}
