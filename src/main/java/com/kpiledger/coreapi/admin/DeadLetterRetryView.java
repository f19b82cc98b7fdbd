package com.kpiledger.coreapi.admin;

/**
 * The outcome of a retry: how many parked sequences (aggregates) were tried, how many were applied completely, and
 * how many letters remain parked, with the first remaining cause.
 */
public record DeadLetterRetryView(String readModel, long sequencesTried, long sequencesApplied, long lettersLeft,
                                  String firstCauseLeft) {
}
