package com.kpiledger.demo;

import com.kpiledger.support.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import java.util.HashMap;
import java.util.Map;

@QuarkusTest
@TestProfile(DemoDataPostgresTest.TierSOnPostgres.class)
class DemoDataPostgresTest extends DemoDataTest {

    /** A fresh embedded PostgreSQL, so the store is empty, and the demo flag on. */
    public static class TierSOnPostgres extends PostgresProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("kpi-ledger.demo-data", "S");
            return overrides;
        }
    }
}
