package com.kpiledger.coreapi.history;

/** Every event of one aggregate, oldest first. {@code kind} is "campaign" or "lead"; {@code id} the CRM's id. */
public record FetchEventHistoryQuery(String kind, String id) {
}
