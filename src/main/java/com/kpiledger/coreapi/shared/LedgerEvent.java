package com.kpiledger.coreapi.shared;

import java.time.temporal.Temporal;

/**
 * What every event of the ledger carries besides its own facts: the business time that places it in a period
 * (a date or an instant, as the CRM sent it) and the system it came from. The recorded time and the global position
 * are added by the event store.
 */
public interface LedgerEvent {

    Temporal businessTime();

    String source();
}
