package com.kpiledger.config;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.micrometer.reservoir.SlidingTimeWindowReservoir;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.NoOpMessageMonitorCallback;
import org.axonframework.messaging.Message;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An event processor's meters, exactly those axon-micrometer's {@code GlobalMetricRegistry} registers with its default
 * tags (names {@code eventProcessor.*}, tags {@code payloadType} and {@code processorName}; the latency gauge with
 * {@code processorName} only; timers with the same percentiles and expiry; capacity over a 10-second window, where
 * Axon keeps every message of the last ten minutes in the heap, see BusMetrics), but
 * resolved once per payload type instead of once per message. Axon's monitors build tags and look up nine meters in
 * the registry for every event a processor sees, handled or ignored: 17.6% of a rebuild's CPU. The dashboard and
 * alert rules in infra/ read these series, so names, tags and semantics must stay as they are.
 */
final class ProcessorMetrics implements MessageMonitor<Message<?>> {

    private static final String PREFIX = "eventProcessor";
    private static final String PAYLOAD_TYPE_TAG = "payloadType";
    private static final String PROCESSOR_NAME_TAG = "processorName";
    private static final long CAPACITY_WINDOW_SECONDS = 10;

    private final String processorName;
    private final MeterRegistry registry;
    private final Clock clock = Clock.SYSTEM;
    private final ConcurrentMap<Class<?>, PayloadMeters> meters = new ConcurrentHashMap<>();
    /** Milliseconds between the last event's timestamp and its processing, as Axon's latency monitor keeps it. */
    private final AtomicLong latency = new AtomicLong();

    /** Registered with the first event, as Axon's latency monitor does (no series before there is a latency). */
    private volatile boolean latencyRegistered;

    ProcessorMetrics(String processorName, MeterRegistry registry) {
        this.processorName = processorName;
        this.registry = registry;
    }

    @Override
    public MonitorCallback onMessageIngested(Message<?> message) {
        if (message == null) {
            return NoOpMessageMonitorCallback.INSTANCE;
        }
        if (message instanceof EventMessage<?> event) {
            latency.set(clock.wallTime() - event.getTimestamp().toEpochMilli());
            if (!latencyRegistered) {
                Gauge.builder(PREFIX + ".latency", latency::get)
                        .tags(Tags.of(PROCESSOR_NAME_TAG, processorName))
                        .register(registry);
                latencyRegistered = true;
            }
        }
        PayloadMeters payload = meters.computeIfAbsent(message.getPayloadType(), this::register);
        payload.ingested.increment();
        return new Callback(payload, clock.monotonicTime());
    }

    private PayloadMeters register(Class<?> payloadType) {
        Tags tags = Tags.of(PAYLOAD_TYPE_TAG, payloadType.getSimpleName(), PROCESSOR_NAME_TAG, processorName);
        SlidingTimeWindowReservoir window = new SlidingTimeWindowReservoir(CAPACITY_WINDOW_SECONDS, TimeUnit.SECONDS,
                clock);
        Gauge.builder(PREFIX + ".capacity", window, ProcessorMetrics::capacity).tags(tags).register(registry);
        return new PayloadMeters(
                timer("allTimer", tags), timer("successTimer", tags), timer("failureTimer", tags),
                timer("ignoredTimer", tags),
                counter("ingestedCounter", tags), counter("successCounter", tags), counter("failureCounter", tags),
                counter("processedCounter", tags), counter("ignoredCounter", tags),
                window);
    }

    /** Share of the window spent handling messages of the type (1 = one thread busy all the time). */
    private static double capacity(SlidingTimeWindowReservoir window) {
        long busyNanos = 0;
        for (long nanos : window.getMeasurements()) {
            busyNanos += nanos;
        }
        return busyNanos / (double) TimeUnit.SECONDS.toNanos(CAPACITY_WINDOW_SECONDS);
    }

    private Timer timer(String name, Tags tags) {
        return Timer.builder(PREFIX + "." + name)
                .distributionStatisticExpiry(Duration.ofMinutes(10))
                .publishPercentiles(0.5, 0.75, 0.95, 0.98, 0.99, 0.999)
                .tags(tags)
                .register(registry);
    }

    private Counter counter(String name, Tags tags) {
        return registry.counter(PREFIX + "." + name, tags);
    }

    private record PayloadMeters(Timer all, Timer success, Timer failure, Timer ignored, Counter ingested,
                                 Counter successes, Counter failures, Counter processed, Counter ignoredCount,
                                 SlidingTimeWindowReservoir capacityWindow) {
    }

    private final class Callback implements MonitorCallback {

        private final PayloadMeters meters;
        private final long start;

        Callback(PayloadMeters meters, long start) {
            this.meters = meters;
            this.start = start;
        }

        @Override
        public void reportSuccess() {
            long took = took();
            meters.all.record(took, TimeUnit.NANOSECONDS);
            meters.success.record(took, TimeUnit.NANOSECONDS);
            meters.capacityWindow.update(took);
            meters.processed.increment();
            meters.successes.increment();
        }

        @Override
        public void reportFailure(Throwable cause) {
            long took = took();
            meters.all.record(took, TimeUnit.NANOSECONDS);
            meters.failure.record(took, TimeUnit.NANOSECONDS);
            meters.capacityWindow.update(took);
            meters.processed.increment();
            meters.failures.increment();
        }

        @Override
        public void reportIgnored() {
            long took = took();
            meters.all.record(took, TimeUnit.NANOSECONDS);
            meters.ignored.record(took, TimeUnit.NANOSECONDS);
            meters.capacityWindow.update(took);
            meters.ignoredCount.increment();
        }

        private long took() {
            return clock.monotonicTime() - start;
        }
    }
}
