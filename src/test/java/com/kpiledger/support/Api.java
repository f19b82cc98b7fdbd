package com.kpiledger.support;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

import java.util.UUID;

import static io.restassured.RestAssured.given;

/** The HTTP calls a CRM makes, in one place, so that tests read as scenarios. */
public final class Api {

    private Api() {
    }

    public static String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static Response post(String path, String json) {
        return given().contentType(ContentType.JSON).body(json).when().post(path);
    }

    public static Response launchCampaign(String campaignId, String currency) {
        return post("/api/campaigns", """
                {"campaignId":"%s","name":"Spring launch","channel":"Paid-Search","currency":"%s","launchedOn":"2026-03-01"}
                """.formatted(campaignId, currency));
    }

    public static Response recordSpend(String campaignId, String spendId, String amount, String costType) {
        return post("/api/campaigns/" + campaignId + "/spend", """
                {"spendId":"%s","amount":%s,"currency":"EUR","spentOn":"2026-03-02","costType":"%s"}
                """.formatted(spendId, amount, costType));
    }

    public static Response captureLead(String leadId, String campaignId) {
        return post("/api/leads", """
                {"leadId":"%s","campaignId":"%s","capturedAt":"2026-03-03T10:00:00Z"}
                """.formatted(leadId, campaignId));
    }

    public static Response qualify(String leadId, String stage, String qualifiedAt) {
        return post("/api/leads/" + leadId + "/qualifications", """
                {"stage":"%s","qualifiedAt":"%s"}
                """.formatted(stage, qualifiedAt));
    }

    public static Response closeDeal(String leadId, String dealId, String outcome, String amount, String margin) {
        return post("/api/leads/" + leadId + "/deals", """
                {"dealId":"%s","outcome":"%s","amount":%s,"currency":"EUR","grossMargin":%s,"closedAt":"2026-03-20T10:00:00Z"}
                """.formatted(dealId, outcome, amount, margin));
    }
}
