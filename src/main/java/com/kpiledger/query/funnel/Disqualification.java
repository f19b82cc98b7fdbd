package com.kpiledger.query.funnel;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.time.Instant;

@Entity
@Table(name = "kpi_disqualification")
public class Disqualification extends FunnelFact {

    public String reason;
    @Column(name = "disqualified_at")
    public Instant disqualifiedAt;
}
