package com.kpiledger.coreapi.campaign;

/** What a spend line paid for. SALES is the sales team's cost: it is kept out of marketing spend and only enters fully loaded CAC. */
public enum CostType {
    MEDIA,
    CONTENT,
    TOOLING,
    PERSONNEL,
    AGENCY,
    SALES,
    OTHER
}
