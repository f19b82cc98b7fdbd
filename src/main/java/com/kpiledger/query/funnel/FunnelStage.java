package com.kpiledger.query.funnel;

import com.kpiledger.coreapi.lead.Stage;

/** The funnel's stages in order: capture is the entry into LEAD, the first WON deal the entry into CUSTOMER. */
public enum FunnelStage {
    LEAD,
    MQL,
    SQL,
    CUSTOMER;

    public static FunnelStage of(Stage stage) {
        return stage == Stage.MQL ? MQL : SQL;
    }
}
