package com.kpiledger.web;

import com.kpiledger.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * KPI answers kept per question and store position: a repeated question is answered from the kept answer, the same
 * to the byte; {@code Cache-Control: no-cache} computes it again; a new event moves the position and the answer.
 * (That an answer is not kept while an event below its position can still arrive is shown where such events are made:
 * {@code CommitOrderGapTest} for a transaction committing late, {@code DeadLetterTest} for a parked event.)
 */
@QuarkusTest
class KpiAnswerCacheTest {

    private static final Pattern COUNTER = Pattern.compile(
            "kpi_ledger_kpi_answers_total\\{cache=\"(\\w+)\",?\\} ([0-9.E]+)");

    @Test
    void aRepeatedQuestionIsAnsweredFromTheKeptAnswerUntilTheStoreMoves() {
        String campaignId = Api.uniqueId("cached-camp");
        Api.launchCampaign(campaignId, "EUR").then().statusCode(201);
        long position = Api.captureLead(Api.uniqueId("cached-lead"), campaignId).then().statusCode(201)
                .extract().jsonPath().getLong("position");
        String summary = "/api/kpis/summary?from=2026-03-01&to=2026-04-01&groupBy=campaign&campaignId=" + campaignId
                + "&minPosition=";

        // an index another test's transaction drew and rolled back keeps answers from being kept for a while
        // (kpi-ledger.kpi-answers.gaps-close-after, 20 s in tests): ask until the second asking is served kept
        String[] first = new String[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            first[0] = body(summary + position, null);
            double hits = counter("hit");
            String again = body(summary + position, null);
            return counter("hit") == hits + 1 && again.equals(first[0]);
        });
        assertThat(first[0]).contains("\"leads\":1");

        double hits = counter("hit");
        double misses = counter("miss");
        assertThat(body(summary + position, "no-cache")).as("computed again: the same").isEqualTo(first[0]);
        assertThat(counter("miss")).isEqualTo(misses + 1);
        assertThat(counter("hit")).isEqualTo(hits);

        long later = Api.captureLead(Api.uniqueId("cached-lead"), campaignId).then().statusCode(201)
                .extract().jsonPath().getLong("position");
        assertThat(body(summary + later, null)).as("a new position, a new answer").contains("\"leads\":2");

        // the monthly and funnel answers are kept too
        for (String path : new String[]{"/api/kpis/monthly?from=2026-03-01&to=2026-05-01&campaignId=" + campaignId,
                "/api/kpis/funnel?from=2026-03-01&to=2026-04-01&campaignId=" + campaignId}) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                String once = body(path + "&minPosition=" + later, null);
                double before = counter("hit");
                return body(path + "&minPosition=" + later, null).equals(once) && counter("hit") == before + 1;
            });
        }
    }

    private static String body(String path, String cacheControl) {
        var request = given();
        if (cacheControl != null) {
            request = request.header("Cache-Control", cacheControl);
        }
        return request.get(path).then().statusCode(200).extract().asString();
    }

    private static double counter(String cache) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher matcher = COUNTER.matcher(metrics);
        while (matcher.find()) {
            if (matcher.group(1).equals(cache)) {
                return Double.parseDouble(matcher.group(2));
            }
        }
        return 0;
    }
}
