package com.kpiledger.query.funnel;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.Instant;

@Entity
@Table(name = "kpi_disqualification")
public class Disqualification extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "kpi_disqualification_id")
    @SequenceGenerator(name = "kpi_disqualification_id", sequenceName = "kpi_fact_seq", allocationSize = 50)
    public Long id;
    @Column(name = "event_id")
    public String eventId;
    @Column(name = "lead_id")
    public String leadId;
    @Column(name = "campaign_id")
    public String campaignId;
    @Column(name = "lead_channel")
    public String leadChannel;
    public String reason;
    @Column(name = "disqualified_at")
    public Instant disqualifiedAt;
    public long position;
    @Column(name = "recorded_at")
    public Instant recordedAt;
}
