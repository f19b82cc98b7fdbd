/**
 * Audit: recomputing KPI answers from the raw event store (never from read models), published snapshots and their
 * re-verification, restatements between two "as known at" moments.
 */
package com.kpiledger.audit;
