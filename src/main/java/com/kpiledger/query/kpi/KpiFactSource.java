package com.kpiledger.query.kpi;

import com.kpiledger.coreapi.kpi.KpiScope;
import com.kpiledger.query.kpi.KpiInputs.CohortLead;

import java.util.List;

/**
 * Where KPI facts come from, cut to a scope and to a store position: the read models (live answers) or a fold of the
 * raw events (verification). Both must agree; that is what an auditor checks.
 */
public interface KpiFactSource {

    /** The currency of the money figures: the one asked for, else the only one known; refuses when there are several. */
    String resolveCurrency(KpiScope scope, long position);

    KpiInputs load(KpiScope scope, String currency, boolean withFunnelDetail, long position);

    List<CohortLead> cohort(KpiScope scope, long position);
}
