package com.kpiledger.coreapi.audit;

import com.kpiledger.coreapi.kpi.FunnelViewKind;
import com.kpiledger.coreapi.kpi.GroupBy;
import com.kpiledger.coreapi.kpi.KpiScope;

/**
 * A KPI question as an auditor poses it: which answer ({@code kpi}: summary, monthly or funnel) over which scope,
 * with the options of that endpoint.
 */
public record KpiQuestion(String kpi, KpiScope scope, GroupBy groupBy, boolean fullyLoaded, FunnelViewKind view) {
}
