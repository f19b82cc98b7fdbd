package com.kpiledger.coreapi.lead;

/** The qualification stages a CRM reports. Capture is the entry into "lead"; the first WON deal the entry into "customer". */
public enum Stage {
    MQL,
    SQL
}
