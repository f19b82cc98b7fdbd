package com.kpiledger.web;

/** The read models have not reached the position a client asked to read at, within the wait allowed. */
class ReadModelBehindException extends RuntimeException {

    ReadModelBehindException(long minPosition) {
        super("The read models have not reached position " + minPosition + " yet; retry shortly");
    }
}
