package com.kpiledger.web;

import java.util.List;

/** Query parameters that cannot be used, each named with what is wrong. */
class InvalidParametersException extends RuntimeException {

    private final List<Problem.FieldError> errors;

    InvalidParametersException(List<Problem.FieldError> errors) {
        super("invalid query parameters");
        this.errors = List.copyOf(errors);
    }

    List<Problem.FieldError> errors() {
        return errors;
    }
}
