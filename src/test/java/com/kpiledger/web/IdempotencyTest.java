package com.kpiledger.web;

import com.kpiledger.support.Api;
import com.kpiledger.support.EventStoreProbe;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.LongStream;

import static com.kpiledger.support.Api.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * CRMs retry and send duplicates, sometimes at the same moment: a retry changes nothing, the same ids with other
 * facts are a conflict that changes nothing, and racing writers never lose or double an event.
 */
@QuarkusTest
class IdempotencyTest {

    private static final int THREADS = 16;

    @Inject
    EventStoreProbe store;

    @Test
    void identicalRetriesAnswer200AndStoreNothingNew() {
        String campaignId = Api.uniqueId("camp");
        String leadId = Api.uniqueId("lead");
        Api.launchCampaign(campaignId, "EUR").then().statusCode(201);
        Api.recordSpend(campaignId, "inv-1", "100.00", "MEDIA").then().statusCode(201);
        Api.captureLead(leadId, campaignId).then().statusCode(201);
        Api.qualify(leadId, "MQL", "2026-03-04T10:00:00Z").then().statusCode(201);
        Api.closeDeal(leadId, "deal-1", "WON", "500", "0.5").then().statusCode(201);
        post("/api/campaigns/" + campaignId + "/end", "{\"endedOn\":\"2026-03-31\"}").then().statusCode(200);
        post("/api/leads/" + leadId + "/disqualifications",
                "{\"reason\":\"churned\",\"disqualifiedAt\":\"2026-03-25T10:00:00Z\"}").then().statusCode(201);
        long stored = store.eventCount();

        Api.launchCampaign(campaignId, "EUR").then().statusCode(200).body("outcome", equalTo("UNCHANGED"));
        // the same amount written differently is the same fact
        Api.recordSpend(campaignId, "inv-1", "100", "MEDIA").then().statusCode(200).body("outcome", equalTo("UNCHANGED"));
        Api.captureLead(leadId, campaignId).then().statusCode(200).body("outcome", equalTo("UNCHANGED"));
        Api.qualify(leadId, "MQL", "2026-03-04T11:00:00+01:00").then().statusCode(200).body("outcome", equalTo("UNCHANGED"));
        Api.closeDeal(leadId, "deal-1", "WON", "500.00", "0.50").then().statusCode(200).body("outcome", equalTo("UNCHANGED"));
        post("/api/campaigns/" + campaignId + "/end", "{\"endedOn\":\"2026-03-31\"}").then().statusCode(200)
                .body("outcome", equalTo("UNCHANGED"));
        post("/api/leads/" + leadId + "/disqualifications",
                "{\"reason\":\"churned\",\"disqualifiedAt\":\"2026-03-25T10:00:00Z\"}").then().statusCode(200);

        assertThat(store.eventCount()).isEqualTo(stored);
    }

    @Test
    void sameIdsWithOtherFactsAnswer409AndStoreNothing() {
        String campaignId = Api.uniqueId("camp");
        String leadId = Api.uniqueId("lead");
        Api.launchCampaign(campaignId, "EUR").then().statusCode(201);
        Api.recordSpend(campaignId, "inv-1", "100", "MEDIA").then().statusCode(201);
        Api.captureLead(leadId, campaignId).then().statusCode(201);
        Api.qualify(leadId, "MQL", "2026-03-04T10:00:00Z").then().statusCode(201);
        Api.closeDeal(leadId, "deal-1", "WON", "500", "0.5").then().statusCode(201);
        post("/api/campaigns/" + campaignId + "/end", "{\"endedOn\":\"2026-03-31\"}").then().statusCode(200);
        long stored = store.eventCount();

        Api.launchCampaign(campaignId, "USD").then().statusCode(409).contentType("application/problem+json")
                .body("errors[0].field", equalTo("campaignId"));
        Api.recordSpend(campaignId, "inv-1", "101", "MEDIA").then().statusCode(409).body("errors[0].field", equalTo("spendId"));
        Api.captureLead(leadId, Api.uniqueId("other")).then().statusCode(409).body("errors[0].field", equalTo("leadId"));
        Api.qualify(leadId, "MQL", "2026-03-06T10:00:00Z").then().statusCode(409).body("errors[0].field", equalTo("qualifiedAt"));
        Api.closeDeal(leadId, "deal-1", "LOST", "500", "0.5").then().statusCode(409).body("errors[0].field", equalTo("dealId"));
        post("/api/campaigns/" + campaignId + "/end", "{\"endedOn\":\"2026-04-30\"}").then().statusCode(409)
                .body("errors[0].field", equalTo("endedOn"));

        assertThat(store.eventCount()).isEqualTo(stored);
    }

    @Test
    void sixteenWritersOnOneLeadLoseAndDoubleNothing() throws Exception {
        String campaignId = Api.uniqueId("camp");
        String leadId = Api.uniqueId("lead");
        Api.launchCampaign(campaignId, "EUR").then().statusCode(201);
        Api.captureLead(leadId, campaignId).then().statusCode(201);

        List<Integer> statuses = race(i -> () -> Api.closeDeal(leadId, "deal-" + i, "WON", "100", "0.5").statusCode());

        assertThat(statuses).containsOnly(201);
        List<String> types = store.eventTypes("lead:" + leadId);
        assertThat(types).filteredOn("DealClosedEvent"::equals).hasSize(THREADS);
        assertThat(types).filteredOn("CustomerAcquiredEvent"::equals).hasSize(1);
        assertGapless("lead:" + leadId);
    }

    @Test
    void sixteenCopiesOfOneDealStoreItOnce() throws Exception {
        String campaignId = Api.uniqueId("camp");
        String leadId = Api.uniqueId("lead");
        Api.launchCampaign(campaignId, "EUR").then().statusCode(201);
        Api.captureLead(leadId, campaignId).then().statusCode(201);

        List<Integer> statuses = race(i -> () -> Api.closeDeal(leadId, "deal-1", "WON", "100", "0.5").statusCode());

        assertThat(statuses).containsOnlyOnce(201).containsOnly(200, 201);
        assertThat(store.eventTypes("lead:" + leadId))
                .containsExactly("LeadCapturedEvent", "DealClosedEvent", "CustomerAcquiredEvent");
    }

    @Test
    void twoCrmsCreatingTheSameLeadAtOnceMakeOneStream() throws Exception {
        String campaignId = Api.uniqueId("camp");
        Api.launchCampaign(campaignId, "EUR").then().statusCode(201);
        for (int round = 0; round < 5; round++) {
            String leadId = Api.uniqueId("lead");
            List<Integer> statuses = race(i -> () -> Api.captureLead(leadId, campaignId).statusCode());

            assertThat(statuses).containsOnlyOnce(201).containsOnly(200, 201);
            assertThat(store.eventTypes("lead:" + leadId)).containsExactly("LeadCapturedEvent");
        }
    }

    @Test
    void conflictingCreatesAtOnceLetOneWinAndRefuseTheRest() throws Exception {
        String leadId = Api.uniqueId("lead");

        List<Integer> statuses = race(i -> () -> post("/api/leads", """
                {"leadId":"%s","channel":"channel-%d","capturedAt":"2026-03-03T10:00:00Z"}
                """.formatted(leadId, i)).statusCode());

        assertThat(statuses).containsOnlyOnce(201).containsOnly(201, 409);
        assertThat(store.eventTypes("lead:" + leadId)).containsExactly("LeadCapturedEvent");
    }

    private static List<Integer> race(IntFunction<Callable<Integer>> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                Callable<Integer> call = request.apply(i);
                answers.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }

    private void assertGapless(String streamId) {
        List<Long> sequence = store.sequenceNumbers(streamId);
        assertThat(sequence).containsExactlyElementsOf(LongStream.range(0, sequence.size()).boxed().toList());
    }
}
