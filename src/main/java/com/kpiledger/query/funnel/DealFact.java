package com.kpiledger.query.funnel;

import com.kpiledger.coreapi.lead.DealOutcome;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;

import java.math.BigDecimal;
import java.time.Instant;

/** A closed deal (won or lost) with the attribution of its lead. */
@Entity
@Table(name = "kpi_deal")
public class DealFact extends FunnelFact {

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
}
