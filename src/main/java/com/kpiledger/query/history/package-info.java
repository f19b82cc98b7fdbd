/** The audit trail of one aggregate, straight from the event store. */
package com.kpiledger.query.history;
