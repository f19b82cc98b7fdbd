package com.kpiledger.coreapi.kpi;

/** How a summary may be broken down. Organic leads form a row of their own (campaignId null) so rows add up. */
public enum GroupBy {
    NONE,
    CAMPAIGN,
    CHANNEL
}
