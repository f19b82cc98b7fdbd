package com.kpiledger.coreapi.audit;

/** Answer the question from the read models, recompute it from the raw events alone, and compare. */
public record VerifyKpiQuery(KpiQuestion question) {
}
