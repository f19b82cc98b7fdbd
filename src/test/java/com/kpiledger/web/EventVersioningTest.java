package com.kpiledger.web;

import com.kpiledger.coreapi.lead.CustomerAcquiredEvent;
import com.kpiledger.coreapi.lead.DealClosedEvent;
import com.kpiledger.support.Api;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.axonframework.common.DateTimeUtils;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

/**
 * A deal stored in the first version of DealClosedEvent (before revision 2) is read through the upcaster everywhere:
 * by the aggregate, the history, the read models and the audit fold.
 */
@QuarkusTest
class EventVersioningTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aDealStoredInTheOldFormatIsReadAsRevisionTwo() throws SQLException {
        String channel = Api.uniqueId("ver");
        String campaign = Api.uniqueId("camp");
        Api.post("/api/campaigns", """
                {"campaignId":"%s","name":"Versioning","channel":"%s","currency":"EUR","launchedOn":"2033-01-01"}
                """.formatted(campaign, channel)).then().statusCode(201);
        String lead = Api.uniqueId("lead");
        Api.post("/api/leads", """
                {"leadId":"%s","campaignId":"%s","capturedAt":"2033-01-02T09:00:00Z"}
                """.formatted(lead, campaign)).then().statusCode(201);
        storeOldFormatDeal(lead);

        // the aggregate replays the old event: the same deal again is an identical retry, a new one follows it
        Api.post("/api/leads/" + lead + "/deals", """
                {"dealId":"old-deal","outcome":"WON","amount":1000,"currency":"EUR","grossMargin":0.4,"closedAt":"2033-01-10T10:00:00Z"}
                """).then().statusCode(200).body("outcome", equalTo("UNCHANGED"));
        var next = Api.post("/api/leads/" + lead + "/deals", """
                {"dealId":"new-deal","outcome":"WON","amount":500,"currency":"EUR","grossMargin":0.2,"closedAt":"2033-02-01T10:00:00Z"}
                """).then().statusCode(201).extract().path("position");

        given().get("/api/leads/" + lead + "/history").then().statusCode(200)
                .body("events.type", contains("LeadCapturedEvent", "DealClosedEvent", "CustomerAcquiredEvent",
                        "DealClosedEvent"))
                .body("events[1].payload.grossProfit", equalTo(400.0f))
                .body("events[1].payload.dealId", equalTo("old-deal"));
        given().queryParam("minPosition", next).get("/api/customers/" + lead + "/ltv").then().statusCode(200)
                .body("ltv", equalTo(500.00f));
        given().contentType("application/json").body("""
                {"kpi":"summary","from":"2033-01-01","to":"2033-03-01","channel":"%s"}
                """.formatted(channel)).post("/api/audit/verifications").then().statusCode(200)
                .body("match", equalTo(true))
                .body("readModel.grossProfit", equalTo(500.00f));
    }

    /**
     * Exactly what the service wrote for a won deal before revision 2: the deal with no payloadRevision and no
     * grossProfit in its JSON, followed by the CustomerAcquiredEvent of the same command.
     */
    private void storeOldFormatDeal(String lead) throws SQLException {
        store(lead, 1, DealClosedEvent.class.getName(), """
                {"leadId":"%s","dealId":"old-deal","outcome":"WON","amount":1000,"currency":"EUR","grossMargin":0.4,\
                "closedAt":"2033-01-10T10:00:00Z","impliedStages":["MQL","SQL"],"source":"api"}""".formatted(lead));
        store(lead, 2, CustomerAcquiredEvent.class.getName(), """
                {"leadId":"%s","dealId":"old-deal","acquiredAt":"2033-01-10T10:00:00Z","source":"api"}""".formatted(lead));
    }

    private void store(String lead, long sequenceNumber, String payloadType, String payload) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO DomainEventEntry (aggregateIdentifier,"
                     + " sequenceNumber, type, eventIdentifier, metaData, payload, payloadRevision, payloadType, timeStamp)"
                     + " VALUES (?, ?, 'Lead', ?, ?, ?, NULL, ?, ?)")) {
            insert.setString(1, "lead:" + lead);
            insert.setLong(2, sequenceNumber);
            insert.setString(3, UUID.randomUUID().toString());
            insert.setBytes(4, "{}".getBytes(StandardCharsets.UTF_8));
            insert.setBytes(5, payload.getBytes(StandardCharsets.UTF_8));
            insert.setString(6, payloadType);
            insert.setString(7, DateTimeUtils.formatInstant(Instant.now()));
            insert.executeUpdate();
        }
    }
}
