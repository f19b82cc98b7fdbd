package com.kpiledger.config;

import com.kpiledger.coreapi.admin.FetchProjectionsQuery;
import com.kpiledger.coreapi.admin.ProjectionView;
import com.kpiledger.coreapi.admin.RebuildProjectionCommand;
import com.kpiledger.coreapi.shared.UnknownEntityException;
import com.kpiledger.query.ReadModelStatus;
import com.kpiledger.query.funnel.FunnelProjection;
import com.kpiledger.query.spend.SpendProjection;
import io.agroal.api.AgroalDataSource;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.queryhandling.QueryHandler;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The KPI read models' processors: how far they are, waiting for them (read-your-writes), and rebuilding one from
 * the event store while the service runs, with progress. While a read model rebuilds, KPI queries refuse to answer
 * (503 with the progress) rather than present a half-built figure.
 */
@ApplicationScoped
public class ProjectionProcessors implements ReadModelStatus {

    private static final Logger LOG = Logger.getLogger(ProjectionProcessors.class);

    /** Every KPI read model's processing group, one pooled streaming processor each. */
    public static final List<String> READ_MODELS = List.of(SpendProjection.PROCESSING_GROUP,
            FunnelProjection.PROCESSING_GROUP);

    @Inject
    AxonConfiguration axon;

    @Inject
    AgroalDataSource dataSource;

    /** Rebuilds asked for and not yet caught up: when they started and the head they must reach. */
    private final Map<String, Rebuild> rebuilds = new ConcurrentHashMap<>();
    private final ExecutorService rebuildExecutor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "read-model-rebuild");
        thread.setDaemon(true);
        return thread;
    });

    /** A rebuild counts as done only after its tokens were reset and it caught up with the head of that moment. */
    private record Rebuild(Instant startedAt, long targetPosition, AtomicBoolean reset) {

        Rebuild(long targetPosition) {
            this(Instant.now(), targetPosition, new AtomicBoolean());
        }
    }

    @Override
    public long position() {
        long lowest = Long.MAX_VALUE;
        for (String name : READ_MODELS) {
            lowest = Math.min(lowest, position(name));
        }
        return lowest == Long.MAX_VALUE ? -1 : lowest;
    }

    /**
     * The lowest position over all segments of the read model, whichever node processes them: this node's own
     * segments as it is processing them, the others as their node last stored them in the token store (shared by
     * every node). -1 before the processor has ever started.
     */
    public long position(String readModel) {
        Map<Integer, EventTrackerStatus> local = processor(readModel).processingStatus();
        long lowest = Long.MAX_VALUE;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT segment, token, tokenType FROM TokenEntry WHERE processorName = ?")) {
            statement.setString(1, readModel);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    EventTrackerStatus mine = local.get(rows.getInt(1));
                    long position = mine != null && mine.getCurrentPosition().isPresent()
                            ? mine.getCurrentPosition().getAsLong()
                            : positionOf(rows.getBytes(2), rows.getString(3));
                    lowest = Math.min(lowest, position);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the tokens of " + readModel, e);
        }
        return lowest == Long.MAX_VALUE ? -1 : lowest;
    }

    private long positionOf(byte[] token, String tokenType) {
        if (token == null || tokenType == null) {
            return -1;
        }
        TrackingToken tracking = axon.configuration().serializer()
                .deserialize(new SimpleSerializedObject<>(token, byte[].class, tokenType, null));
        return tracking == null ? -1 : tracking.position().orElse(-1);
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

    @Override
    public Optional<String> rebuilding() {
        long head = head();
        for (String name : READ_MODELS) {
            ProjectionView view = view(name, head);
            if ("REBUILDING".equals(view.state())) {
                return Optional.of(name + " at " + view.progressPercent() + "%");
            }
            // just started: no segment claimed yet, so nothing applied, although the store has events
            if (view.position() < 0 && head >= 0) {
                return Optional.of(name + " starting");
            }
        }
        return Optional.empty();
    }

    @QueryHandler
    public List<ProjectionView> handle(FetchProjectionsQuery query) {
        long head = head();
        List<ProjectionView> views = new ArrayList<>();
        for (String name : READ_MODELS) {
            views.add(view(name, head));
        }
        return views;
    }

    /** Accepted at once; the rebuild runs on its own thread, outside any transaction, and reports through the status. */
    @CommandHandler
    public ProjectionView handle(RebuildProjectionCommand command) {
        if (!READ_MODELS.contains(command.name())) {
            throw new UnknownEntityException("name", "No read model '" + command.name() + "'; there are " + READ_MODELS);
        }
        long head = head();
        rebuilds.put(command.name(), new Rebuild(head));
        rebuildExecutor.submit(() -> rebuild(command.name()));
        return view(command.name(), head);
    }

    /**
     * Rebuilds a read model from the first event: stops its processor, resets its tokens (its reset handler empties
     * its tables in the same step) and starts it again.
     */
    public void rebuild(String readModel) {
        Rebuild rebuild = rebuilds.computeIfAbsent(readModel, name -> new Rebuild(head()));
        LOG.infof("Rebuilding read model %s", readModel);
        StreamingEventProcessor processor = processor(readModel);
        processor.shutDown();
        processor.resetTokens();
        processor.start();
        rebuild.reset().set(true);
    }

    /** One read model's state, position, lag and rebuild progress. */
    public ProjectionView status(String readModel) {
        return view(readModel, head());
    }

    private ProjectionView view(String name, long head) {
        StreamingEventProcessor processor = processor(name);
        long position = position(name);
        int segments = processor.processingStatus().size();
        String error = processor.processingStatus().values().stream()
                .filter(EventTrackerStatus::isErrorState)
                .map(status -> String.valueOf(status.getError()))
                .findFirst().orElse(null);
        Rebuild rebuild = rebuilds.get(name);
        // a segment stays "replaying" after it caught up until the next new event arrives: caught up means done
        boolean replaying = processor.processingStatus().values().stream()
                .anyMatch(segment -> segment.isReplaying() && !segment.isCaughtUp());
        if (rebuild != null && rebuild.reset().get() && !replaying && position >= rebuild.targetPosition()
                && processor.isRunning()) {
            rebuilds.remove(name, rebuild);
            LOG.infof("Read model %s rebuilt up to position %d", name, position);
            rebuild = null;
        }
        String state = error != null || processor.isError() ? "ERROR"
                : rebuild != null || replaying ? "REBUILDING"
                : processor.isRunning() ? "RUNNING" : "STOPPED";
        BigDecimal progress = null;
        Long secondsLeft = null;
        if (rebuild != null) {
            long target = Math.max(rebuild.targetPosition(), 1);
            long done = rebuild.reset().get() ? Math.max(position, 0) : 0;
            progress = BigDecimal.valueOf(Math.min(done, target) * 100.0 / target).setScale(1, RoundingMode.HALF_EVEN);
            long elapsedMillis = Duration.between(rebuild.startedAt(), Instant.now()).toMillis();
            if (done > 0 && elapsedMillis > 0) {
                secondsLeft = (target - Math.min(done, target)) * elapsedMillis / done / 1000;
            }
        }
        return new ProjectionView(name, state, position, head, Math.max(0, head - position), segments, progress,
                secondsLeft, error);
    }

    /** The newest position in the event store; -1 when it is empty. */
    public long head() {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT MAX(globalIndex) FROM DomainEventEntry")) {
            rows.next();
            long head = rows.getLong(1);
            return rows.wasNull() ? -1 : head;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the head of the event store", e);
        }
    }

    public StreamingEventProcessor processor(String readModel) {
        return axon.configuration().eventProcessingConfiguration()
                .eventProcessor(readModel, StreamingEventProcessor.class)
                .orElseThrow(() -> new IllegalArgumentException("No read model '" + readModel + "'"));
    }

    @PreDestroy
    void stop() {
        rebuildExecutor.shutdownNow();
    }
}
