package com.kpiledger.coreapi.kpi;

public record FindFunnelQuery(KpiScope scope, FunnelViewKind view) {
}
