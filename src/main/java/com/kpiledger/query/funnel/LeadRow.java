package com.kpiledger.query.funnel;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A captured lead and its attribution (the campaign that captured it, or its own channel when organic). */
@Entity
@Table(name = "kpi_lead")
public class LeadRow extends PanacheEntityBase {

    @Id
    @Column(name = "lead_id")
    public String leadId;
    @Column(name = "campaign_id")
    public String campaignId;
    public String channel;
    @Column(name = "captured_at")
    public Instant capturedAt;
    public long position;
    @Column(name = "recorded_at")
    public Instant recordedAt;
    /** The node that projected this row (several nodes share the segments). */
    @Column(name = "applied_by")
    public String appliedBy;
}
