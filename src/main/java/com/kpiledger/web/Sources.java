package com.kpiledger.web;

/** The origin system of a command (e.g. "hubspot"), sent as a header so every event can name where it came from. */
final class Sources {

    static final String HEADER = "X-Source-System";
    static final String DEFAULT = "api";

    private Sources() {
    }

    static String orDefault(String source) {
        return source == null || source.isBlank() ? DEFAULT : source;
    }
}
