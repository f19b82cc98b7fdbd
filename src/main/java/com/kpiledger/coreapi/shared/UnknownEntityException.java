package com.kpiledger.coreapi.shared;

/** A command names something inside an aggregate (a spend line) that the aggregate has never seen. */
public class UnknownEntityException extends LedgerException {

    public UnknownEntityException(String field, String message) {
        super(field, message);
    }
}
