package com.kpiledger.web;

import com.kpiledger.support.Api;
import com.kpiledger.support.EventStoreProbe;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * POST /api/commands/batch: each item answered on its own with the single commands' rules, a refused item never
 * undoes another, a retry of the whole batch stores nothing, and more than 1,000 items are refused whole.
 */
@QuarkusTest
class BatchApiTest {

    @Inject
    EventStoreProbe store;

    @Test
    void eachItemIsAnsweredOnItsOwnAndARefusalUndoesNothingElse() {
        String campaign = Api.uniqueId("camp");
        String lead = Api.uniqueId("lead");
        long before = store.eventCount();
        String batch = batch(
                launch(campaign, "EUR"),
                spend(campaign, "inv-1", "100.00", "2026-03-02"),
                spend(campaign, "inv-2", "-5", "2026-03-02"),
                spend(Api.uniqueId("nowhere"), "inv-3", "10", "2026-03-02"),
                launch(campaign, "USD"),
                capture(lead, campaign),
                """
                {"type":"QualifyLead","leadId":"%s","stage":"SQL","qualifiedAt":"2026-03-05T10:00:00Z"}""".formatted(lead),
                spend(campaign, "inv-1", "100", "2026-03-02"),
                """
                {"type":"CloseDeal","leadId":"%s","dealId":"d-1","outcome":"WON","amount":500,"currency":"EUR",
                 "grossMargin":0.5,"closedAt":"2026-03-20T10:00:00Z"}""".formatted(lead));

        Response answer = sendBatch(batch);
        answer.then().statusCode(200).contentType(ContentType.JSON)
                .body("applied", equalTo(5)).body("unchanged", equalTo(1)).body("rejected", equalTo(3))
                .body("items[0].outcome", equalTo("APPLIED")).body("items[0].id", equalTo(campaign))
                .body("items[1].outcome", equalTo("APPLIED")).body("items[1].id", equalTo("inv-1"))
                .body("items[2].outcome", equalTo("REJECTED")).body("items[2].problem.status", equalTo(400))
                .body("items[2].problem.errors[0].field", equalTo("amount"))
                .body("items[3].outcome", equalTo("REJECTED")).body("items[3].problem.status", equalTo(404))
                .body("items[4].outcome", equalTo("REJECTED")).body("items[4].problem.status", equalTo(409))
                .body("items[4].problem.errors[0].field", equalTo("campaignId"))
                .body("items[5].outcome", equalTo("APPLIED"))
                .body("items[6].outcome", equalTo("APPLIED"))
                .body("items[7].outcome", equalTo("UNCHANGED")).body("items[7].problem", nullValue())
                .body("items[8].outcome", equalTo("APPLIED")).body("items[8].index", equalTo(8));
        // launch, spend, capture, SQL, deal and the customer it made: six events, none of the refused items
        assertThat(store.eventCount() - before).isEqualTo(6);
        assertThat(store.eventTypes("lead:" + lead)).containsExactly(
                "LeadCapturedEvent", "LeadQualifiedEvent", "DealClosedEvent", "CustomerAcquiredEvent");

        // the batch's position reads its own writes
        long position = answer.jsonPath().getLong("position");
        given().queryParam("from", "2026-03-01").queryParam("to", "2026-04-01").queryParam("campaignId", campaign)
                .queryParam("minPosition", position)
                .when().get("/api/kpis/summary")
                .then().statusCode(200).body("leads", equalTo(1)).body("customers", equalTo(1))
                .body("spend", equalTo(100.00f));

        // the same batch again changes nothing and refuses the same items
        sendBatch(batch).then().statusCode(200)
                .body("applied", equalTo(0)).body("unchanged", equalTo(6)).body("rejected", equalTo(3));
        assertThat(store.eventCount() - before).isEqualTo(6);
    }

    @Test
    void unreadableItemsAreRefusedNamingTheFieldAndTheOthersStillApply() {
        String campaign = Api.uniqueId("camp");
        sendBatch(batch(
                launch(campaign, "EUR"),
                """
                {"type":"RecordSpend","campaignId":"%s","spendId":"inv-1","amount":10,"currency":"EUR",
                 "spentOn":"02/03/2026","costType":"MEDIA"}""".formatted(campaign),
                """
                {"type":"RecordSpend","campaignId":"%s","spendId":"inv-2","amount":10,"currency":"EUR",
                 "spentOn":"2026-03-02","costType":"BRIBES"}""".formatted(campaign),
                """
                {"type":"RecordSpend","campaignId":"no spaces allowed","spendId":"inv-3","amount":10,"currency":"eur",
                 "spentOn":"2026-03-02","costType":"MEDIA"}""",
                """
                {"type":"RenameCampaign","campaignId":"%s"}""".formatted(campaign),
                "[1,2]",
                spend(campaign, "inv-4", "10", "2026-03-02")))
                .then().statusCode(200)
                .body("applied", equalTo(2)).body("rejected", equalTo(5))
                .body("items[1].problem.errors[0].field", equalTo("spentOn"))
                .body("items[2].problem.errors[0].field", equalTo("costType"))
                .body("items[3].problem.errors.field", org.hamcrest.Matchers.containsInAnyOrder("campaignId", "currency"))
                .body("items[4].problem.errors[0].field", equalTo("type"))
                .body("items[5].problem.errors[0].field", equalTo("body"))
                .body("items[6].outcome", equalTo("APPLIED"));
    }

    @Test
    void aRefusalInOneChunkLeavesEveryOtherChunkAndItemStored() {
        String campaign = Api.uniqueId("camp");
        List<String> items = new ArrayList<>();
        items.add(launch(campaign, "EUR"));
        for (int i = 0; i < 349; i++) {
            // item 150 is refused: a zero amount; it sits in the second chunk of 100
            items.add(spend(campaign, "inv-" + i, i == 149 ? "0" : "1.50", "2026-03-02"));
        }
        long before = store.eventCount();
        sendBatch(batch(items.toArray(String[]::new))).then().statusCode(200)
                .body("applied", equalTo(349)).body("rejected", equalTo(1))
                .body("items[150].outcome", equalTo("REJECTED"))
                .body("items[150].problem.errors[0].field", equalTo("amount"))
                .body("items[151].outcome", equalTo("APPLIED"));
        assertThat(store.eventCount() - before).isEqualTo(349);
    }

    @Test
    void moreThanAThousandItemsAreRefusedWhole() {
        String campaign = Api.uniqueId("camp");
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 1_001; i++) {
            items.add(spend(campaign, "inv-" + i, "1", "2026-03-02"));
        }
        long before = store.eventCount();
        sendBatch(batch(items.toArray(String[]::new))).then().statusCode(413)
                .contentType("application/problem+json").body("status", equalTo(413));
        assertThat(store.eventCount()).isEqualTo(before);
    }

    @Test
    void anEmptyBatchIsABadRequest() {
        sendBatch("{\"commands\":[]}").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("commands"));
        sendBatch("{}").then().statusCode(400).body("errors[0].field", equalTo("commands"));
    }

    private static Response sendBatch(String json) {
        return given().contentType(ContentType.JSON).body(json).when().post("/api/commands/batch");
    }

    private static String batch(String... items) {
        return "{\"commands\":[" + String.join(",", items) + "]}";
    }

    private static String launch(String campaignId, String currency) {
        return """
                {"type":"LaunchCampaign","campaignId":"%s","name":"Bulk","channel":"email","currency":"%s","launchedOn":"2026-03-01"}"""
                .formatted(campaignId, currency);
    }

    private static String spend(String campaignId, String spendId, String amount, String spentOn) {
        return """
                {"type":"RecordSpend","campaignId":"%s","spendId":"%s","amount":%s,"currency":"EUR","spentOn":"%s","costType":"MEDIA"}"""
                .formatted(campaignId, spendId, amount, spentOn);
    }

    private static String capture(String leadId, String campaignId) {
        return """
                {"type":"CaptureLead","leadId":"%s","campaignId":"%s","capturedAt":"2026-03-03T10:00:00Z"}"""
                .formatted(leadId, campaignId);
    }
}
