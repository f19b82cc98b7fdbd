package com.kpiledger.web;

import com.kpiledger.support.Api;
import com.kpiledger.support.KpiHttp;
import com.kpiledger.support.ReadModelRebuilds;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.kpiledger.support.Api.post;
import static com.kpiledger.web.AuditPropertyTest.asMap;
import static com.kpiledger.web.AuditPropertyTest.parse;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * kpi-spec §6 "a published KPI snapshot (value + position + definition version) can be re-verified later and gives the
 * identical decimal", and §3 restatements: a summary is published for March 2048; then a spend correction and a late
 * lead of March arrive. Re-verifying the snapshot still gives the published figures (its digest too), a fresh
 * verification shows the corrected ones, a rebuild of both read models changes neither, and the restatement between the
 * moments before and after the late facts names exactly those two events. Plus the snapshot reads and the refusals.
 * Business year 2048 and a channel named after a fresh id keep other tests' data out of the figures.
 */
@QuarkusTest
class SnapshotTest {

    static final String MARCH_FROM = "2048-03-01";
    static final String MARCH_TO = "2048-04-01";

    @Inject
    ReadModelRebuilds rebuilds;

    private long lastPosition = -1;

    @Test
    void aPublishedFigureSurvivesCorrectionsLateDataAndRebuildsWhileFreshVerificationsShowTheNewFigures()
            throws InterruptedException {
        String channel = Api.uniqueId("aud-snap");
        String campaign = channel + "-search";
        remember(post("/api/campaigns", """
                {"campaignId":"%s","name":"Snapshot test","channel":"%s","currency":"EUR","launchedOn":"2048-02-01"}
                """.formatted(campaign, channel)));
        spend(campaign, "s-1", "1000.00", "MEDIA", "2048-03-05");
        spend(campaign, "s-2", "250.00", "CONTENT", "2048-03-20");
        spend(campaign, "s-3", "100.00", "SALES", "2048-03-10");
        String won = lead(campaign, "2048-03-03T09:00:00Z");
        remember(Api.qualify(won, "MQL", "2048-03-04T09:00:00Z"));
        remember(Api.qualify(won, "SQL", "2048-03-06T09:00:00Z"));
        remember(post("/api/leads/" + won + "/deals", """
                {"dealId":"d-1","outcome":"WON","amount":5000,"currency":"EUR","grossMargin":0.4,
                 "closedAt":"2048-03-25T10:00:00Z"}
                """));
        lead(campaign, "2048-03-12T12:00:00Z");
        remember(post("/api/leads", """
                {"leadId":"%s","channel":"%s","capturedAt":"2048-03-15T08:00:00Z"}
                """.formatted(Api.uniqueId("organic"), channel)));

        Map<String, Object> question = question("summary", channel);
        Map<String, Object> liveBefore = summary(channel, null);
        assertThat(KpiHttp.decimal(liveBefore.get("spend"))).isEqualByComparingTo("1250.00");
        assertThat(KpiHttp.decimal(liveBefore.get("leads"))).isEqualByComparingTo("3");

        // publish
        Map<String, Object> publishBody = new LinkedHashMap<>(question);
        publishBody.put("note", "March 2048 board deck");
        Response published = given().contentType(ContentType.JSON).body(publishBody).post("/api/audit/snapshots");
        assertThat(published.statusCode()).as(published.asString()).isEqualTo(201);
        Map<String, Object> snapshot = asMap(parse(published));
        String snapshotId = (String) snapshot.get("snapshotId");
        assertThat(snapshotId).matches("[0-9a-f-]{36}");
        assertThat(published.header("Location")).endsWith("/api/audit/snapshots/" + snapshotId);
        assertThat(snapshot.get("answer")).as("the published answer is the live one, decimal for decimal")
                .isEqualTo(liveBefore);
        assertThat(KpiHttp.decimal(snapshot.get("position")).longValueExact()).isEqualTo(lastPosition);
        assertThat((String) snapshot.get("digest")).matches("[0-9a-f]{64}");
        assertThat((String) snapshot.get("definitionVersion")).isNotBlank();
        assertThat(KpiHttp.decimal(snapshot.get("eventsRead")).longValueExact()).isPositive();
        assertThat(snapshot.get("note")).isEqualTo("March 2048 board deck");
        assertThat(asMap(snapshot.get("question")).get("kpi")).isEqualTo("summary");
        Map<String, Object> publishedAnswer = asMap(snapshot.get("answer"));

        // late facts: a correction of March spend and a lead of March sent only now
        Instant beforeTheLateFacts = pause();
        Response correction = post("/api/campaigns/" + campaign + "/spend/s-1/corrections",
                "{\"amount\":1100.00,\"reason\":\"late invoice\"}");
        remember(correction);
        long correctionPosition = ((Number) correction.path("position")).longValue();
        String lateLeadId = Api.uniqueId("late");
        Response lateLead = post("/api/leads", """
                {"leadId":"%s","campaignId":"%s","capturedAt":"2048-03-28T16:00:00Z"}
                """.formatted(lateLeadId, campaign));
        remember(lateLead);
        long lateLeadPosition = ((Number) lateLead.path("position")).longValue();
        Instant afterTheLateFacts = pause();

        Map<String, Object> liveAfter = summary(channel, null);
        assertThat(KpiHttp.decimal(liveAfter.get("spend"))).isEqualByComparingTo("1350.00");
        assertThat(KpiHttp.decimal(liveAfter.get("leads"))).isEqualByComparingTo("4");

        // the snapshot still verifies, decimal for decimal
        Map<String, Object> reverified = reverify(snapshotId);
        assertSnapshotStillHolds(reverified, snapshot, "after the late facts");

        // a fresh verification of the same question answers with the late facts
        Map<String, Object> fresh = verify(question);
        assertThat(fresh.get("match")).isEqualTo(true);
        assertThat(fresh.get("readModel")).isEqualTo(liveAfter);
        assertThat(fresh.get("recomputed")).isEqualTo(liveAfter);
        assertThat(KpiHttp.decimal(asMap(fresh.get("readModel")).get("spend"))).isEqualTo(new BigDecimal("1350.00"));
        assertThat(KpiHttp.decimal(fresh.get("position")).longValueExact()).isEqualTo(lastPosition)
                .isGreaterThan(KpiHttp.decimal(snapshot.get("position")).longValueExact());
        assertThat(fresh.get("digest")).isNotEqualTo(snapshot.get("digest"));
        assertThat(publishedAnswer.get("spend")).isEqualTo(new BigDecimal("1250.00"));

        // and so it stays after both read models are rebuilt
        rebuilds.rebuildEveryReadModelThroughTheAdminApi();
        assertThat(summary(channel, null)).as("live answer after the rebuild").isEqualTo(liveAfter);
        assertSnapshotStillHolds(reverify(snapshotId), snapshot, "after the rebuild");
        assertThat(verify(question)).as("fresh verification after the rebuild").isEqualTo(fresh);

        // reading the snapshot back, alone and in the list
        Response one = given().get("/api/audit/snapshots/" + snapshotId);
        assertThat(one.statusCode()).isEqualTo(200);
        assertSameSnapshot(asMap(parse(one)), snapshot);
        Response list = given().queryParam("limit", 500).get("/api/audit/snapshots");
        assertThat(list.statusCode()).isEqualTo(200);
        Map<String, Object> listed = ((List<?>) parse(list)).stream().map(AuditPropertyTest::asMap)
                .filter(entry -> snapshotId.equals(entry.get("snapshotId"))).findFirst().orElseThrow();
        assertSameSnapshot(listed, snapshot);

        // the restatement between the two moments: exactly the correction and the late lead
        Response restatement = given()
                .queryParam("from", MARCH_FROM).queryParam("to", MARCH_TO).queryParam("channel", channel)
                .queryParam("earlier", beforeTheLateFacts.toString()).queryParam("later", afterTheLateFacts.toString())
                .get("/api/audit/restatements");
        assertThat(restatement.statusCode()).as(restatement.asString()).isEqualTo(200);
        Map<String, Object> report = asMap(parse(restatement));
        assertThat(asMap(report.get("before")).get("spend")).isEqualTo(new BigDecimal("1250.00"));
        assertThat(asMap(report.get("after")).get("spend")).isEqualTo(new BigDecimal("1350.00"));
        Map<String, Object> differences = asMap(report.get("differences"));
        assertThat(KpiHttp.decimal(differences.get("spend"))).isEqualByComparingTo("100.00");
        assertThat(KpiHttp.decimal(differences.get("leads"))).isEqualByComparingTo("1");
        assertThat(differences).doesNotContainKeys("salesCost", "mqls", "sqls", "customers", "revenue", "grossProfit",
                "position");
        List<Map<String, Object>> causes = ((List<?>) report.get("causes")).stream()
                .map(AuditPropertyTest::asMap).toList();
        assertThat(causes).as("causes " + causes).hasSize(2);
        assertCause(causes.get(0), correctionPosition, "SpendCorrectedEvent", "campaign:" + campaign, "2048-03-05",
                beforeTheLateFacts, afterTheLateFacts);
        assertCause(causes.get(1), lateLeadPosition, "LeadCapturedEvent", "lead:" + lateLeadId,
                "2048-03-28T16:00:00Z", beforeTheLateFacts, afterTheLateFacts);
        assertThat(causes.get(0).get("correlationId")).isNotEqualTo(causes.get(1).get("correlationId"));
    }

    @Test
    void anUnknownSnapshotIsANotFoundProblem() {
        String unknown = UUID.randomUUID().toString();
        for (Response response : List.of(given().get("/api/audit/snapshots/" + unknown),
                given().contentType(ContentType.JSON).post("/api/audit/snapshots/" + unknown + "/verifications"))) {
            response.then().statusCode(404).contentType("application/problem+json");
            assertThat(response.jsonPath().getInt("status")).isEqualTo(404);
            assertThat(response.jsonPath().getString("detail")).contains(unknown);
        }
    }

    @Test
    void aBadQuestionIsABadRequestNamingTheFieldAndPublishesNothing() {
        int published = given().queryParam("limit", 500).get("/api/audit/snapshots").jsonPath().getList("$").size();
        String channel = Api.uniqueId("aud-bad");
        Map<String, Object> weekly = question("weekly", channel);
        Map<String, Object> backwards = question("summary", channel);
        backwards.put("from", MARCH_TO);
        backwards.put("to", MARCH_FROM);
        for (String path : List.of("/api/audit/snapshots", "/api/audit/verifications")) {
            assertBadRequest(given().contentType(ContentType.JSON).body(weekly).post(path), "kpi", path);
            assertBadRequest(given().contentType(ContentType.JSON).body(backwards).post(path), "to", path);
        }
        assertThat(given().queryParam("limit", 500).get("/api/audit/snapshots").jsonPath().getList("$"))
                .as("nothing was published").hasSize(published);
    }

    private static void assertBadRequest(Response response, String field, String path) {
        assertThat(response.statusCode()).as(path + ": " + response.asString()).isEqualTo(400);
        assertThat(response.contentType()).as(path).startsWith("application/problem+json");
        assertThat(response.jsonPath().getList("errors.field", String.class)).as(path + ": " + response.asString())
                .containsExactly(field);
    }

    private static void assertSnapshotStillHolds(Map<String, Object> verification, Map<String, Object> snapshot,
                                                 String when) {
        assertThat(verification.get("identical")).as(when + ": identical " + verification).isEqualTo(true);
        assertThat(verification.get("digestMatches")).as(when + ": digestMatches").isEqualTo(true);
        assertThat(verification.get("published")).as(when + ": published").isEqualTo(snapshot.get("answer"));
        assertThat(verification.get("recomputed")).as(when + ": recomputed").isEqualTo(snapshot.get("answer"));
        assertThat(asMap(verification.get("published")).get("spend")).as(when + ": published spend")
                .isEqualTo(new BigDecimal("1250.00"));
        assertThat(verification.get("position")).as(when + ": position").isEqualTo(snapshot.get("position"));
        assertThat(verification.get("eventsRead")).as(when + ": events read").isEqualTo(snapshot.get("eventsRead"));
        assertThat(verification.get("digest")).as(when + ": digest").isEqualTo(snapshot.get("digest"));
    }

    /**
     * The snapshot as read back equals the 201 answer, but for publishedAt, which the 201 answer gives with the
     * clock's precision (nanoseconds) and the database keeps to the microsecond (reported): equal to the millisecond.
     */
    private static void assertSameSnapshot(Map<String, Object> readBack, Map<String, Object> published) {
        Map<String, Object> expected = new LinkedHashMap<>(published);
        Map<String, Object> actual = new LinkedHashMap<>(readBack);
        Instant publishedAt = Instant.parse((String) expected.remove("publishedAt"));
        Instant readAt = Instant.parse((String) actual.remove("publishedAt"));
        assertThat(actual).isEqualTo(expected);
        assertThat(readAt.truncatedTo(ChronoUnit.MILLIS)).isEqualTo(publishedAt.truncatedTo(ChronoUnit.MILLIS));
    }

    private static void assertCause(Map<String, Object> cause, long position, String type, String aggregate,
                                    String businessTime, Instant earlier, Instant later) {
        assertThat(KpiHttp.decimal(cause.get("position")).longValueExact()).as("position of " + cause)
                .isEqualTo(position);
        assertThat(cause.get("type")).as("type of " + cause).isEqualTo(type);
        assertThat(cause.get("aggregate")).as("aggregate of " + cause).isEqualTo(aggregate);
        assertThat(cause.get("businessTime")).as("business time of " + cause).isEqualTo(businessTime);
        Instant recordedAt = Instant.parse((String) cause.get("recordedAt"));
        assertThat(recordedAt).as("recorded time of " + cause).isAfter(earlier).isBefore(later);
        assertThat((String) cause.get("correlationId")).as("correlation id of " + cause).isNotBlank();
    }

    private static Map<String, Object> question(String kpi, String channel) {
        Map<String, Object> question = new LinkedHashMap<>();
        question.put("kpi", kpi);
        question.put("from", MARCH_FROM);
        question.put("to", MARCH_TO);
        question.put("channel", channel);
        question.put("currency", "EUR");
        return question;
    }

    private Map<String, Object> summary(String channel, Instant knownAt) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("from", MARCH_FROM);
        parameters.put("to", MARCH_TO);
        parameters.put("channel", channel);
        parameters.put("currency", "EUR");
        if (knownAt != null) {
            parameters.put("knownAt", knownAt.toString());
        }
        return asMap(parse(KpiHttp.get("/api/kpis/summary", parameters, lastPosition)));
    }

    private static Map<String, Object> verify(Map<String, Object> question) {
        Response response = given().contentType(ContentType.JSON).body(question).post("/api/audit/verifications");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        return asMap(parse(response));
    }

    private static Map<String, Object> reverify(String snapshotId) {
        Response response = given().contentType(ContentType.JSON)
                .post("/api/audit/snapshots/" + snapshotId + "/verifications");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        return asMap(parse(response));
    }


    private void spend(String campaign, String spendId, String amount, String costType, String spentOn) {
        remember(post("/api/campaigns/" + campaign + "/spend", """
                {"spendId":"%s","amount":%s,"currency":"EUR","spentOn":"%s","costType":"%s"}
                """.formatted(spendId, amount, spentOn, costType)));
    }

    private String lead(String campaign, String capturedAt) {
        String id = Api.uniqueId("lead");
        remember(post("/api/leads", """
                {"leadId":"%s","campaignId":"%s","capturedAt":"%s"}
                """.formatted(id, campaign, capturedAt)));
        return id;
    }

    private void remember(Response answer) {
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(201);
        lastPosition = Math.max(lastPosition, ((Number) answer.path("position")).longValue());
    }

    /** A moment strictly between what was sent so far and what is sent next (recorded times are in milliseconds). */
    private static Instant pause() throws InterruptedException {
        Thread.sleep(5);
        Instant moment = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Thread.sleep(5);
        return moment;
    }
}
