package com.kpiledger.query;

import org.axonframework.eventhandling.TrackingToken;

/** The global position of the event being handled, as its tracking token tells it (replays included). */
public final class Positions {

    private Positions() {
    }

    public static long of(TrackingToken token) {
        return token == null ? -1 : token.position().orElse(-1);
    }
}
