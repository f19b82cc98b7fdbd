package com.kpiledger.reliability;

import com.kpiledger.support.Api;
import com.kpiledger.support.EventStoreProbe;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Racing writers, repeated in rounds and counted: sixteen threads on one lead (no lost update, no sequence gap, and
 * the read model has every deal), two threads creating the same lead at the same instant (one stream), and duplicate
 * delivery of one command, one after another and all at once (one event).
 */
@QuarkusTest
class ConcurrencyTest {

    private static final int WRITERS = 16;
    private static final int ROUNDS = 3;

    @Inject
    EventStoreProbe store;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void sixteenThreadsOnOneLeadLoseNothingAndLeaveNoGap() throws Exception {
        String campaignId = Api.uniqueId("race-camp");
        Api.launchCampaign(campaignId, "EUR").then().statusCode(201);
        int created = 0;
        for (int round = 0; round < ROUNDS; round++) {
            String leadId = Api.uniqueId("race-lead");
            Api.captureLead(leadId, campaignId).then().statusCode(201);

            List<Integer> statuses = race(WRITERS, i -> () -> Api.closeDeal(leadId, "deal-" + i, "WON", "100", "0.5")
                    .statusCode());

            assertThat(statuses).containsOnly(201);
            created += statuses.size();
            List<String> types = store.eventTypes("lead:" + leadId);
            assertThat(types).filteredOn("DealClosedEvent"::equals).hasSize(WRITERS);
            assertThat(types).filteredOn("CustomerAcquiredEvent"::equals).hasSize(1);
            assertGapless("lead:" + leadId, WRITERS + 2);
            await().atMost(Duration.ofSeconds(30)).until(() -> deals(leadId) == WRITERS);
        }
        System.out.printf("ConcurrencyTest: %d rounds of %d threads on one lead: %d deals, all 201, all stored and "
                + "projected, sequence 0..%d without gap each round%n", ROUNDS, WRITERS, created, WRITERS + 1);
    }

    @Test
    void twoThreadsCreatingTheSameLeadMakeOneStream() throws Exception {
        String campaignId = Api.uniqueId("race-camp");
        Api.launchCampaign(campaignId, "EUR").then().statusCode(201);
        int rounds = 10;
        for (int round = 0; round < rounds; round++) {
            String leadId = Api.uniqueId("race-new");
            List<Integer> statuses = race(2, i -> () -> Api.captureLead(leadId, campaignId).statusCode());

            assertThat(statuses).containsExactlyInAnyOrder(201, 200);
            assertThat(store.eventTypes("lead:" + leadId)).containsExactly("LeadCapturedEvent");
        }
        System.out.printf("ConcurrencyTest: %d rounds of 2 threads creating one new lead at once: one 201 and one "
                + "200 each, one stream with one event%n", rounds);
    }

    @Test
    void aDuplicateDeliveredInSequenceOrAllAtOnceIsStoredOnce() throws Exception {
        String campaignId = Api.uniqueId("dup-camp");
        String leadId = Api.uniqueId("dup-lead");
        Api.launchCampaign(campaignId, "EUR").then().statusCode(201);
        Api.captureLead(leadId, campaignId).then().statusCode(201);

        List<Integer> sequential = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sequential.add(Api.closeDeal(leadId, "deal-seq", "LOST", "100", "0.5").statusCode());
        }
        List<Integer> concurrent = race(WRITERS, i -> () -> Api.closeDeal(leadId, "deal-par", "LOST", "100", "0.5")
                .statusCode());

        assertThat(sequential).containsExactly(201, 200, 200, 200, 200);
        assertThat(concurrent).containsOnlyOnce(201).containsOnly(200, 201);
        assertThat(store.eventTypes("lead:" + leadId))
                .containsExactly("LeadCapturedEvent", "DealClosedEvent", "DealClosedEvent");
        assertGapless("lead:" + leadId, 3);
        System.out.printf("ConcurrencyTest: one deal sent 5 times in sequence (%s) and another %d times at once "
                + "(one 201, %d × 200): one event each%n", sequential, WRITERS, WRITERS - 1);
    }

    private static List<Integer> race(int threads, IntFunction<Callable<Integer>> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Callable<Integer> call = request.apply(i);
                answers.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }

    private void assertGapless(String streamId, int expected) {
        assertThat(store.sequenceNumbers(streamId))
                .containsExactlyElementsOf(LongStream.range(0, expected).boxed().toList());
    }

    private long deals(String leadId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM kpi_deal WHERE lead_id = ?")) {
            select.setString(1, leadId);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
