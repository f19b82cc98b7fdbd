package com.kpiledger.web;

import com.kpiledger.support.Api;
import com.kpiledger.support.EventStoreProbe;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

/**
 * Bad input of every kind a CRM sends: each answers a 4xx application/problem+json naming the offending field, and
 * the event store holds nothing new afterwards.
 */
@QuarkusTest
class BadInputTest {

    /** Existing aggregates the bad requests are aimed at; identical retries keep them stable across runs. */
    static final String CAMPAIGN = "bad-input-campaign";
    static final String LEAD = "bad-input-lead";
    static final String MALFORMED = "(malformed JSON)";
    static final String LONG_ID = "x".repeat(65);

    @Inject
    EventStoreProbe store;

    @BeforeEach
    void existingAggregates() {
        Api.launchCampaign(CAMPAIGN, "EUR").then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(201), equalTo(200)));
        Api.captureLead(LEAD, CAMPAIGN).then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(201), equalTo(200)));
        Api.recordSpend(CAMPAIGN, "inv-1", "100", "MEDIA").then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(201), equalTo(200)));
    }

    static Stream<Arguments> badRequests() {
        String campaigns = "/api/campaigns";
        String spend = "/api/campaigns/" + CAMPAIGN + "/spend";
        String correction = "/api/campaigns/" + CAMPAIGN + "/spend/inv-1/corrections";
        String end = "/api/campaigns/" + CAMPAIGN + "/end";
        String leads = "/api/leads";
        String qualify = "/api/leads/" + LEAD + "/qualifications";
        String disqualify = "/api/leads/" + LEAD + "/disqualifications";
        String deals = "/api/leads/" + LEAD + "/deals";
        String launch = """
                {"campaignId":"c-%s","name":"n","channel":"email","currency":"EUR","launchedOn":"2026-03-01"}""";
        String spendLine = """
                {"spendId":"s-1","amount":%s,"currency":"%s","spentOn":"%s","costType":"%s"}""";
        String deal = """
                {"dealId":"%s","outcome":"%s","amount":%s,"currency":"EUR","grossMargin":%s,"closedAt":"2026-03-20T10:00:00Z"}""";
        return Stream.of(
                bad("malformed JSON", campaigns, "{\"campaignId\":", 400, MALFORMED),
                bad("empty body", campaigns, "", 400, "body"),
                bad("array instead of object", campaigns, "[]", 400, "body"),
                bad("missing campaignId", campaigns, """
                        {"name":"n","channel":"email","currency":"EUR","launchedOn":"2026-03-01"}""", 400, "campaignId"),
                bad("over-long campaignId", campaigns, launch.formatted(LONG_ID), 400, "campaignId"),
                bad("campaignId with a space", campaigns, launch.formatted("a b"), 400, "campaignId"),
                bad("campaignId with a slash", campaigns, launch.formatted("a/b"), 400, "campaignId"),
                bad("impossible date", campaigns, launch.formatted("x").replace("2026-03-01", "2026-02-30"), 400, "launchedOn"),
                bad("date in a wrong format", campaigns, launch.formatted("x").replace("2026-03-01", "01/03/2026"), 400, "launchedOn"),
                bad("lower-case currency", campaigns, launch.formatted("x").replace("EUR", "eur"), 400, "currency"),
                bad("unknown currency", campaigns, launch.formatted("x").replace("EUR", "ABC"), 400, "currency"),
                bad("blank name", campaigns, launch.formatted("x").replace("\"n\"", "\" \""), 400, "name"),
                bad("missing channel", campaigns, launch.formatted("x").replace(",\"channel\":\"email\"", ""), 400, "channel"),
                bad("negative spend", spend, spendLine.formatted("-1", "EUR", "2026-03-02", "MEDIA"), 400, "amount"),
                bad("zero spend", spend, spendLine.formatted("0", "EUR", "2026-03-02", "MEDIA"), 400, "amount"),
                bad("amount not a number", spend, spendLine.formatted("\"abc\"", "EUR", "2026-03-02", "MEDIA"), 400, "amount"),
                bad("amount a boolean", spend, spendLine.formatted("true", "EUR", "2026-03-02", "MEDIA"), 400, "amount"),
                bad("amount with 5 decimals", spend, spendLine.formatted("1.23456", "EUR", "2026-03-02", "MEDIA"), 400, "amount"),
                bad("huge amount", spend, spendLine.formatted("1e30", "EUR", "2026-03-02", "MEDIA"), 400, "amount"),
                bad("unknown cost type", spend, spendLine.formatted("10", "EUR", "2026-03-02", "BRIBES"), 400, "costType"),
                bad("currency not the campaign's", spend, spendLine.formatted("10", "USD", "2026-03-02", "MEDIA"), 400, "currency"),
                bad("missing spentOn", spend, """
                        {"spendId":"s-1","amount":10,"currency":"EUR","costType":"MEDIA"}""", 400, "spentOn"),
                bad("missing spendId", spend, """
                        {"amount":10,"currency":"EUR","spentOn":"2026-03-02","costType":"MEDIA"}""", 400, "spendId"),
                bad("over-long campaignId in the path", "/api/campaigns/" + LONG_ID + "/spend",
                        spendLine.formatted("10", "EUR", "2026-03-02", "MEDIA"), 400, "campaignId"),
                bad("negative correction", correction, "{\"amount\":-5,\"reason\":\"r\"}", 400, "amount"),
                bad("correction without reason", correction, "{\"amount\":5}", 400, "reason"),
                bad("end before launch", end, "{\"endedOn\":\"2026-01-01\"}", 400, "endedOn"),
                bad("instant without offset", leads, """
                        {"leadId":"l-x","channel":"email","capturedAt":"2026-03-01T10:00:00"}""", 400, "capturedAt"),
                bad("instant that is not a time", leads, """
                        {"leadId":"l-x","channel":"email","capturedAt":"yesterday"}""", 400, "capturedAt"),
                bad("leadId with a hash", leads, """
                        {"leadId":"l#1","channel":"email","capturedAt":"2026-03-01T10:00:00Z"}""", 400, "leadId"),
                bad("campaign and channel together", leads, """
                        {"leadId":"l-x","campaignId":"%s","channel":"email","capturedAt":"2026-03-01T10:00:00Z"}"""
                        .formatted(CAMPAIGN), 400, "channel"),
                bad("unknown stage", qualify, "{\"stage\":\"CUSTOMER\",\"qualifiedAt\":\"2026-03-05T10:00:00Z\"}", 400, "stage"),
                bad("missing qualifiedAt", qualify, "{\"stage\":\"MQL\"}", 400, "qualifiedAt"),
                bad("qualified before captured", qualify, "{\"stage\":\"MQL\",\"qualifiedAt\":\"2026-01-01T10:00:00Z\"}", 400, "qualifiedAt"),
                bad("blank disqualification reason", disqualify, "{\"reason\":\"\",\"disqualifiedAt\":\"2026-03-05T10:00:00Z\"}", 400, "reason"),
                bad("margin above 1", deals, deal.formatted("d-1", "WON", "100", "1.5"), 400, "grossMargin"),
                bad("negative margin", deals, deal.formatted("d-1", "WON", "100", "-0.1"), 400, "grossMargin"),
                bad("unknown outcome", deals, deal.formatted("d-1", "MAYBE", "100", "0.3"), 400, "outcome"),
                bad("negative deal amount", deals, deal.formatted("d-1", "WON", "-100", "0.3"), 400, "amount"),
                bad("over-long dealId", deals, deal.formatted(LONG_ID, "WON", "100", "0.3"), 400, "dealId"),
                bad("deal for an unknown lead", "/api/leads/nobody/deals", deal.formatted("d-1", "WON", "100", "0.3"), 404, null));
    }

    static Arguments bad(String description, String path, String body, int status, String field) {
        return Arguments.of(description, path, body, status, field);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void answersAProblemNamingTheFieldAndStoresNothing(String description, String path, String body, int status,
                                                       String field) {
        long before = store.eventCount();

        var answer = given().contentType(ContentType.JSON).body(body).when().post(path).then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("type", startsWith("urn:kpi-ledger:problem:"))
                .body("title", notNullValue())
                .body("detail", notNullValue());
        if (MALFORMED.equals(field)) {
            answer.body("type", equalTo("urn:kpi-ledger:problem:malformed-json"));
        } else if (field != null) {
            answer.body("errors.field", hasItem(field));
        }

        assertThat(store.eventCount()).as("events stored by a refused request").isEqualTo(before);
    }

    @org.junit.jupiter.api.Test
    void illegalSourceHeaderIsRefused() {
        long before = store.eventCount();
        given().contentType(ContentType.JSON).header("X-Source-System", "bad source!")
                .body("{\"leadId\":\"l-src\",\"channel\":\"email\",\"capturedAt\":\"2026-03-01T10:00:00Z\"}")
                .post("/api/leads").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("source"));
        assertThat(store.eventCount()).isEqualTo(before);
    }

    @org.junit.jupiter.api.Test
    void unsupportedMediaTypeAndUnknownPathsAreProblemsToo() {
        given().contentType(ContentType.TEXT).body("hello").post("/api/campaigns").then()
                .statusCode(415).contentType("application/problem+json").body("status", equalTo(415));
        given().get("/api/nothing-here").then().statusCode(404).contentType("application/problem+json");
    }
}
