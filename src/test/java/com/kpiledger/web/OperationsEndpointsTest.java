package com.kpiledger.web;

import com.kpiledger.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.agroal.api.AgroalDataSource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.awaitility.Awaitility.await;

/** What operators and integrators rely on besides the API itself: health and the API description. */
@QuarkusTest
class OperationsEndpointsTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void livenessAndReadinessAreUpAndReadinessCoversTheEventStore() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("event-store"))
                .body("checks.find { it.name == 'event-store' }.data.axon", equalTo("running"))
                .body("checks.find { it.name == 'event-store' }.data.headPosition", greaterThanOrEqualTo(0));
    }

    @Test
    void openApiDescribesEveryCommandAndHistoryEndpoint() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/campaigns"))
                .body("paths", org.hamcrest.Matchers.hasKey("/api/campaigns/{campaignId}/spend"))
                .body("paths", org.hamcrest.Matchers.hasKey("/api/campaigns/{campaignId}/spend/{spendId}/corrections"))
                .body("paths", org.hamcrest.Matchers.hasKey("/api/campaigns/{campaignId}/end"))
                .body("paths", org.hamcrest.Matchers.hasKey("/api/campaigns/{campaignId}/history"))
                .body("paths", org.hamcrest.Matchers.hasKey("/api/leads"))
                .body("paths", org.hamcrest.Matchers.hasKey("/api/leads/{leadId}/qualifications"))
                .body("paths", org.hamcrest.Matchers.hasKey("/api/leads/{leadId}/disqualifications"))
                .body("paths", org.hamcrest.Matchers.hasKey("/api/leads/{leadId}/deals"))
                .body("paths", org.hamcrest.Matchers.hasKey("/api/leads/{leadId}/history"));
    }

    @Test
    void readinessCoversTheReadModels() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'read-models' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'read-models' }.data.spend", containsString("RUNNING"))
                .body("checks.find { it.name == 'read-models' }.data.funnel", containsString("RUNNING"));
    }

    /**
     * A read model that cannot apply an event (here: its table gone for a while, as in a botched migration) makes the
     * node not ready and names the event; once the table is back the segment's retry applies it and the node is ready
     * again, without a restart.
     */
    @Test
    void readinessGoesDownWhileAReadModelCannotApplyAnEventAndUpWhenItRecovers() throws Exception {
        execute("ALTER TABLE kpi_campaign RENAME TO kpi_campaign_away");
        try {
            String campaignId = Api.uniqueId("unready");
            Api.launchCampaign(campaignId, "EUR").then().statusCode(201);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/ready").then()
                    .statusCode(503)
                    .body("checks.find { it.name == 'read-models' }.status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'read-models' }.data.spend", startsWith("ERROR"))
                    .body("checks.find { it.name == 'read-models' }.data.'spend.error'",
                            containsString("CampaignLaunchedEvent at position")));
            given().get("/api/admin/projections").then().statusCode(200)
                    .body("find { it.name == 'spend' }.state", equalTo("ERROR"))
                    .body("find { it.name == 'spend' }.lag", greaterThanOrEqualTo(1))
                    .body("find { it.name == 'spend' }.lagSeconds", greaterThan(0f))
                    .body("find { it.name == 'funnel' }.state", equalTo("RUNNING"));
        } finally {
            execute("ALTER TABLE kpi_campaign_away RENAME TO kpi_campaign");
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(200)
                .body("checks.find { it.name == 'read-models' }.data.spend", startsWith("RUNNING")));
        given().get("/api/admin/projections").then().statusCode(200)
                .body("find { it.name == 'spend' }.error", nullValue());
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Test
    void metricsExposeCommandsReadModelLagAndAxonMeters() {
        Api.launchCampaign(Api.uniqueId("metrics"), "EUR").then().statusCode(201);
        Api.recordSpend("no-such-campaign-for-metrics", "s-1", "10", "MEDIA").then().statusCode(404);

        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("kpi_ledger_commands_total{command=\"LaunchCampaignCommand\",outcome=\"applied\""))
                .body(containsString("kpi_ledger_commands_total{command=\"RecordSpendCommand\",outcome=\"rejected\""))
                .body(containsString("kpi_ledger_read_model_lag_events{read_model=\"spend\"}"))
                .body(containsString("kpi_ledger_read_model_lag_events{read_model=\"funnel\"}"))
                .body(containsString("kpi_ledger_read_model_lag_seconds{read_model=\"spend\"}"))
                .body(containsString("kpi_ledger_read_model_rebuild_progress_percent{read_model=\"funnel\"}"))
                .body(containsString("commandBus_successCounter_total"))
                .body(containsString("eventStore_ingestedCounter_total"));
    }

    @Test
    void swaggerUiIsServed() {
        given().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
    }
}
