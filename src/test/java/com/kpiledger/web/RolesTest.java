package com.kpiledger.web;

import com.kpiledger.support.Api;
import com.kpiledger.support.ReadModelRebuilds;
import com.kpiledger.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * kpi-spec §7: every endpoint × every role. Without credentials 401, with a role that may not 403 (both
 * problem+json, and nothing happens), with a role that may, success. The endpoints are taken from the OpenAPI
 * document, so that a new endpoint without an entry here fails the test. Local users (basic) and bearer tokens.
 */
@QuarkusTest
class RolesTest {

    private static final List<String> ROLES = List.of("crm", "analyst", "auditor", "admin");
    private static final Set<String> READERS = Set.of("analyst", "auditor");

    @Inject
    ReadModelRebuilds rebuilds;

    /** One request of an endpoint, the roles that may send it, and what it changes. */
    record Call(String method, String template, Set<String> roles, String path, Map<String, ?> query, String body) {

        String endpoint() {
            return method + " " + template;
        }

        Response send(RequestSpecification request) {
            RequestSpecification spec = request.queryParams(query == null ? Map.of() : query);
            if (body != null) {
                spec = spec.contentType(ContentType.JSON).body(body);
            } else if (method.equals("POST")) {
                spec = spec.contentType(ContentType.JSON);
            }
            return spec.request(method, path);
        }
    }

    @Test
    void everyEndpointRefusesStrangersAndOtherRolesAndServesItsOwn() {
        List<Call> calls = calls();
        Set<String> covered = new TreeSet<>(calls.stream().map(Call::endpoint).toList());
        assertThat(covered)
                .as("every /api endpoint of the OpenAPI document has its roles here").isEqualTo(documentedEndpoints());
        try {
            for (Call call : calls) {
                Response anonymous = call.send(given().auth().none());
                assertThat(anonymous.statusCode()).as(call.endpoint() + " without credentials").isEqualTo(401);
                assertThat(anonymous.contentType()).startsWith("application/problem+json");
                assertThat(anonymous.jsonPath().getString("type")).isEqualTo("urn:kpi-ledger:problem:unauthenticated");
                assertThat(anonymous.headers().getValues("WWW-Authenticate")).contains("Bearer realm=\"kpi-ledger\"");

                for (String role : ROLES) {
                    if (!call.roles().contains(role)) {
                        Response refused = call.send(given().auth().preemptive().basic(role, role));
                        assertThat(refused.statusCode()).as(call.endpoint() + " as " + role + ": " + refused.asString())
                                .isEqualTo(403);
                        assertThat(refused.jsonPath().getString("type")).isEqualTo("urn:kpi-ledger:problem:forbidden");
                    }
                }
                for (String role : call.roles()) {
                    Response served = call.send(given().auth().preemptive().basic(role, role));
                    assertThat(served.statusCode()).as(call.endpoint() + " as " + role + ": " + served.asString())
                            .isBetween(200, 202);
                }
            }
        } finally {
            rebuilds.awaitCaughtUp();
        }
    }

    @Test
    void bearerTokensCarryTheRolesAndMustVerify() {
        String summary = "/api/kpis/summary";
        Map<String, String> march = Map.of("from", "2026-03-01", "to", "2026-04-01", "currency", "EUR");
        given().auth().none().header("Authorization", "Bearer " + Tokens.forTests("bi-tool", List.of("analyst")))
                .queryParams(march).get(summary).then().statusCode(200);
        given().auth().none().header("Authorization", "Bearer " + Tokens.forTests("crm-sync", List.of("crm")))
                .queryParams(march).get(summary).then().statusCode(403);

        KeyPair stranger = Tokens.newKeyPair();
        String foreign = Tokens.sign(stranger.getPrivate(), Tokens.TEST_ISSUER, "mallory", List.of("analyst"),
                Instant.now().plus(Duration.ofHours(1)));
        String expiredToken = Tokens.sign(Tokens.testKey(), Tokens.TEST_ISSUER, "late", List.of("analyst"),
                Instant.now().minus(Duration.ofHours(1)));
        String otherIssuer = Tokens.sign(Tokens.testKey(), "someone-else", "eve", List.of("analyst"),
                Instant.now().plus(Duration.ofHours(1)));
        for (String token : List.of(foreign, expiredToken, otherIssuer, "not-a-token")) {
            Response refused = given().auth().none().header("Authorization", "Bearer " + token).queryParams(march)
                    .get(summary);
            assertThat(refused.statusCode()).as(token).isEqualTo(401);
            assertThat(refused.contentType()).startsWith("application/problem+json");
        }
        given().auth().none().auth().preemptive().basic("analyst", "wrong password").queryParams(march).get(summary)
                .then().statusCode(401);
    }

    @Test
    void healthMetricsAndTheApiDescriptionStayOpen() {
        for (String open : List.of("/q/health", "/q/health/live", "/q/health/ready", "/q/metrics", "/q/openapi")) {
            assertThat(given().auth().none().get(open).statusCode()).as(open).isEqualTo(200);
        }
    }

    /** A refused command stores nothing: the stream does not exist afterwards. */
    @Test
    void aRefusedCommandStoresNothing() {
        String campaignId = Api.uniqueId("refused");
        given().auth().preemptive().basic("analyst", "analyst").contentType(ContentType.JSON)
                .body(campaignBody(campaignId)).post("/api/campaigns").then().statusCode(403);
        given().auth().none().contentType(ContentType.JSON)
                .body(campaignBody(campaignId)).post("/api/campaigns").then().statusCode(401);
        given().get("/api/campaigns/" + campaignId + "/history").then().statusCode(404);
    }

    private static Set<String> documentedEndpoints() {
        Map<String, Map<String, Object>> paths = given().accept("application/json").get("/q/openapi")
                .jsonPath().getMap("paths");
        Set<String> endpoints = new TreeSet<>();
        paths.forEach((path, operations) -> {
            if (path.startsWith("/api/")) {
                for (Iterator<String> methods = operations.keySet().iterator(); methods.hasNext(); ) {
                    String method = methods.next();
                    if (Set.of("get", "post", "put", "delete", "patch").contains(method)) {
                        endpoints.add(method.toUpperCase() + " " + path);
                    }
                }
            }
        });
        return endpoints;
    }

    private static String campaignBody(String campaignId) {
        return """
                {"campaignId":"%s","name":"Roles","channel":"email","currency":"EUR","launchedOn":"2026-03-01"}
                """.formatted(campaignId);
    }

    /** Every endpoint once, in an order in which each succeeds for its roles; the rebuild last. */
    private List<Call> calls() {
        String c = Api.uniqueId("roles-c");
        String lead = Api.uniqueId("roles-l");
        String dropped = Api.uniqueId("roles-d");
        Set<String> crm = Set.of("crm");
        Set<String> auditor = Set.of("auditor");
        Set<String> admin = Set.of("admin");
        Map<String, String> march = Map.of("from", "2026-03-01", "to", "2026-04-01", "currency", "EUR");
        // in EUR: other tests of the same database may have recorded other currencies in that month
        String question = "{\"kpi\":\"summary\",\"from\":\"2026-03-01\",\"to\":\"2026-04-01\",\"currency\":\"EUR\"}";
        List<Call> calls = new ArrayList<>(List.of(
                new Call("POST", "/api/campaigns", crm, "/api/campaigns", null, campaignBody(c)),
                new Call("POST", "/api/campaigns/{campaignId}/spend", crm, "/api/campaigns/" + c + "/spend", null,
                        "{\"spendId\":\"s-1\",\"amount\":100.00,\"currency\":\"EUR\",\"spentOn\":\"2026-03-02\","
                                + "\"costType\":\"MEDIA\"}"),
                new Call("POST", "/api/campaigns/{campaignId}/spend/{spendId}/corrections", crm,
                        "/api/campaigns/" + c + "/spend/s-1/corrections", null,
                        "{\"amount\":90.00,\"reason\":\"invoice\"}"),
                new Call("POST", "/api/leads", crm, "/api/leads", null,
                        "{\"leadId\":\"" + lead + "\",\"campaignId\":\"" + c + "\",\"capturedAt\":\"2026-03-03T10:00:00Z\"}"),
                new Call("POST", "/api/leads/{leadId}/qualifications", crm, "/api/leads/" + lead + "/qualifications",
                        null, "{\"stage\":\"SQL\",\"qualifiedAt\":\"2026-03-05T10:00:00Z\"}"),
                new Call("POST", "/api/leads/{leadId}/deals", crm, "/api/leads/" + lead + "/deals", null,
                        "{\"dealId\":\"d-1\",\"outcome\":\"WON\",\"amount\":1000,\"currency\":\"EUR\","
                                + "\"grossMargin\":0.4,\"closedAt\":\"2026-03-20T10:00:00Z\"}"),
                new Call("POST", "/api/leads", crm, "/api/leads", null,
                        "{\"leadId\":\"" + dropped + "\",\"campaignId\":\"" + c + "\",\"capturedAt\":\"2026-03-04T10:00:00Z\"}"),
                new Call("POST", "/api/leads/{leadId}/disqualifications", crm,
                        "/api/leads/" + dropped + "/disqualifications", null,
                        "{\"reason\":\"no budget\",\"disqualifiedAt\":\"2026-03-06T10:00:00Z\"}"),
                new Call("POST", "/api/commands/batch", crm, "/api/commands/batch", null,
                        "{\"commands\":[{\"type\":\"CaptureLead\",\"leadId\":\"" + lead + "-b\",\"campaignId\":\""
                                + c + "\",\"capturedAt\":\"2026-03-07T10:00:00Z\"}]}"),
                new Call("POST", "/api/campaigns/{campaignId}/end", crm, "/api/campaigns/" + c + "/end", null,
                        "{\"endedOn\":\"2026-03-31\"}"),
                new Call("GET", "/api/campaigns/{campaignId}/history", auditor, "/api/campaigns/" + c + "/history",
                        null, null),
                new Call("GET", "/api/leads/{leadId}/history", auditor, "/api/leads/" + lead + "/history", null, null),
                new Call("GET", "/api/kpis/summary", READERS, "/api/kpis/summary", march, null),
                new Call("GET", "/api/kpis/monthly", READERS, "/api/kpis/monthly", march, null),
                new Call("GET", "/api/kpis/funnel", READERS, "/api/kpis/funnel", march, null),
                new Call("GET", "/api/customers/{leadId}/ltv", READERS, "/api/customers/" + lead + "/ltv", null, null),
                new Call("POST", "/api/audit/verifications", auditor, "/api/audit/verifications", null, question),
                new Call("POST", "/api/audit/snapshots", auditor, "/api/audit/snapshots", null, question),
                new Call("GET", "/api/audit/snapshots", auditor, "/api/audit/snapshots", null, null),
                new Call("GET", "/api/audit/restatements", auditor, "/api/audit/restatements",
                        Map.of("from", "2026-03-01", "to", "2026-04-01", "currency", "EUR", "earlier", "2020-01-01T00:00:00Z"), null),
                new Call("GET", "/api/admin/projections", admin, "/api/admin/projections", null, null),
                new Call("GET", "/api/admin/nodes", admin, "/api/admin/nodes", null, null),
                new Call("GET", "/api/admin/dead-letters", admin, "/api/admin/dead-letters", null, null),
                new Call("POST", "/api/admin/dead-letters/{readModel}/retry", admin,
                        "/api/admin/dead-letters/spend/retry", null, null)));
        String snapshotId = given().contentType(ContentType.JSON).body(question).post("/api/audit/snapshots")
                .then().statusCode(201).extract().path("snapshotId");
        calls.add(new Call("GET", "/api/audit/snapshots/{snapshotId}", auditor, "/api/audit/snapshots/" + snapshotId,
                null, null));
        calls.add(new Call("POST", "/api/audit/snapshots/{snapshotId}/verifications", auditor,
                "/api/audit/snapshots/" + snapshotId + "/verifications", null, null));
        calls.add(new Call("POST", "/api/admin/projections/{name}/rebuild", admin,
                "/api/admin/projections/funnel/rebuild", null, null));
        return calls;
    }
}
