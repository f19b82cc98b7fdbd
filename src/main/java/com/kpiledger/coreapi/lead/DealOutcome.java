package com.kpiledger.coreapi.lead;

public enum DealOutcome {
    WON,
    LOST
}
