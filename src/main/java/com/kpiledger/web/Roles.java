package com.kpiledger.web;

/**
 * The roles of kpi-spec §7, as they appear in a bearer token's {@code groups} claim (or a local user's roles). An
 * auditor may do everything an analyst may, so analyst endpoints allow both.
 */
final class Roles {

    /** CRM systems: send commands. */
    static final String CRM = "crm";
    /** Read KPIs and charts. */
    static final String ANALYST = "analyst";
    /** Read event histories, verify and publish KPI snapshots, and what an analyst reads. */
    static final String AUDITOR = "auditor";
    /** Rebuild read models, operate the service. */
    static final String ADMIN = "admin";

    private Roles() {
    }
}
