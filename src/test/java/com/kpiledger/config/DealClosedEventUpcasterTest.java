package com.kpiledger.config;

import com.kpiledger.coreapi.lead.DealClosedEvent;
import com.kpiledger.coreapi.lead.DealOutcome;
import com.kpiledger.coreapi.lead.Stage;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.EventStreamUtils;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.axonframework.serialization.upcasting.event.NoOpEventUpcaster;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A DealClosedEvent exactly as stored before revision 2 is read back as revision 2, with its gross profit. */
class DealClosedEventUpcasterTest {

    /** The stored JSON of the first version: no revision, no grossProfit. */
    static final String STORED_V1 = """
            {"leadId":"lead-7","dealId":"deal-1","outcome":"WON","amount":123456789012345.6789,"currency":"EUR",\
            "grossMargin":0.35,"closedAt":"2026-03-20T10:00:00Z","impliedStages":["MQL","SQL"],"source":"hubspot"}""";

    private final Serializer serializer = AxonSerializers.jackson(getClass().getClassLoader());

    @Test
    void oldDealsGainTheirGrossProfitExactly() {
        DomainEventStream events = EventStreamUtils.upcastAndDeserializeDomainEvents(
                Stream.of(storedV1()), serializer, new EventUpcasterChain(new DealClosedEventUpcaster()));

        DomainEventMessage<?> message = events.next();
        DealClosedEvent deal = (DealClosedEvent) message.getPayload();

        assertThat(deal.grossProfit()).isEqualByComparingTo(new BigDecimal("43209876154320.987615"));
        assertThat(deal.amount()).isEqualByComparingTo(new BigDecimal("123456789012345.6789"));
        assertThat(deal).isEqualTo(new DealClosedEvent("lead-7", "deal-1", DealOutcome.WON,
                deal.amount(), "EUR", deal.grossMargin(), Instant.parse("2026-03-20T10:00:00Z"),
                List.of(Stage.MQL, Stage.SQL), "hubspot"));
    }

    @Test
    void withoutTheUpcasterAnOldDealCannotBeRead() {
        DomainEventStream events = EventStreamUtils.upcastAndDeserializeDomainEvents(
                Stream.of(storedV1()), serializer, NoOpEventUpcaster.INSTANCE);

        assertThatThrownBy(() -> events.next().getPayload()).hasStackTraceContaining("grossProfit");
    }

    @Test
    void revisionTwoDealsPassUntouched() {
        DealClosedEvent current = new DealClosedEvent("lead-7", "deal-2", DealOutcome.LOST, new BigDecimal("10"), "EUR",
                new BigDecimal("0.5"), Instant.parse("2026-03-21T10:00:00Z"), List.of(), "api");
        var serialized = serializer.serialize(current, byte[].class);
        DomainEventData<byte[]> stored = new GenericDomainEventEntry<>("Lead", "lead:lead-7", 2, "event-2",
                Instant.parse("2026-11-24T10:00:00Z"), serialized.getType().getName(), serialized.getType().getRevision(),
                serialized.getData(), "{}".getBytes(StandardCharsets.UTF_8));

        DomainEventStream events = EventStreamUtils.upcastAndDeserializeDomainEvents(
                Stream.of(stored), serializer, new EventUpcasterChain(new DealClosedEventUpcaster()));

        assertThat(serialized.getType().getRevision()).isEqualTo("2");
        assertThat(events.next().getPayload()).isEqualTo(current);
    }

    private static DomainEventData<byte[]> storedV1() {
        return new GenericDomainEventEntry<>("Lead", "lead:lead-7", 1, "event-1", Instant.parse("2026-03-20T10:00:01Z"),
                DealClosedEvent.class.getName(), null, STORED_V1.getBytes(StandardCharsets.UTF_8),
                "{}".getBytes(StandardCharsets.UTF_8));
    }
}
