package com.kpiledger.coreapi.admin;

/** Every event parked in a read model's dead-letter queue, oldest sequence first. */
public record FetchDeadLettersQuery() {
}
