package com.kpiledger.config;

import com.kpiledger.query.ReadModelStatus;
import com.kpiledger.query.funnel.FunnelProjection;
import com.kpiledger.query.spend.SpendProjection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The KPI read models' processors: how far they are, waiting for them (read-your-writes), and rebuilding one from
 * the event store.
 */
@ApplicationScoped
public class ProjectionProcessors implements ReadModelStatus {

    /** Every KPI read model's processing group, one pooled streaming processor each. */
    public static final List<String> READ_MODELS = List.of(SpendProjection.PROCESSING_GROUP,
            FunnelProjection.PROCESSING_GROUP);

    @Inject
    AxonConfiguration axon;

    @Override
    public long position() {
        long lowest = Long.MAX_VALUE;
        for (String name : READ_MODELS) {
            lowest = Math.min(lowest, position(name));
        }
        return lowest == Long.MAX_VALUE ? -1 : lowest;
    }

    /** The lowest position over the segments this node processes; -1 before the first event. */
    public long position(String readModel) {
        Map<Integer, EventTrackerStatus> segments = processor(readModel).processingStatus();
        long lowest = Long.MAX_VALUE;
        for (EventTrackerStatus segment : segments.values()) {
            OptionalLong current = segment.getCurrentPosition();
            lowest = Math.min(lowest, current.isPresent() ? current.getAsLong() : -1);
        }
        return lowest == Long.MAX_VALUE ? -1 : lowest;
    }

    @Override
    public boolean awaitPosition(long minPosition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (position() < minPosition) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        return true;
    }

    /**
     * Rebuilds a read model from the first event: stops its processor, resets its tokens (its reset handler empties
     * its tables in the same step) and starts it again. Queries see a partial model until it has caught up.
     */
    public void rebuild(String readModel) {
        StreamingEventProcessor processor = processor(readModel);
        processor.shutDown();
        processor.resetTokens();
        processor.start();
    }

    public StreamingEventProcessor processor(String readModel) {
        return axon.configuration().eventProcessingConfiguration()
                .eventProcessor(readModel, StreamingEventProcessor.class)
                .orElseThrow(() -> new IllegalArgumentException("No read model '" + readModel + "'"));
    }
}
