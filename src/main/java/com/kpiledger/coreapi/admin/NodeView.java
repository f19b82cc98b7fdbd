package com.kpiledger.coreapi.admin;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A service node sharing the database: when it started, when it last said it was alive, whether it counts as alive
 * (heard from within the token claim timeout) and the read-model segments it holds, by read model.
 */
public record NodeView(String nodeId, Instant startedAt, Instant lastSeen, boolean alive,
                       Map<String, List<Integer>> segments) {
}
