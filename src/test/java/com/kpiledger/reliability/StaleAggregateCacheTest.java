package com.kpiledger.reliability;

import com.kpiledger.coreapi.campaign.CostType;
import com.kpiledger.coreapi.campaign.SpendCorrectedEvent;
import com.kpiledger.coreapi.campaign.SpendRecordedEvent;
import com.kpiledger.support.Api;
import com.kpiledger.support.EventStoreProbe;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Another node appends to a stream this node holds in its aggregate cache: this node must decide on the store's
 * state, never on its older copy. The other node is simulated by appending to the shared store directly, as a second
 * service process would (TwoNodesIT runs two real processes; this test controls the interleaving exactly).
 */
@QuarkusTest
class StaleAggregateCacheTest {

    @Inject
    EventStoreProbe store;

    @Inject
    EventStorageEngine storageEngine;

    @Test
    void aCommandAfterAnotherNodesAppendIsDecidedOnTheStoredStream() {
        String campaignId = Api.uniqueId("stale-camp");
        String streamId = "campaign:" + campaignId;
        Api.launchCampaign(campaignId, "EUR").then().statusCode(201);
        Api.recordSpend(campaignId, "inv-1", "100.00", "MEDIA").then().statusCode(201);
        // this node now holds the campaign at sequence 1 (inv-1 at 100.00)

        // the other node corrects inv-1 to 80 and records inv-2
        appendAsOtherNode(streamId, 2, new SpendCorrectedEvent(campaignId, "inv-1", new BigDecimal("100.00"),
                new BigDecimal("80.00"), "EUR", LocalDate.parse("2026-03-02"), CostType.MEDIA, "typo", "other-node"));
        appendAsOtherNode(streamId, 3, new SpendRecordedEvent(campaignId, "inv-2", new BigDecimal("50.00"), "EUR",
                LocalDate.parse("2026-03-02"), CostType.MEDIA, "other-node"));

        // a correction back to 100: the old copy would call it a retry (200, nothing stored); the store says 80
        Api.post("/api/campaigns/" + campaignId + "/spend/inv-1/corrections", """
                {"amount":100.00,"reason":"back"}""").then().statusCode(201);
        // inv-2 exists only in the store: an identical retry is 200, other facts are 409 (the old copy says new: 201)
        Api.recordSpend(campaignId, "inv-2", "50.00", "MEDIA").then().statusCode(200);
        Api.recordSpend(campaignId, "inv-2", "51.00", "MEDIA").then().statusCode(409);
        // a new line goes after the other node's events, without a failed append first being needed
        Api.recordSpend(campaignId, "inv-3", "10.00", "MEDIA").then().statusCode(201);

        assertThat(store.eventTypes(streamId)).containsExactly("CampaignLaunchedEvent", "SpendRecordedEvent",
                "SpendCorrectedEvent", "SpendRecordedEvent", "SpendCorrectedEvent", "SpendRecordedEvent");
        assertThat(store.sequenceNumbers(streamId)).containsExactlyElementsOf(LongStream.range(0, 6).boxed().toList());
    }

    private void appendAsOtherNode(String streamId, long sequenceNumber, Object event) {
        storageEngine.appendEvents(List.of(
                new GenericDomainEventMessage<>("Campaign", streamId, sequenceNumber, event)));
    }
}
