package com.kpiledger.web;

import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures tell the client "retry later" (503) rather than "we broke" (500). */
class ProblemMapperTest {

    private final ProblemMapper mapper = new ProblemMapper();

    @Test
    void aPoolThatFindsNoConnectionInTimeIsAnUnavailableStore() {
        // what Agroal throws while PostgreSQL is stopped and every attempt to connect waits (DatabaseOutageIT)
        var e = new EventStoreException("Failed to obtain a database connection",
                new SQLException("Acquisition timeout while waiting for new connection", new TimeoutException()));
        var response = mapper.unexpected(e);
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaderString("Retry-After")).isEqualTo("5");
    }

    @Test
    void aConnectInterruptedByThePoolIsAnUnavailableStore() {
        // the driver's own words when Agroal interrupts a connect that outlasted the acquisition timeout
        var e = new EventStoreException("Failed to obtain a database connection",
                new SQLException("Something unusual has occurred to cause the driver to fail. Please report this exception.",
                        "XX000", new RuntimeException("Interrupted while attempting to connect.")));
        assertThat(mapper.unexpected(e).getStatus()).isEqualTo(503);
    }

    @Test
    void connectionFailuresAreAnUnavailableStore() {
        assertThat(mapper.unexpected(new EventStoreException("x", new SQLTransientConnectionException("gone")))
                .getStatus()).isEqualTo(503);
        assertThat(mapper.unexpected(new EventStoreException("x", new SQLException("refused", "08001")))
                .getStatus()).isEqualTo(503);
    }

    @Test
    void otherFailuresStayInternalErrors() {
        assertThat(mapper.unexpected(new EventStoreException("x", new SQLException("syntax", "42601"))).getStatus())
                .isEqualTo(500);
        assertThat(mapper.unexpected(new IllegalStateException("bug")).getStatus()).isEqualTo(500);
    }
}
