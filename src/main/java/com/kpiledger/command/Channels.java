package com.kpiledger.command;

import java.util.Locale;

/** Channels are free text from many CRMs; one spelling per channel keeps the breakdowns from splitting. */
final class Channels {

    private Channels() {
    }

    static String normalise(String channel) {
        return channel == null ? null : channel.trim().toLowerCase(Locale.ROOT);
    }
}
