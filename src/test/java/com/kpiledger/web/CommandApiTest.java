package com.kpiledger.web;

import com.kpiledger.support.Api;
import com.kpiledger.support.EventStoreProbe;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.kpiledger.support.Api.post;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

/** Every command endpoint and both history endpoints, as a CRM and an auditor use them. */
@QuarkusTest
class CommandApiTest {

    @Inject
    EventStoreProbe store;

    @Test
    void campaignLifecycleIsStoredAsEventsWithBothClocks() {
        String campaignId = Api.uniqueId("camp");

        Api.launchCampaign(campaignId, "EUR").then().statusCode(201)
                .body("id", equalTo(campaignId)).body("outcome", equalTo("APPLIED"));
        Api.recordSpend(campaignId, "inv-1", "1000.00", "MEDIA").then().statusCode(201).body("id", equalTo("inv-1"));
        Api.recordSpend(campaignId, "inv-2", "400", "SALES").then().statusCode(201);
        post("/api/campaigns/" + campaignId + "/spend/inv-1/corrections", """
                {"amount":900.50,"reason":"credit note 17"}
                """).then().statusCode(201).body("outcome", equalTo("APPLIED"));
        post("/api/campaigns/" + campaignId + "/end", """
                {"endedOn":"2026-03-31"}
                """).then().statusCode(200).body("outcome", equalTo("APPLIED"));
        // late invoice after the end is still accepted
        Api.recordSpend(campaignId, "inv-3", "50", "AGENCY").then().statusCode(201);

        given().get("/api/campaigns/" + campaignId + "/history").then().statusCode(200)
                .body("kind", equalTo("campaign"))
                .body("id", equalTo(campaignId))
                .body("events.type", contains("CampaignLaunchedEvent", "SpendRecordedEvent", "SpendRecordedEvent",
                        "SpendCorrectedEvent", "CampaignEndedEvent", "SpendRecordedEvent"))
                .body("events.sequenceNumber", contains(0, 1, 2, 3, 4, 5))
                .body("events.position", everyItem(greaterThan(0)))
                .body("events.recordedAt", everyItem(notNullValue()))
                .body("events.correlationId", everyItem(notNullValue()))
                .body("events[0].businessTime", equalTo("2026-03-01"))
                .body("events[0].command", equalTo("LaunchCampaignCommand"))
                .body("events[0].payload.channel", equalTo("paid-search"))
                .body("events[0].payload.source", equalTo("api"))
                .body("events[3].payload.previousAmount", equalTo(1000.00f))
                .body("events[3].payload.amount", equalTo(900.50f))
                .body("events[3].payload.spentOn", equalTo("2026-03-02"))
                .body("events[3].payload.reason", equalTo("credit note 17"))
                .body("events[4].businessTime", equalTo("2026-03-31"));

        List<Long> positions = given().get("/api/campaigns/" + campaignId + "/history")
                .jsonPath().getList("events.position", Long.class);
        assertThat(positions).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void leadJourneyFromCaptureToCrossSell() {
        String campaignId = Api.uniqueId("camp");
        String leadId = Api.uniqueId("lead");
        Api.launchCampaign(campaignId, "EUR").then().statusCode(201);

        Api.captureLead(leadId, campaignId).then().statusCode(201).body("id", equalTo(leadId));
        // straight to SQL: MQL is implied at the same time
        Api.qualify(leadId, "SQL", "2026-03-05T12:00:00+02:00").then().statusCode(201);
        Api.closeDeal(leadId, "deal-1", "WON", "200000", "0.35").then().statusCode(201).body("id", equalTo("deal-1"));
        Api.closeDeal(leadId, "deal-2", "WON", "150000", "0.40").then().statusCode(201);
        Api.closeDeal(leadId, "deal-3", "LOST", "0", "0").then().statusCode(201);

        given().get("/api/leads/" + leadId + "/history").then().statusCode(200)
                .body("events.type", contains("LeadCapturedEvent", "LeadQualifiedEvent", "DealClosedEvent",
                        "CustomerAcquiredEvent", "DealClosedEvent", "DealClosedEvent"))
                .body("events[0].payload.campaignId", equalTo(campaignId))
                .body("events[1].payload.impliedStages", contains("MQL"))
                .body("events[1].businessTime", equalTo("2026-03-05T10:00:00Z"))
                .body("events[2].payload.impliedStages", hasSize(0))
                .body("events[2].command", equalTo("CloseDealCommand"))
                .body("events[3].payload.dealId", equalTo("deal-1"))
                // the deal and the acquisition it caused share the command's correlation id
                .body("events[3].correlationId", equalTo(
                        given().get("/api/leads/" + leadId + "/history").jsonPath().getString("events[2].correlationId")));
    }

    @Test
    void organicLeadWithChannelAndDisqualification() {
        String leadId = Api.uniqueId("lead");
        given().contentType("application/json").header("X-Source-System", "hubspot")
                .body("""
                        {"leadId":"%s","channel":"Events","capturedAt":"2026-04-01T09:00:00Z"}
                        """.formatted(leadId))
                .post("/api/leads").then().statusCode(201);
        Api.qualify(leadId, "MQL", "2026-04-02T09:00:00Z").then().statusCode(201);
        post("/api/leads/" + leadId + "/disqualifications", """
                {"reason":"no budget","disqualifiedAt":"2026-04-03T09:00:00Z"}
                """).then().statusCode(201);

        given().get("/api/leads/" + leadId + "/history").then().statusCode(200)
                .body("events.type", contains("LeadCapturedEvent", "LeadQualifiedEvent", "LeadDisqualifiedEvent"))
                .body("events[0].payload.campaignId", equalTo(null))
                .body("events[0].payload.channel", equalTo("events"))
                .body("events[0].payload.source", equalTo("hubspot"))
                .body("events[2].payload.reason", equalTo("no budget"));
    }

    @Test
    void campaignAndLeadMayShareAnIdWithoutSharingAStream() {
        String sharedId = Api.uniqueId("shared");
        Api.launchCampaign(sharedId, "EUR").then().statusCode(201);
        Api.captureLead(sharedId, sharedId).then().statusCode(201);

        assertThat(store.eventTypes("campaign:" + sharedId)).containsExactly("CampaignLaunchedEvent");
        assertThat(store.eventTypes("lead:" + sharedId)).containsExactly("LeadCapturedEvent");
    }

    @Test
    void unknownAggregatesAnswer404ProblemsAndStoreNothing() {
        long before = store.eventCount();

        Api.recordSpend("no-such-campaign", "inv-1", "10", "MEDIA").then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("detail", equalTo("No campaign 'no-such-campaign' is known"));
        Api.qualify("no-such-lead", "MQL", "2026-03-05T10:00:00Z").then().statusCode(404)
                .contentType("application/problem+json");
        given().get("/api/leads/no-such-lead/history").then().statusCode(404).contentType("application/problem+json");
        given().get("/api/campaigns/no-such-campaign/history").then().statusCode(404).contentType("application/problem+json");

        String campaignId = Api.uniqueId("camp");
        Api.launchCampaign(campaignId, "EUR").then().statusCode(201);
        post("/api/campaigns/" + campaignId + "/spend/never-recorded/corrections", """
                {"amount":1,"reason":"typo"}
                """).then().statusCode(404).contentType("application/problem+json")
                .body("errors[0].field", equalTo("spendId"));

        assertThat(store.eventCount()).isEqualTo(before + 1);
    }

    /** The PostgreSQL subclass overrides this, so each run proves which database it ran on. */
    protected String expectedDatabase() {
        return "H2";
    }

    @Test
    void runsOnTheExpectedDatabase() {
        assertThat(store.databaseProduct()).isEqualTo(expectedDatabase());
    }
}
