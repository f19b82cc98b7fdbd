package com.kpiledger.coreapi.kpi;

/**
 * PERIOD: entries into each stage within the period. COHORT: of the leads captured in the period, how many have
 * reached each stage by knownAt, whenever that was.
 */
public enum FunnelViewKind {
    PERIOD,
    COHORT
}
