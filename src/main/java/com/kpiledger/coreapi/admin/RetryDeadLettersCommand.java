package com.kpiledger.coreapi.admin;

/** Hand every parked sequence of one read model to its event handlers again, oldest letter first. */
public record RetryDeadLettersCommand(String readModel) {
}
