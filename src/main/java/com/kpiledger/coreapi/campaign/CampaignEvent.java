package com.kpiledger.coreapi.campaign;

import com.kpiledger.coreapi.shared.LedgerEvent;

/** An event of one campaign's stream. */
public interface CampaignEvent extends LedgerEvent {

    String campaignId();
}
