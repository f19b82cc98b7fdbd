package com.kpiledger.query.funnel;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.SequenceGenerator;

import java.time.Instant;

/**
 * What every fact of a lead carries: the event it came from, the lead's attribution (copied from its capture, so
 * queries need no join) and both clocks' store side: position and recorded time.
 */
@MappedSuperclass
public abstract class FunnelFact extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "kpi_funnel_fact_id")
    @SequenceGenerator(name = "kpi_funnel_fact_id", sequenceName = "kpi_fact_seq", allocationSize = 50)
    public Long id;
    @Column(name = "event_id")
    public String eventId;
    @Column(name = "lead_id")
    public String leadId;
    @Column(name = "campaign_id")
    public String campaignId;
    @Column(name = "lead_channel")
    public String leadChannel;
    public long position;
    @Column(name = "recorded_at")
    public Instant recordedAt;
    /** The node that projected this row (several nodes share the segments). */
    @Column(name = "applied_by")
    public String appliedBy;

    /** Fills the common part from the lead and the event being handled. */
    void recordedFrom(LeadRow lead, String eventId, long position, Instant recordedAt, String appliedBy) {
        this.eventId = eventId;
        this.leadId = lead.leadId;
        this.campaignId = lead.campaignId;
        this.leadChannel = lead.channel;
        this.position = position;
        this.recordedAt = recordedAt;
        this.appliedBy = appliedBy;
    }
}
