/** Queries and views of the audit trail: an aggregate's stored events. */
package com.kpiledger.coreapi.history;
