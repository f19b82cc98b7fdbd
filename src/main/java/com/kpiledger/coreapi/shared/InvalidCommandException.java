package com.kpiledger.coreapi.shared;

/** The command breaks a rule of the domain (a wrong currency, a date before the lead existed): a client error. */
public class InvalidCommandException extends LedgerException {

    public InvalidCommandException(String field, String message) {
        super(field, message);
    }
}
