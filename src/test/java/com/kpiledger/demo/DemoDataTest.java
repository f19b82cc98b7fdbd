package com.kpiledger.demo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** {@code kpi-ledger.demo-data=S} fills an empty store with tier S at startup, and the KPIs show it. */
@QuarkusTest
@TestProfile(DemoDataTest.TierS.class)
class DemoDataTest {

    public static class TierS implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // a database of its own: the in-memory H2 of the other tests outlives their restarts and is not empty
            return Map.of("kpi-ledger.demo-data", "S",
                    "quarkus.datasource.jdbc.url", "jdbc:h2:mem:kpi-ledger-demo;DB_CLOSE_DELAY=-1");
        }
    }

    @Test
    void tierSIsLoadedAtStartupAndCountedByTheKpis() {
        long leads = CrmHistory.stream(HistoryTier.S, 2025)
                .filter(command -> command instanceof com.kpiledger.coreapi.lead.CaptureLeadCommand)
                .count();
        // the funnel counts the leads of every currency; its first stage is the capture
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                given().queryParam("from", "2025-01-01").queryParam("to", "2026-01-01")
                        .when().get("/api/kpis/funnel")
                        .then().statusCode(200).body("stages[0].count", equalTo((int) leads)));
    }
}
