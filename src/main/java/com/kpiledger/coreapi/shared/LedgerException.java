package com.kpiledger.coreapi.shared;

/**
 * A command the domain refuses. {@code field} names the offending request field (or is null when the whole request
 * is at fault) so the HTTP layer can point the CRM at what to fix.
 */
public abstract class LedgerException extends RuntimeException {

    private final String field;

    protected LedgerException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
