package com.kpiledger.coreapi.history;

/** The global position of the last event of one aggregate's stream (kind "campaign" or "lead"), or -1 if none. */
public record FindStreamPositionQuery(String kind, String id) {
}
