package com.kpiledger.query.spend;

import com.kpiledger.coreapi.campaign.CostType;
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
import java.time.LocalDate;

/**
 * One spend event as a fact: a recorded amount, or a correction's difference. The latest amount of a spend line known
 * at T is the sum of its facts recorded by T, so corrections never overwrite what an earlier "as known at" saw.
 */
@Entity
@Table(name = "kpi_spend_fact")
public class SpendFact extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "kpi_spend_fact_id")
    @SequenceGenerator(name = "kpi_spend_fact_id", sequenceName = "kpi_fact_seq", allocationSize = 50)
    public Long id;
    @Column(name = "event_id")
    public String eventId;
    @Column(name = "campaign_id")
    public String campaignId;
    @Column(name = "spend_id")
    public String spendId;
    @Enumerated(EnumType.STRING)
    @Column(name = "cost_type")
    public CostType costType;
    @Column(name = "spent_on")
    public LocalDate spentOn;
    @Column(name = "amount_delta")
    public BigDecimal amountDelta;
    public String currency;
    public boolean correction;
    public long position;
    @Column(name = "recorded_at")
    public Instant recordedAt;
    /** The node that projected this row (several nodes share the segments). */
    @Column(name = "applied_by")
    public String appliedBy;
}
