package com.kpiledger.coreapi.shared;

/** What a command did: stored new events, or found them already stored by an identical earlier command. */
public enum CommandOutcome {
    APPLIED,
    UNCHANGED
}
