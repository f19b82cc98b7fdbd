package com.kpiledger.reliability;

import com.kpiledger.support.Api;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * A poison event: a row written straight into the event store whose payload does not deserialize. The funnel read
 * model parks it, and the later event of the same lead behind it, in its dead-letter queue; events of other leads
 * written after it are still applied. The count shows in the wellness check and the metric, not in readiness;
 * verification names the event instead of failing with a 500; a retry before the repair reports the letters still
 * parked, and a retry after it applies both, in order.
 */
@QuarkusTest
class DeadLetterTest {

    private static final int OTHER_LEADS = 5;

    @Inject
    AgroalDataSource dataSource;

    /** Events this test damaged, by id, with the row that repairs them. */
    private final Map<String, Row> repairs = new java.util.LinkedHashMap<>();

    @Test
    void aPoisonEventParksOnlyItsOwnLeadAndIsAppliedAfterRepairAndRetry() throws Exception {
        String campaignId = Api.uniqueId("dlq-camp");
        String template = Api.uniqueId("dlq-template");
        String poisoned = Api.uniqueId("dlq-poison");
        Api.launchCampaign(campaignId, "EUR").then().statusCode(201);
        Api.captureLead(template, campaignId).then().statusCode(201);
        Api.qualify(template, "SQL", "2026-03-05T10:00:00Z").then().statusCode(201);

        // the poisoned lead's two events, made from the template lead's rows: a capture whose JSON is cut in half,
        // and a valid qualification behind it
        Row capture = row("lead:" + template, 0);
        Row qualification = row("lead:" + template, 1);
        byte[] repairedPayload = capture.payloadFor(template, poisoned);
        byte[] cut = new String(repairedPayload, StandardCharsets.UTF_8)
                .substring(0, repairedPayload.length / 2).getBytes(StandardCharsets.UTF_8);
        String poisonEventId = insert("lead:" + poisoned, 0, capture, cut);
        repairs.put(poisonEventId, capture.with(repairedPayload));
        String followerId = insert("lead:" + poisoned, 1, qualification, qualification.payloadFor(template, poisoned));
        long poisonPosition = position(poisonEventId);

        List<String> others = new ArrayList<>();
        long last = 0;
        for (int i = 0; i < OTHER_LEADS; i++) {
            String other = Api.uniqueId("dlq-other");
            others.add(other);
            last = Api.captureLead(other, campaignId).then().statusCode(201).extract().jsonPath().getLong("position");
        }
        assertThat(last).isGreaterThan(poisonPosition);

        // other leads, written after the poison, are applied
        long head = last;
        await().atMost(Duration.ofSeconds(30)).until(() -> countLeads(others) == OTHER_LEADS
                && deadLetters("funnel").size() == 2);
        given().get("/api/kpis/funnel?from=2026-03-01&to=2026-04-01&minPosition=" + head).then().statusCode(200);
        assertThat(countLeads(List.of(poisoned))).as("the poisoned lead is not in the read model").isZero();
        // asked twice while a letter is parked: its retry can still change the answer, which is therefore not kept
        for (int i = 0; i < 2; i++) {
            assertThat(CommitOrderGapTest.leadsInFunnel(campaignId, head)).isEqualTo(1 + OTHER_LEADS);
        }

        List<Map<String, Object>> parked = deadLetters("funnel");
        assertThat(parked).extracting(letter -> letter.get("sequence")).containsOnly("lead:" + poisoned);
        assertThat(parked).extracting(letter -> letter.get("eventId")).containsExactly(poisonEventId, followerId);
        assertThat(parked.get(0).get("position")).isEqualTo((int) poisonPosition);
        assertThat(String.valueOf(parked.get(0).get("cause"))).isNotBlank();
        assertThat(parked.get(1).get("cause")).as("the follower only waits").isNull();
        assertThat(deadLetters("spend")).isEmpty();

        // visible to operators, without taking the node out of service
        given().get("/q/health/well").then().statusCode(503)
                .body("checks.find { it.name == 'dead-letters' }.data.funnel", equalTo(2));
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("kpi_ledger_dead_letters{read_model=\"funnel\"} 2.0"));

        // a fold of the raw events cannot go past the poison: verification says which event, not 500
        given().contentType("application/json").body("{\"kpi\":\"summary\",\"from\":\"2026-03-01\",\"to\":\"2026-04-01\"}")
                .post("/api/audit/verifications").then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:kpi-ledger:problem:unreadable-event"))
                .body("detail", containsString("position " + poisonPosition))
                .body("detail", containsString(poisonEventId));

        // a retry before the repair fails again and says so; nothing is lost
        JsonPath stillParked = given().post("/api/admin/dead-letters/funnel/retry").then().statusCode(200)
                .extract().jsonPath();
        assertThat(stillParked.getLong("sequencesTried")).isEqualTo(1);
        assertThat(stillParked.getLong("sequencesApplied")).isZero();
        assertThat(stillParked.getLong("lettersLeft")).isEqualTo(2);
        assertThat(stillParked.getString("firstCauseLeft")).isNotBlank();

        // repaired in the store and in the queue, the retry applies both events, in order
        repair();
        JsonPath retried = given().post("/api/admin/dead-letters/funnel/retry").then().statusCode(200)
                .extract().jsonPath();
        assertThat(retried.getLong("sequencesApplied")).isEqualTo(1);
        assertThat(retried.getLong("lettersLeft")).isZero();
        assertThat(deadLetters("funnel")).isEmpty();
        assertThat(countLeads(List.of(poisoned))).isEqualTo(1);
        assertThat(stages(poisoned)).contains("LEAD", "MQL", "SQL");
        assertThat(CommitOrderGapTest.leadsInFunnel(campaignId, head)).as("the retried lead counted")
                .isEqualTo(2 + OTHER_LEADS);
        given().get("/q/health/well").then().statusCode(200);
        given().get("/api/admin/dead-letters/nope/retry").then().statusCode(405);
        given().post("/api/admin/dead-letters/nope/retry").then().statusCode(404);

        given().contentType("application/json").body("{\"kpi\":\"funnel\",\"from\":\"2026-03-01\",\"to\":\"2026-04-01\"}")
                .post("/api/audit/verifications").then().statusCode(200).body("match", equalTo(true));
        System.out.printf("DeadLetterTest: poison at position %d parked with 1 follower; %d other leads after it "
                + "applied; retry before repair left 2 letters, after repair applied 1 sequence (2 events)%n",
                poisonPosition, OTHER_LEADS);
    }

    @Test
    void anEventOfAnUnknownTypeIsParkedNotSkipped() throws Exception {
        String campaignId = Api.uniqueId("dlq-camp");
        String template = Api.uniqueId("dlq-template");
        String unknown = Api.uniqueId("dlq-unknown");
        Api.launchCampaign(campaignId, "EUR").then().statusCode(201);
        Api.captureLead(template, campaignId).then().statusCode(201);
        Row capture = row("lead:" + template, 0);
        Row teleported = new Row(capture.type(), capture.metaData(), capture.payloadFor(template, unknown), null,
                "com.kpiledger.coreapi.lead.LeadTeleportedEvent", capture.timeStamp());
        String eventId = insert("lead:" + unknown, 0, teleported, teleported.payload());
        repairs.put(eventId, capture.with(capture.payloadFor(template, unknown)));
        String after = Api.uniqueId("dlq-after");
        Api.captureLead(after, campaignId).then().statusCode(201);

        // both read models park it (neither knows the type), and the lead captured after it is applied
        await().atMost(Duration.ofSeconds(30)).until(() -> countLeads(List.of(after)) == 1
                && deadLetters("funnel").size() == 1 && deadLetters("spend").size() == 1);
        for (String readModel : List.of("funnel", "spend")) {
            Map<String, Object> letter = deadLetters(readModel).get(0);
            assertThat(letter.get("eventId")).isEqualTo(eventId);
            assertThat(String.valueOf(letter.get("cause"))).contains("Unknown event type")
                    .contains("LeadTeleportedEvent");
        }
        given().contentType("application/json").body("{\"kpi\":\"funnel\",\"from\":\"2026-03-01\",\"to\":\"2026-04-01\"}")
                .post("/api/audit/verifications").then().statusCode(409)
                .body("detail", containsString("unknown event type com.kpiledger.coreapi.lead.LeadTeleportedEvent"));

        repair();
        for (String readModel : List.of("funnel", "spend")) {
            JsonPath retried = given().post("/api/admin/dead-letters/" + readModel + "/retry").then().statusCode(200)
                    .extract().jsonPath();
            assertThat(retried.getLong("sequencesApplied")).as(readModel).isEqualTo(1);
            assertThat(retried.getLong("lettersLeft")).as(readModel).isZero();
        }
        assertThat(countLeads(List.of(unknown))).isEqualTo(1);
        System.out.println("DeadLetterTest: an event of an unknown type parked in both read models (not skipped); "
                + "the lead after it applied; applied by the retry after repair");
    }

    /** Leaves no unreadable event behind for the test classes that share this database, even when a step failed. */
    @AfterEach
    void repair() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            for (Map.Entry<String, Row> repair : repairs.entrySet()) {
                for (String table : List.of("DomainEventEntry", "DeadLetterEntry")) {
                    try (PreparedStatement update = connection.prepareStatement(
                            "UPDATE " + table + " SET payload = ?, payloadType = ? WHERE eventIdentifier = ?")) {
                        update.setBytes(1, repair.getValue().payload());
                        update.setString(2, repair.getValue().payloadType());
                        update.setString(3, repair.getKey());
                        update.executeUpdate();
                    }
                }
            }
        }
    }

    private record Row(String type, byte[] metaData, byte[] payload, String payloadRevision, String payloadType,
                       String timeStamp) {

        byte[] payloadFor(String from, String to) {
            return new String(payload, StandardCharsets.UTF_8).replace(from, to).getBytes(StandardCharsets.UTF_8);
        }

        Row with(byte[] otherPayload) {
            return new Row(type, metaData, otherPayload, payloadRevision, payloadType, timeStamp);
        }
    }

    private Row row(String stream, long sequence) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT type, metaData, payload, payloadRevision, "
                     + "payloadType, timeStamp FROM DomainEventEntry WHERE aggregateIdentifier = ? AND sequenceNumber = ?")) {
            select.setString(1, stream);
            select.setLong(2, sequence);
            try (ResultSet rows = select.executeQuery()) {
                assertThat(rows.next()).as(stream + " #" + sequence).isTrue();
                return new Row(rows.getString(1), rows.getBytes(2), rows.getBytes(3), rows.getString(4),
                        rows.getString(5), rows.getString(6));
            }
        }
    }

    private String insert(String stream, long sequence, Row like, byte[] payload) throws SQLException {
        String eventId = UUID.randomUUID().toString();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO DomainEventEntry (aggregateIdentifier, "
                     + "sequenceNumber, type, eventIdentifier, metaData, payload, payloadRevision, payloadType, timeStamp) "
                     + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, stream);
            insert.setLong(2, sequence);
            insert.setString(3, like.type());
            insert.setString(4, eventId);
            insert.setBytes(5, like.metaData());
            insert.setBytes(6, payload);
            insert.setString(7, like.payloadRevision());
            insert.setString(8, like.payloadType());
            insert.setString(9, like.timeStamp());
            insert.executeUpdate();
        }
        return eventId;
    }

    private long position(String eventId) throws SQLException {
        return queryLong("SELECT globalIndex FROM DomainEventEntry WHERE eventIdentifier = ?", eventId);
    }

    private long countLeads(List<String> leadIds) throws SQLException {
        long count = 0;
        for (String leadId : leadIds) {
            count += queryLong("SELECT COUNT(*) FROM kpi_lead WHERE lead_id = ?", leadId);
        }
        return count;
    }

    private List<String> stages(String leadId) throws SQLException {
        List<String> stages = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT stage FROM kpi_stage_entry WHERE lead_id = ? ORDER BY stage")) {
            select.setString(1, leadId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    stages.add(rows.getString(1));
                }
            }
        }
        return stages;
    }

    private long queryLong(String sql, String parameter) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, parameter);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static List<Map<String, Object>> deadLetters(String readModel) {
        List<Map<String, Object>> all = given().get("/api/admin/dead-letters").then().statusCode(200)
                .extract().jsonPath().getList("$");
        return all.stream().filter(letter -> readModel.equals(letter.get("readModel"))).toList();
    }
}
