package com.kpiledger.support;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;

/**
 * Runs a @QuarkusTest on real PostgreSQL instead of H2. Quarkus re-augments the application for a test profile, so
 * the build-time db-kind may change here. The database comes from {@link PostgresResource}.
 */
public class PostgresProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        // as in production (the %prod profile): JDBC batches rewritten as multi-row INSERTs
        return Map.of("quarkus.datasource.db-kind", "postgresql",
                "quarkus.datasource.jdbc.additional-jdbc-properties.reWriteBatchedInserts", "true");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PostgresResource.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
