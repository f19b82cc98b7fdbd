package com.kpiledger.query.funnel;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A lead entering a stage at a business time, reported or implied. A lead may have several entries per stage (late
 * facts, restatements): its entry into the stage is the earliest one known at the query's "as known at".
 */
@Entity
@Table(name = "kpi_stage_entry")
public class StageEntry extends FunnelFact {

    @Enumerated(EnumType.STRING)
    public FunnelStage stage;
    @Column(name = "entered_at")
    public Instant enteredAt;
    public boolean implied;
}
