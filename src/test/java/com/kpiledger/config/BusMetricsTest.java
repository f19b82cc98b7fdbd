package com.kpiledger.config;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.micrometer.GlobalMetricRegistry;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.messaging.Message;
import org.axonframework.queryhandling.GenericQueryMessage;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard and alert rules read the buses' meters by name and label: {@link BusMetrics} must register exactly the
 * meters axon-micrometer's default-tag monitors register for the command and query buses, with the same counts.
 */
class BusMetricsTest {

    record RecordSpend(String campaignId) {
    }

    record CaptureLead(String leadId) {
    }

    record FindPosition(String id) {
    }

    @Test
    void commandBusHasAxonsMetersAndCounts() {
        assertSameMeters(SimpleCommandBus.class, "commandBus", List.of(
                GenericCommandMessage.asCommandMessage(new RecordSpend("c-1")),
                GenericCommandMessage.asCommandMessage(new RecordSpend("c-2")),
                GenericCommandMessage.asCommandMessage(new CaptureLead("l-1"))));
    }

    @Test
    void queryBusHasAxonsMetersAndCounts() {
        assertSameMeters(SimpleQueryBus.class, "queryBus", List.of(
                new GenericQueryMessage<>(new FindPosition("a"), ResponseTypes.instanceOf(Long.class)),
                new GenericQueryMessage<>(new FindPosition("b"), ResponseTypes.instanceOf(Long.class))));
    }

    private static void assertSameMeters(Class<?> busType, String name, List<Message<?>> messages) {
        MeterRegistry axons = new SimpleMeterRegistry();
        @SuppressWarnings("unchecked")
        MessageMonitor<Message<?>> axonMonitor = (MessageMonitor<Message<?>>) new GlobalMetricRegistry(axons)
                .registerComponentWithDefaultTags(busType, name);
        MeterRegistry ours = new SimpleMeterRegistry();
        MessageMonitor<Message<?>> ourMonitor = BusMetrics.factory(ours).create(null, busType, name);

        for (MessageMonitor<Message<?>> monitor : List.of(axonMonitor, ourMonitor)) {
            for (Message<?> message : messages) {
                monitor.onMessageIngested(message).reportSuccess();
            }
            monitor.onMessageIngested(messages.get(0)).reportFailure(new IllegalStateException("refused"));
        }

        assertThat(describe(ours)).isEqualTo(describe(axons)).isNotEmpty();
        assertThat(ours.get(name + ".successCounter").tag("payloadType", messages.get(0).getPayloadType().getSimpleName())
                .counter().count()).isEqualTo(messages.stream()
                .filter(message -> message.getPayloadType() == messages.get(0).getPayloadType()).count());
        assertThat(ours.get(name + ".capacity").gauge()).isNotNull();
    }

    /** Every meter: type, name, tags, and what it has counted. */
    private static Map<String, String> describe(MeterRegistry registry) {
        Map<String, String> meters = new TreeMap<>();
        for (Meter meter : registry.getMeters()) {
            String value = "";
            if (meter instanceof Counter counter) {
                value = String.valueOf(counter.count());
            } else if (meter instanceof Timer timer) {
                value = String.valueOf(timer.count());
            }
            meters.put(meter.getId().getType() + " " + meter.getId().getName() + " " + meter.getId().getTags(), value);
        }
        return meters;
    }
}
