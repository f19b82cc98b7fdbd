/** KPI queries and their views: summaries, breakdowns, month over month, funnel, customer LTV. */
package com.kpiledger.coreapi.kpi;
