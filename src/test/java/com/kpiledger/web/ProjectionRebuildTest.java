package com.kpiledger.web;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kpiledger.config.ProjectionProcessors;
import com.kpiledger.support.Api;
import com.kpiledger.support.KpiHttp;
import com.kpiledger.support.StoreHead;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.kpiledger.support.Api.post;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * kpi-spec §6: "any read model can be rebuilt from the event store while the service runs; the rebuilt model equals
 * the live one". A small history (campaigns on two channels, spend with corrections, organic and campaign leads,
 * qualifications, a disqualification, WON/LOST deals with cross-sell), then every KPI answer of its scope, as known
 * now and as known at a moment between two batches of commands, before and after rebuilding both read models, twice.
 * No events arrive meanwhile, so even the store position each answer names must be the same.
 */
@QuarkusTest
class ProjectionRebuildTest {

    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @Inject
    ProjectionProcessors processors;

    @Inject
    StoreHead store;

    private long lastPosition = -1;

    @Test
    void rebuildingBothReadModelsGivesTheSameAnswersAndSoDoesASecondRebuild() throws InterruptedException {
        Scenario scenario = history();
        awaitCaughtUpWithTheStore();

        Map<String, Object> live = answers(scenario);
        assertThat(live).hasSize(scenario.queries().size());
        Map<String, Object> summary = asMap(live.get("summary by campaign, channel a"));
        assertThat(KpiHttp.decimal(asMap(summary.get("total")).get("leads"))).isEqualByComparingTo("4");
        assertThat(KpiHttp.decimal(asMap(summary.get("total")).get("spend"))).isEqualByComparingTo("1750.00");
        assertThat(asMap(live.get("ltv " + scenario.crossSellCustomer)).get("ltv")).isEqualTo(new BigDecimal("7700.00"));
        assertThat(KpiHttp.decimal(asMap(summary.get("total")).get("position")))
                .isEqualByComparingTo(BigDecimal.valueOf(store.headPosition()));

        rebuildEveryReadModel();
        assertThat(answers(scenario)).as("after a rebuild").isEqualTo(live);

        rebuildEveryReadModel();
        assertThat(answers(scenario)).as("after a second rebuild").isEqualTo(live);
    }

    private void rebuildEveryReadModel() {
        for (String readModel : ProjectionProcessors.READ_MODELS) {
            processors.rebuild(readModel);
        }
        awaitCaughtUpWithTheStore();
    }

    /**
     * Until every read model's processor is at the head of the store with the whole segment space claimed (a segment
     * not yet claimed after a restart is not in the processing status, so the lowest position alone could pass early).
     */
    private void awaitCaughtUpWithTheStore() {
        long head = store.headPosition();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .failFast("a read model's processor failed", () -> ProjectionProcessors.READ_MODELS.stream()
                        .anyMatch(name -> processors.processor(name).processingStatus().values().stream()
                                .anyMatch(EventTrackerStatus::isErrorState)))
                .until(() -> processors.position() >= head
                        && ProjectionProcessors.READ_MODELS.stream().allMatch(this::everySegmentClaimed));
    }

    private boolean everySegmentClaimed(String readModel) {
        Map<Integer, EventTrackerStatus> segments = processors.processor(readModel).processingStatus();
        double covered = segments.values().stream().mapToDouble(status -> 1.0 / (status.getSegment().getMask() + 1)).sum();
        return Math.abs(covered - 1.0) < 1e-9;
    }

    private Map<String, Object> answers(Scenario scenario) {
        Map<String, Object> answers = new LinkedHashMap<>();
        scenario.queries().forEach((name, query) -> answers.put(name, parse(query.get())));
        return answers;
    }

    // --- the history and the questions asked about it

    interface Query {
        Response get();
    }

    record Scenario(Map<String, Query> queries, String crossSellCustomer) {
    }

    /** Business dates in 2039, a year of its own; channels named after a fresh id. */
    private Scenario history() throws InterruptedException {
        String prefix = Api.uniqueId("rebuild");
        String channelA = prefix + "-a";
        String channelB = prefix + "-b";
        String search = campaign(prefix + "-search", channelA);
        String video = campaign(prefix + "-video", channelA);
        String social = campaign(prefix + "-social", channelB);

        spend(search, "s-1", "1000.00", "MEDIA", "2039-02-03");
        spend(search, "s-2", "250.50", "SALES", "2039-02-28");
        spend(search, "s-3", "300.00", "CONTENT", "2039-03-01");
        spend(video, "v-1", "400.00", "MEDIA", "2039-02-14");
        spend(social, "so-1", "600.00", "MEDIA", "2039-02-10");
        spend(social, "so-2", "99.99", "AGENCY", "2039-03-15");

        String won = lead(search, null, "2039-02-04T10:00:00Z");
        qualify(won, "MQL", "2039-02-05T10:00:00Z");
        qualify(won, "SQL", "2039-02-07T16:00:00Z");
        deal(won, "d-1", "WON", "10000", "0.35", "2039-02-20T10:00:00Z");
        String skipper = lead(video, null, "2039-02-15T08:00:00Z");
        qualify(skipper, "SQL", "2039-02-16T08:00:00Z"); // MQL implied
        deal(skipper, "d-1", "LOST", "5000", "0.30", "2039-03-02T08:00:00Z");
        String dropped = lead(search, null, "2039-02-20T12:00:00Z");
        qualify(dropped, "MQL", "2039-02-21T12:00:00Z");
        disqualify(dropped, "2039-02-25T12:00:00Z");
        String organic = lead(null, channelB.toUpperCase(java.util.Locale.ROOT), "2039-02-11T09:30:00Z");
        deal(organic, "d-1", "WON", "2000", "0.5", "2039-03-05T09:30:00Z"); // closing from LEAD implies MQL and SQL
        Instant beforeTheLateFacts = pause();

        // late facts: a correction, a cross-sell, a lead of February sent only now
        remember(post("/api/campaigns/" + search + "/spend/s-1/corrections", "{\"amount\":1050.00,\"reason\":\"late invoice\"}"));
        remember(post("/api/campaigns/" + social + "/spend/so-1/corrections", "{\"amount\":0,\"reason\":\"cancelled\"}"));
        deal(won, "d-2", "WON", "7000", "0.6", "2039-04-10T10:00:00Z");
        String late = lead(video, null, "2039-02-27T23:59:59Z");
        qualify(late, "MQL", "2039-03-01T00:00:00Z");

        String year = "from=2039-01-01&to=2040-01-01";
        String february = "from=2039-02-01&to=2039-03-01";
        Map<String, Query> queries = new LinkedHashMap<>();
        queries.put("summary by campaign, channel a", () -> kpis("/api/kpis/summary", year + "&groupBy=campaign&channel=" + channelA));
        queries.put("summary by campaign, channel b", () -> kpis("/api/kpis/summary", year + "&groupBy=campaign&channel=" + channelB));
        queries.put("summary by channel, channel a, fully loaded", () -> kpis("/api/kpis/summary",
                year + "&groupBy=channel&fullyLoaded=true&channel=" + channelA));
        queries.put("summary of a campaign in february", () -> kpis("/api/kpis/summary", february + "&campaignId=" + search));
        queries.put("summary by campaign, channel a, as known before the late facts", () -> kpis("/api/kpis/summary",
                february + "&groupBy=campaign&channel=" + channelA + "&knownAt=" + beforeTheLateFacts));
        queries.put("funnel period, channel a", () -> kpis("/api/kpis/funnel", february + "&view=period&channel=" + channelA));
        queries.put("funnel period, channel b", () -> kpis("/api/kpis/funnel", year + "&view=period&channel=" + channelB));
        queries.put("funnel cohort, channel a", () -> kpis("/api/kpis/funnel", february + "&view=cohort&channel=" + channelA));
        queries.put("funnel cohort, channel a, as known before the late facts", () -> kpis("/api/kpis/funnel",
                february + "&view=cohort&channel=" + channelA + "&knownAt=" + beforeTheLateFacts));
        queries.put("monthly, channel a", () -> kpis("/api/kpis/monthly", "from=2039-01-01&to=2039-05-01&channel=" + channelA));
        queries.put("monthly, channel b", () -> kpis("/api/kpis/monthly", "from=2039-01-01&to=2039-05-01&channel=" + channelB));
        for (String leadId : List.of(won, skipper, dropped, organic)) {
            queries.put("ltv " + leadId, () -> ltv(leadId, null));
        }
        queries.put("ltv " + won + " as known before the late facts", () -> ltv(won, beforeTheLateFacts));
        return new Scenario(queries, won);
    }

    private Response kpis(String path, String query) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            String[] nameAndValue = pair.split("=", 2);
            parameters.put(nameAndValue[0], nameAndValue[1]);
        }
        parameters.putIfAbsent("currency", "EUR");
        if (path.endsWith("/funnel")) {
            parameters.remove("currency");
        }
        return KpiHttp.get(path, parameters, lastPosition);
    }

    private Response ltv(String leadId, Instant knownAt) {
        Response response = knownAt == null ? given().get("/api/customers/" + leadId + "/ltv")
                : given().queryParam("knownAt", knownAt.toString()).get("/api/customers/" + leadId + "/ltv");
        response.then().statusCode(200);
        return response;
    }

    private String campaign(String id, String channel) {
        remember(post("/api/campaigns", """
                {"campaignId":"%s","name":"Rebuild test","channel":"%s","currency":"EUR","launchedOn":"2039-02-01"}
                """.formatted(id, channel)));
        return id;
    }

    private void spend(String campaign, String spendId, String amount, String costType, String spentOn) {
        remember(post("/api/campaigns/" + campaign + "/spend", """
                {"spendId":"%s","amount":%s,"currency":"EUR","spentOn":"%s","costType":"%s"}
                """.formatted(spendId, amount, spentOn, costType)));
    }

    private String lead(String campaign, String channel, String capturedAt) {
        String id = Api.uniqueId("lead");
        String source = campaign != null ? "\"campaignId\":\"" + campaign + "\"" : "\"channel\":\"" + channel + "\"";
        remember(post("/api/leads", """
                {"leadId":"%s",%s,"capturedAt":"%s"}
                """.formatted(id, source, capturedAt)));
        return id;
    }

    private void qualify(String lead, String stage, String at) {
        remember(Api.qualify(lead, stage, at));
    }

    private void disqualify(String lead, String at) {
        remember(post("/api/leads/" + lead + "/disqualifications", """
                {"reason":"no budget","disqualifiedAt":"%s"}
                """.formatted(at)));
    }

    private void deal(String lead, String dealId, String outcome, String amount, String margin, String closedAt) {
        remember(post("/api/leads/" + lead + "/deals", """
                {"dealId":"%s","outcome":"%s","amount":%s,"currency":"EUR","grossMargin":%s,"closedAt":"%s"}
                """.formatted(dealId, outcome, amount, margin, closedAt)));
    }

    private void remember(Response answer) {
        answer.then().statusCode(201);
        lastPosition = Math.max(lastPosition, ((Number) answer.path("position")).longValue());
    }

    /** A moment strictly between what was sent so far and what is sent next (recorded times are in milliseconds). */
    private static Instant pause() throws InterruptedException {
        Thread.sleep(5);
        Instant moment = Instant.now();
        Thread.sleep(5);
        return moment;
    }

    private static Object parse(Response response) {
        try {
            return JSON.readValue(response.asString(), Object.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object json) {
        return (Map<String, Object>) json;
    }
}
