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

    KpiInputs load(KpiScope scope, String currency, Detail detail, long position);

    /** What a question needs beyond the per-attribution sums and counts that every answer uses. */
    enum Detail {
        /** Summary, breakdown, monthly: sums and counts only. */
        SUMMARY,
        /** The period funnel: also the time-to-SQL timings and the disqualifications of the period. */
        PERIOD_FUNNEL,
        /** The cohort funnel: also each lead's first entries ({@link KpiInputs#firstEntries()}). */
        COHORT_FUNNEL
    }

    List<CohortLead> cohort(KpiScope scope, long position);
}
