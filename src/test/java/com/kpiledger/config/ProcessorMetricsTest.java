package com.kpiledger.config;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.micrometer.GlobalMetricRegistry;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.messaging.Message;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard and alert rules read the processors' meters by name and label: {@link ProcessorMetrics} must register
 * exactly the meters axon-micrometer's default-tag monitors register, with the same counts, for handled, failed and
 * ignored events of several payload types.
 */
class ProcessorMetricsTest {

    record Captured(String leadId) {
    }

    record Spent(String campaignId) {
    }

    @Test
    void sameMetersAndCountsAsAxonsOwnMonitors() {
        MeterRegistry axons = new SimpleMeterRegistry();
        @SuppressWarnings("unchecked")
        MessageMonitor<Message<?>> axonMonitor = (MessageMonitor<Message<?>>) new GlobalMetricRegistry(axons)
                .registerComponentWithDefaultTags(PooledStreamingEventProcessor.class, "funnel");
        MeterRegistry ours = new SimpleMeterRegistry();
        ProcessorMetrics ourMonitor = new ProcessorMetrics("funnel", ours);

        for (MessageMonitor<Message<?>> monitor : List.of(axonMonitor, ourMonitor)) {
            for (int i = 0; i < 5; i++) {
                monitor.onMessageIngested(event(new Captured("lead-" + i))).reportSuccess();
            }
            monitor.onMessageIngested(event(new Captured("poison"))).reportFailure(new IllegalStateException("boom"));
            for (int i = 0; i < 3; i++) {
                monitor.onMessageIngested(event(new Spent("c-" + i))).reportIgnored();
            }
        }

        assertThat(describe(ours)).isEqualTo(describe(axons)).isNotEmpty();
        assertThat(ours.get("eventProcessor.ignoredCounter").tag("payloadType", "Spent").counter().count())
                .isEqualTo(3);
        assertThat(ours.get("eventProcessor.successCounter").tag("payloadType", "Captured")
                .tag("processorName", "funnel").counter().count()).isEqualTo(5);
        assertThat(ours.get("eventProcessor.latency").tags("processorName", "funnel").gauge()).isNotNull();
    }

    private static EventMessage<?> event(Object payload) {
        return GenericEventMessage.asEventMessage(payload);
    }

    /** Every meter: type, name, tags, and what it has counted (timers: count and published percentiles). */
    private static Map<String, String> describe(MeterRegistry registry) {
        Map<String, String> meters = new TreeMap<>();
        for (Meter meter : registry.getMeters()) {
            String value = "";
            if (meter instanceof Counter counter) {
                value = String.valueOf(counter.count());
            } else if (meter instanceof Timer timer) {
                value = timer.count() + " " + Arrays.toString(Arrays.stream(timer.takeSnapshot().percentileValues())
                        .mapToDouble(p -> p.percentile()).toArray());
            }
            meters.put(meter.getId().getType() + " " + meter.getId().getName() + " " + meter.getId().getTags(), value);
        }
        return meters;
    }
}
