package com.kpiledger.reliability;

import com.kpiledger.support.Api;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The commit-order gap (the "skipped event" class): a slow transaction draws a global index and commits seconds after
 * faster ones that drew higher indexes and were already projected. The read model still applies the slow event, after
 * the later ones. And a transaction that draws an index and rolls back leaves a permanent gap that holds nothing up.
 */
@QuarkusTest
class CommitOrderGapTest {

    private static final int FAST = 5;
    private static final long HOLD_MILLIS = 4000;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void anEventCommittedAfterLaterOnesIsStillProjected() throws Exception {
        String campaignId = Api.uniqueId("gap-camp");
        String template = Api.uniqueId("gap-template");
        Api.launchCampaign(campaignId, "EUR").then().statusCode(201);
        Api.captureLead(template, campaignId).then().statusCode(201);
        String slow = Api.uniqueId("gap-slow");
        String rolledBack = Api.uniqueId("gap-rolled-back");

        long slowIndex;
        long lastFast = 0;
        List<String> fast = new ArrayList<>();
        long started = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            slowIndex = insertCapture(connection, template, slow);

            for (int i = 0; i < FAST; i++) {
                String lead = Api.uniqueId("gap-fast");
                fast.add(lead);
                lastFast = Api.captureLead(lead, campaignId).then().statusCode(201).extract().jsonPath().getLong("position");
            }
            assertThat(lastFast).as("the fast ones drew later indexes").isGreaterThan(slowIndex);
            await().atMost(Duration.ofSeconds(30)).until(() -> countLeads(fast) == FAST);
            assertThat(countLeads(List.of(slow))).as("not committed yet").isZero();
            // asked twice while the gap is open: an answer that a late commit below its position can still change
            // must not be kept for that position
            for (int i = 0; i < 2; i++) {
                assertThat(leadsInFunnel(campaignId, lastFast)).as("template and fast leads").isEqualTo(1 + FAST);
            }

            long held = (System.nanoTime() - started) / 1_000_000;
            Thread.sleep(Math.max(0, HOLD_MILLIS - held));
            connection.commit();
        }
        long heldMillis = (System.nanoTime() - started) / 1_000_000;

        await().atMost(Duration.ofSeconds(30)).until(() -> countLeads(List.of(slow)) == 1);
        // the read models' position did not move (the slow event's index is below it), and the answer did
        assertThat(leadsInFunnel(campaignId, lastFast)).as("the slow lead counted").isEqualTo(2 + FAST);

        // a permanent gap: an index drawn and rolled back
        long rolledBackIndex;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            rolledBackIndex = insertCapture(connection, template, rolledBack);
            connection.rollback();
        }
        String after = Api.uniqueId("gap-after");
        long afterPosition = Api.captureLead(after, campaignId).then().statusCode(201).extract().jsonPath()
                .getLong("position");
        assertThat(afterPosition).isGreaterThan(rolledBackIndex);
        await().atMost(Duration.ofSeconds(30)).until(() -> countLeads(List.of(after)) == 1);
        assertThat(countLeads(List.of(rolledBack))).isZero();

        given().contentType("application/json").body("{\"kpi\":\"funnel\",\"from\":\"2026-03-01\",\"to\":\"2026-04-01\"}")
                .post("/api/audit/verifications").then().statusCode(200).body("match", equalTo(true));
        System.out.printf("CommitOrderGapTest: index %d committed %d ms after it was drawn, after %d later events "
                + "(up to %d) were projected: applied; index %d rolled back: later event %d applied%n",
                slowIndex, heldMillis, FAST, lastFast, rolledBackIndex, afterPosition);
    }

    /** Inserts a capture of {@code lead} (the template lead's row with the id replaced) and returns its index. */
    private static long insertCapture(Connection connection, String template, String lead) throws SQLException {
        String type;
        byte[] metaData;
        byte[] payload;
        String revision;
        String payloadType;
        String timeStamp;
        try (PreparedStatement select = connection.prepareStatement("SELECT type, metaData, payload, payloadRevision, "
                + "payloadType, timeStamp FROM DomainEventEntry WHERE aggregateIdentifier = ? AND sequenceNumber = 0")) {
            select.setString(1, "lead:" + template);
            try (ResultSet rows = select.executeQuery()) {
                assertThat(rows.next()).isTrue();
                type = rows.getString(1);
                metaData = rows.getBytes(2);
                payload = new String(rows.getBytes(3), StandardCharsets.UTF_8).replace(template, lead)
                        .getBytes(StandardCharsets.UTF_8);
                revision = rows.getString(4);
                payloadType = rows.getString(5);
                timeStamp = rows.getString(6);
            }
        }
        String eventId = UUID.randomUUID().toString();
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO DomainEventEntry (aggregateIdentifier, "
                + "sequenceNumber, type, eventIdentifier, metaData, payload, payloadRevision, payloadType, timeStamp) "
                + "VALUES (?, 0, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, "lead:" + lead);
            insert.setString(2, type);
            insert.setString(3, eventId);
            insert.setBytes(4, metaData);
            insert.setBytes(5, payload);
            insert.setString(6, revision);
            insert.setString(7, payloadType);
            insert.setString(8, timeStamp);
            insert.executeUpdate();
        }
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT globalIndex FROM DomainEventEntry WHERE eventIdentifier = ?")) {
            select.setString(1, eventId);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** The campaign's LEAD count for March 2026, from the KPI API. */
    static long leadsInFunnel(String campaignId, long minPosition) {
        return given().get("/api/kpis/funnel?from=2026-03-01&to=2026-04-01&campaignId=" + campaignId
                        + "&minPosition=" + minPosition).then().statusCode(200)
                .extract().jsonPath().getLong("stages.find { it.stage == 'LEAD' }.count");
    }

    private long countLeads(List<String> leadIds) throws SQLException {
        long count = 0;
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement()) {
            for (String leadId : leadIds) {
                try (ResultSet rows = statement.executeQuery(
                        "SELECT COUNT(*) FROM kpi_lead WHERE lead_id = '" + leadId + "'")) {
                    rows.next();
                    count += rows.getLong(1);
                }
            }
        }
        return count;
    }
}
