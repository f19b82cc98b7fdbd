package com.kpiledger.web;

import com.kpiledger.coreapi.shared.CommandOutcome;

/**
 * The answer to every command: which entity, whether this request stored new events (APPLIED, 201) or found them
 * already stored by an identical earlier request (UNCHANGED, 200), and the store position of the aggregate's latest
 * event — pass it as {@code minPosition} to a KPI query to read your own write.
 */
public record CommandAnswer(String id, CommandOutcome outcome, long position) {
}
