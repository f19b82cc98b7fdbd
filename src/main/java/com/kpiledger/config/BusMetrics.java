package com.kpiledger.config;

import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.MessageMonitorFactory;
import org.axonframework.micrometer.CapacityMonitor;
import org.axonframework.micrometer.MessageCountingMonitor;
import org.axonframework.micrometer.MessageTimerMonitor;
import org.axonframework.micrometer.TagsUtil;
import org.axonframework.monitoring.MultiMessageMonitor;

import java.util.concurrent.TimeUnit;

/**
 * The command and query buses' meters: the ones axon-micrometer's {@code GlobalMetricRegistry} registers with its
 * default tags (timers, counters and capacity, tagged with the payload type), except that capacity is measured over
 * {@value #CAPACITY_WINDOW_SECONDS} seconds instead of Axon's ten minutes. Axon's capacity monitor keeps an entry per
 * message for its whole window: after a bulk ingest and a rebuild that was over a million entries, 35–80 MB of a heap
 * the service is meant to run in 256 MB or less. The read models' processors get the same window (ProcessorMetrics).
 */
final class BusMetrics {

    static final long CAPACITY_WINDOW_SECONDS = 10;

    private BusMetrics() {
    }

    static MessageMonitorFactory factory(MeterRegistry registry) {
        return (configuration, componentType, componentName) -> new MultiMessageMonitor<>(
                MessageTimerMonitor.buildMonitor(componentName, registry, TagsUtil.PAYLOAD_TYPE_TAGGER_FUNCTION),
                CapacityMonitor.buildMonitor(componentName, registry, CAPACITY_WINDOW_SECONDS, TimeUnit.SECONDS,
                        TagsUtil.PAYLOAD_TYPE_TAGGER_FUNCTION),
                MessageCountingMonitor.buildMonitor(componentName, registry, TagsUtil.PAYLOAD_TYPE_TAGGER_FUNCTION));
    }
}
