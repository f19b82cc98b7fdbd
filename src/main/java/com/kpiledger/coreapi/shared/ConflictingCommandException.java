package com.kpiledger.coreapi.shared;

/** The same ids were already used for different facts; nothing was changed. */
public class ConflictingCommandException extends LedgerException {

    public ConflictingCommandException(String field, String message) {
        super(field, message);
    }
}
