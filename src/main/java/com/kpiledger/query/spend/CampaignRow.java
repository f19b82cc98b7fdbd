package com.kpiledger.query.spend;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.time.LocalDate;

/** A campaign as the KPI queries need it: its channel (for breakdowns) and currency. */
@Entity
@Table(name = "kpi_campaign")
public class CampaignRow extends PanacheEntityBase {

    @Id
    @Column(name = "campaign_id")
    public String campaignId;
    public String name;
    public String channel;
    public String currency;
    @Column(name = "launched_on")
    public LocalDate launchedOn;
    @Column(name = "ended_on")
    public LocalDate endedOn;
    public long position;
    @Column(name = "recorded_at")
    public Instant recordedAt;
    /** The node that projected this row (several nodes share the segments). */
    @Column(name = "applied_by")
    public String appliedBy;
}
