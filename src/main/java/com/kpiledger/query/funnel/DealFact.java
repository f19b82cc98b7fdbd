package com.kpiledger.query.funnel;

import com.kpiledger.coreapi.lead.DealOutcome;
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

import java.math.BigDecimal;
import java.time.Instant;

/** A closed deal (won or lost) with the attribution of its lead. */
@Entity
@Table(name = "kpi_deal")
public class DealFact extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "kpi_deal_id")
    @SequenceGenerator(name = "kpi_deal_id", sequenceName = "kpi_fact_seq", allocationSize = 50)
    public Long id;
    @Column(name = "event_id")
    public String eventId;
    @Column(name = "lead_id")
    public String leadId;
    @Column(name = "campaign_id")
    public String campaignId;
    @Column(name = "lead_channel")
    public String leadChannel;
    @Column(name = "deal_id")
    public String dealId;
    @Enumerated(EnumType.STRING)
    public DealOutcome outcome;
    public BigDecimal amount;
    public String currency;
    @Column(name = "gross_margin")
    public BigDecimal grossMargin;
    @Column(name = "closed_at")
    public Instant closedAt;
    public long position;
    @Column(name = "recorded_at")
    public Instant recordedAt;
}
