/**
 * KPI answers: facts loaded from the read models ({@code KpiReadModel}), arithmetic in one place ({@code KpiCalculator}),
 * query handlers that add the store position and month-over-month changes.
 */
package com.kpiledger.query.kpi;
