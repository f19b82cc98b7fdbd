package com.kpiledger.coreapi.lead;

import com.kpiledger.coreapi.shared.LedgerEvent;

/** An event of one lead's stream. */
public interface LeadEvent extends LedgerEvent {

    String leadId();
}
