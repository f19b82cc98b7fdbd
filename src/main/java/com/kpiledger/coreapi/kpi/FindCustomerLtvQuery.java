package com.kpiledger.coreapi.kpi;

import java.time.Instant;

public record FindCustomerLtvQuery(String leadId, Instant knownAt) {
}
