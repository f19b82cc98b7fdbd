package com.kpiledger.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.kpiledger.support.Api;
import com.kpiledger.support.StoreHead;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated command bodies, seeded (the seed is printed; rerun with -Dkpi-ledger.fuzz.seed=…): valid bodies of every
 * command endpoint, mutated — fields dropped, values of the wrong type, huge and odd numbers, odd unicode (control
 * characters, NUL, lone surrogates, right-to-left marks, emoji), deep nesting, unknown fields, overlong ids in the
 * body and the path, non-JSON and over-sized bodies. The service never answers 5xx, every 4xx is problem+json (413
 * included), and nothing is stored on any 4xx: the head of the store does not move.
 */
@QuarkusTest
class CommandFuzzTest {

    private static final int CASES = Integer.getInteger("kpi-ledger.fuzz.cases", 400);
    private static final long SEED = Long.getLong("kpi-ledger.fuzz.seed", System.nanoTime());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] ODD = {"", " ", "\u0000", "\u0007", "\t\n", "\u202E", "\u200B", "\uFEFF",
            "\uD83D\uDE00", "\uD800", "\uDC00", "Ω≈ç√", "𝕂𝕡𝕚", "ﷺ", "\\", "\"", "'; DROP TABLE DomainEventEntry; --",
            "%00", "../../etc/passwd", "${jndi:ldap://x}", "é".repeat(70)};

    @Inject
    StoreHead store;

    private record Endpoint(String path, Map<String, Object> valid) {
    }

    @Test
    void generatedBodiesNeverAnswer5xxAndStoreNothingOn4xx() throws Exception {
        Random random = new Random(SEED);
        String campaignId = Api.uniqueId("fuzz-camp");
        String leadId = Api.uniqueId("fuzz-lead");
        Api.launchCampaign(campaignId, "EUR").then().statusCode(201);
        Api.recordSpend(campaignId, "fuzz-spend", "10", "MEDIA").then().statusCode(201);
        Api.captureLead(leadId, campaignId).then().statusCode(201);
        List<Endpoint> endpoints = endpoints(campaignId, leadId);

        Map<Integer, Integer> statuses = new TreeMap<>();
        int stored = 0;
        for (int i = 0; i < CASES; i++) {
            Endpoint endpoint = endpoints.get(random.nextInt(endpoints.size()));
            String path = random.nextInt(10) == 0 ? mutatePath(endpoint.path(), random) : endpoint.path();
            byte[] body = body(endpoint.valid(), random);
            long headBefore = store.headPosition();
            Response response = given().contentType("application/json").body(body).post(path);
            int status = response.statusCode();
            statuses.merge(status, 1, Integer::sum);
            String what = "case " + i + " (seed " + SEED + ") " + path + " " + excerpt(body) + " → " + status + " "
                    + excerpt(response.asByteArray());
            assertThat(status).as(what).isLessThan(500);
            if (status >= 400) {
                assertThat(response.contentType()).as(what).startsWith("application/problem+json");
                assertThat(store.headPosition()).as("nothing stored on a 4xx: " + what).isEqualTo(headBefore);
            } else if (store.headPosition() != headBefore) {
                stored++;
            }
        }
        // whatever was accepted, the read models can store: both catch up with the head, none stops in ERROR
        long head = store.headPosition();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
            List<Map<String, Object>> views = given().get("/api/admin/projections").then().statusCode(200)
                    .extract().jsonPath().getList("$");
            return views.stream().allMatch(view -> "RUNNING".equals(view.get("state"))
                    && ((Number) view.get("position")).longValue() >= head);
        });
        System.out.printf("CommandFuzzTest: %d generated requests (seed %d) over %d endpoints: answers %s; 0 × 5xx; "
                + "store head unchanged on every 4xx; %d accepted requests stored events, which both read models "
                + "applied%n",
                CASES, SEED, endpoints.size(), statuses, stored);
    }

    @Test
    void anOversizedBodyIsA413ProblemAndStoresNothing() {
        long headBefore = store.headPosition();
        String huge = "{\"campaignId\":\"big\",\"name\":\"" + "x".repeat(1_100_000) + "\"}";
        Response response = given().contentType("application/json").body(huge).post("/api/campaigns");
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.jsonPath().getString("type")).isEqualTo("urn:kpi-ledger:problem:payload-too-large");
        assertThat(store.headPosition()).isEqualTo(headBefore);
    }

    @Test
    void anOverlongIdIsA400NamingTheField() {
        String longId = "a".repeat(129);
        Api.post("/api/leads", """
                {"leadId":"%s","channel":"email","capturedAt":"2026-03-03T10:00:00Z"}
                """.formatted(longId)).then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("leadId"));
        Api.post("/api/leads/" + longId + "/qualifications", """
                {"stage":"MQL","qualifiedAt":"2026-03-04T10:00:00Z"}
                """).then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("leadId"));
    }

    @Test
    void aBusinessTimeOutsideTheYears1900To9999IsA400() {
        String leadId = Api.uniqueId("fuzz-time");
        long headBefore = store.headPosition();
        for (String capturedAt : List.of("\"1899-12-31T23:59:59Z\"", "\"+10000-01-01T00:00:00Z\"",
                "\"-169104627-01-01T00:00:00Z\"", "-5336346264000", "253402300800")) {
            Api.post("/api/leads", """
                    {"leadId":"%s","channel":"email","capturedAt":%s}
                    """.formatted(leadId, capturedAt)).then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", org.hamcrest.Matchers.equalTo("capturedAt"));
        }
        Api.post("/api/campaigns", """
                {"campaignId":"%s","name":"Old","channel":"email","currency":"EUR","launchedOn":"1899-12-31"}
                """.formatted(leadId)).then().statusCode(400).body("errors[0].field", org.hamcrest.Matchers.equalTo("launchedOn"));
        assertThat(store.headPosition()).isEqualTo(headBefore);
    }

    private static List<Endpoint> endpoints(String campaignId, String leadId) {
        List<Endpoint> endpoints = new ArrayList<>();
        endpoints.add(new Endpoint("/api/campaigns", map("campaignId", campaignId, "name", "Fuzz", "channel", "email",
                "currency", "EUR", "launchedOn", "2026-03-01")));
        endpoints.add(new Endpoint("/api/campaigns/" + campaignId + "/spend", map("spendId", "fuzz-spend",
                "amount", 10, "currency", "EUR", "spentOn", "2026-03-02", "costType", "MEDIA")));
        endpoints.add(new Endpoint("/api/campaigns/" + campaignId + "/spend/fuzz-spend/corrections",
                map("amount", 10, "reason", "same")));
        endpoints.add(new Endpoint("/api/campaigns/" + campaignId + "/end", map("endedOn", "2026-03-31")));
        endpoints.add(new Endpoint("/api/leads", map("leadId", leadId, "campaignId", campaignId,
                "capturedAt", "2026-03-03T10:00:00Z")));
        endpoints.add(new Endpoint("/api/leads/" + leadId + "/qualifications",
                map("stage", "MQL", "qualifiedAt", "2026-03-04T10:00:00Z")));
        endpoints.add(new Endpoint("/api/leads/" + leadId + "/disqualifications",
                map("reason", "fuzz", "disqualifiedAt", "2026-03-25T10:00:00Z")));
        endpoints.add(new Endpoint("/api/leads/" + leadId + "/deals", map("dealId", "fuzz-deal", "outcome", "LOST",
                "amount", 100, "currency", "EUR", "grossMargin", 0.5, "closedAt", "2026-03-20T10:00:00Z")));
        return endpoints;
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static byte[] body(Map<String, Object> valid, Random random) throws Exception {
        switch (random.nextInt(12)) {
            case 0:
                return raw(random);
            case 1:
                return nested(random.nextInt(3000) + 1, random.nextBoolean()).getBytes(StandardCharsets.UTF_8);
            default:
                break;
        }
        Map<String, Object> body = new LinkedHashMap<>(valid);
        List<String> fields = new ArrayList<>(valid.keySet());
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            String field = fields.get(random.nextInt(fields.size()));
            switch (random.nextInt(4)) {
                case 0 -> body.remove(field);
                case 1 -> body.put("unknown" + random.nextInt(3), value(random));
                default -> body.put(field, value(random));
            }
        }
        return JSON.writeValueAsBytes(body);
    }

    /** A JSON value of any type and odd content. */
    private static Object value(Random random) {
        return switch (random.nextInt(14)) {
            case 0 -> null;
            case 1 -> random.nextBoolean();
            case 2 -> random.nextLong();
            case 3 -> new java.math.BigDecimal("9".repeat(1 + random.nextInt(400)) + "." + "9".repeat(random.nextInt(30)));
            case 4 -> new java.math.BigDecimal("1e" + (random.nextInt(800) - 400));
            case 5 -> -random.nextDouble() * 1e6;
            case 6 -> ODD[random.nextInt(ODD.length)];
            case 7 -> "x".repeat(random.nextInt(2) == 0 ? 65 + random.nextInt(200) : 10_000 + random.nextInt(200_000));
            case 8 -> List.of(1, "two", List.of());
            case 9 -> Map.of("nested", Map.of("deeper", List.of(Map.of())));
            case 10 -> randomUnicode(random, 1 + random.nextInt(80));
            case 11 -> "2026-02-30";
            case 12 -> "+999999999-12-31T23:59:59Z";
            default -> ODD[random.nextInt(ODD.length)] + "-" + random.nextInt(1000);
        };
    }

    private static String randomUnicode(Random random, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int codePoint = random.nextInt(0x2FFFF);
            if (Character.isValidCodePoint(codePoint)) {
                text.appendCodePoint(codePoint);
            }
        }
        return text.toString();
    }

    /** Bodies that are not a JSON object at all. */
    private static byte[] raw(Random random) {
        return switch (random.nextInt(8)) {
            case 0 -> new byte[0];
            case 1 -> "[]".getBytes(StandardCharsets.UTF_8);
            case 2 -> "\"just a string\"".getBytes(StandardCharsets.UTF_8);
            case 3 -> "{\"leadId\":".getBytes(StandardCharsets.UTF_8);
            case 4 -> new byte[]{(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE, '{', '}'};
            case 5 -> "{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8);
            case 6 -> ("{\"name\":\"" + "y".repeat(900_000) + "\"}").getBytes(StandardCharsets.UTF_8);
            default -> {
                byte[] noise = new byte[random.nextInt(2000)];
                random.nextBytes(noise);
                yield noise;
            }
        };
    }

    private static String nested(int depth, boolean arrays) {
        String open = arrays ? "[" : "{\"a\":";
        String close = arrays ? "]" : "}";
        return open.repeat(depth) + "1" + close.repeat(depth);
    }

    private static String mutatePath(String path, Random random) {
        String[] parts = path.split("/");
        int index = 3 + random.nextInt(Math.max(1, parts.length - 3));
        if (index >= parts.length) {
            index = parts.length - 1;
        }
        String replacement = switch (random.nextInt(4)) {
            case 0 -> "a".repeat(65 + random.nextInt(300));
            case 1 -> "%E2%80%AE" + random.nextInt(100);
            case 2 -> "%00";
            default -> "..%2F..";
        };
        parts[index] = replacement;
        return String.join("/", parts);
    }

    private static String excerpt(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        return text.length() > 200 ? text.substring(0, 200) + "…(" + bytes.length + " bytes)" : text;
    }
}
