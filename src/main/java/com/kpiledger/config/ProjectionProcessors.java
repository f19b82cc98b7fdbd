package com.kpiledger.config;

import com.kpiledger.coreapi.admin.FetchProjectionsQuery;
import com.kpiledger.coreapi.admin.ProjectionView;
import com.kpiledger.coreapi.admin.RebuildProjectionCommand;
import com.kpiledger.coreapi.shared.UnknownEntityException;
import com.kpiledger.query.ReadModelStatus;
import com.kpiledger.query.kpi.KpiAnswerCache;
import com.kpiledger.query.funnel.FunnelProjection;
import com.kpiledger.query.spend.SpendProjection;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.queryhandling.QueryHandler;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The KPI read models' processors: how far they are, waiting for them (read-your-writes), and rebuilding one from
 * the event store while the service runs, with progress. While a read model rebuilds, KPI queries refuse to answer
 * (503 with the progress) rather than present a half-built figure.
 * <p>
 * A rebuild asked of any node is carried out on every node, coordinated through the table {@code read_model_rebuild}
 * (polled by {@link #coordinateRebuilds()} four times a second): STOPPING, every node stops its processor of the read
 * model; the first node that can claim every segment (so no node still processes the old way, a dead node's claims
 * having expired) resets the tokens, which empties the tables, and sets REPLAYING in the same transaction; every node
 * starts its processor again; the first node to see the read model caught up with the head of the request sets DONE.
 */
@ApplicationScoped
public class ProjectionProcessors implements ReadModelStatus {

    private static final Logger LOG = Logger.getLogger(ProjectionProcessors.class);

    /** Every KPI read model's processing group, one pooled streaming processor each. */
    public static final List<String> READ_MODELS = List.of(SpendProjection.PROCESSING_GROUP,
            FunnelProjection.PROCESSING_GROUP);

    private static final Duration REBUILD_RESET_TIMEOUT = Duration.ofMinutes(5);

    @Inject
    AxonConfiguration axon;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ReadModelFailures failures;

    @Inject
    DeadLetters deadLetters;

    @Inject
    KpiAnswerCache kpiAnswers;

    @ConfigProperty(name = "kpi-ledger.node-id")
    String nodeId;

    /** The rebuild generation for which this node stopped a read model's processor, until it starts it again. */
    private final Map<String, Long> stoppedFor = new ConcurrentHashMap<>();
    /** The last rebuild generation this node said it was waiting for other nodes' segments (logged once). */
    private final Map<String, Long> waitingLogged = new ConcurrentHashMap<>();
    enum Phase { STOPPING, REPLAYING, DONE }

    /** A read model's latest rebuild, as every node sees it in the database. */
    record RebuildRow(String readModel, long generation, Phase phase, long targetPosition, Instant requestedAt,
                      String requestedBy) {
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
        return progress(readModel, null);
    }

    /**
     * Below {@link #position()}, an event may still arrive: a transaction that drew a lower index commits after
     * higher ones were applied (a gap in a segment's token, until it is seen), or a parked event is retried from the
     * dead-letter queue.
     */
    @Override
    public Progress progress() {
        long applied = Long.MAX_VALUE;
        SortedSet<Long> gaps = new TreeSet<>();
        boolean parked = false;
        for (String name : READ_MODELS) {
            applied = Math.min(applied, progress(name, gaps));
            parked |= deadLetters.count(name) > 0;
        }
        return new Progress(applied == Long.MAX_VALUE ? -1 : applied, gaps, parked);
    }

    /** A read model's lowest applied position over all its segments, adding their gaps to {@code gaps} if given. */
    private long progress(String readModel, SortedSet<Long> gaps) {
        Map<Integer, EventTrackerStatus> local = processor(readModel).processingStatus();
        long applied = Long.MAX_VALUE;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT segment, token, tokenType FROM TokenEntry WHERE processorName = ?")) {
            statement.setString(1, readModel);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    EventTrackerStatus mine = local.get(rows.getInt(1));
                    TrackingToken token = mine != null ? mine.getTrackingToken() : tokenOf(rows.getBytes(2), rows.getString(3));
                    long position = mine != null && mine.getCurrentPosition().isPresent()
                            ? mine.getCurrentPosition().getAsLong()
                            : token == null ? -1 : token.position().orElse(-1);
                    applied = Math.min(applied, position);
                    if (gaps != null && WrappedToken.unwrapLowerBound(token) instanceof GapAwareTrackingToken gapAware) {
                        gaps.addAll(gapAware.getGaps());
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the tokens of " + readModel, e);
        }
        return applied == Long.MAX_VALUE ? -1 : applied;
    }

    private TrackingToken tokenOf(byte[] token, String tokenType) {
        if (token == null || tokenType == null) {
            return null;
        }
        return axon.configuration().serializer()
                .deserialize(new SimpleSerializedObject<>(token, byte[].class, tokenType, null));
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

    /**
     * Accepted at once: the request is stored (in the command's transaction) for every node to see, and each node's
     * coordination, this one's included, carries it out within a quarter of a second; everyone reports through the
     * status.
     */
    @CommandHandler
    public ProjectionView handle(RebuildProjectionCommand command) {
        if (!READ_MODELS.contains(command.name())) {
            throw new UnknownEntityException("name", "No read model '" + command.name() + "'; there are " + READ_MODELS);
        }
        request(command.name());
        return view(command.name(), head());
    }

    /**
     * Rebuilds a read model from the first event, on every node, and returns once its tokens are reset and this
     * node's processor has started again (the replay then runs in the background).
     */
    public void rebuild(String readModel) {
        awaitReset(readModel, request(readModel));
    }

    /** Stores a new rebuild generation in phase STOPPING, aimed at the head of the store; returns the generation. */
    long request(String readModel) {
        long head = head();
        Timestamp now = Timestamp.from(Instant.now());
        try (Connection connection = dataSource.getConnection()) {
            int updated;
            try (PreparedStatement statement = connection.prepareStatement("UPDATE read_model_rebuild "
                    + "SET generation = generation + 1, phase = 'STOPPING', target_position = ?, requested_at = ?, "
                    + "requested_by = ?, reset_by = NULL WHERE read_model = ?")) {
                statement.setLong(1, head);
                statement.setTimestamp(2, now);
                statement.setString(3, nodeId);
                statement.setString(4, readModel);
                updated = statement.executeUpdate();
            }
            if (updated == 0) {
                try (PreparedStatement statement = connection.prepareStatement("INSERT INTO read_model_rebuild "
                        + "(read_model, generation, phase, target_position, requested_at, requested_by) "
                        + "VALUES (?, 1, 'STOPPING', ?, ?, ?)")) {
                    statement.setString(1, readModel);
                    statement.setLong(2, head);
                    statement.setTimestamp(3, now);
                    statement.setString(4, nodeId);
                    statement.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not request the rebuild of " + readModel, e);
        }
        RebuildRow row = rebuildRow(readModel).orElseThrow();
        LOG.infof("Rebuild %d of read model %s requested by %s, up to position %d", row.generation(), readModel, nodeId,
                head);
        return row.generation();
    }

    /** Drives this node's part until the tokens of the given rebuild (or a later one) are reset. */
    private void awaitReset(String readModel, long generation) {
        long deadline = System.nanoTime() + REBUILD_RESET_TIMEOUT.toNanos();
        while (true) {
            RebuildRow row = coordinate(readModel);
            if (row == null || row.generation() > generation
                    || (row.phase() != Phase.STOPPING && !stoppedFor.containsKey(readModel))) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The rebuild of " + readModel + " could not reset its tokens within "
                        + REBUILD_RESET_TIMEOUT + ": other nodes still hold its segments; it goes on in the background");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    /** One round of this node's part in every read model's rebuild; called four times a second. */
    public void coordinateRebuilds() {
        for (String readModel : READ_MODELS) {
            coordinate(readModel);
        }
    }

    /**
     * Brings this node in line with the read model's rebuild phase: stops its processor while STOPPING (and tries
     * the reset), starts it again after the reset, and marks the rebuild DONE once it has caught up.
     */
    private synchronized RebuildRow coordinate(String readModel) {
        RebuildRow row = rebuildRow(readModel).orElse(null);
        if (row == null) {
            return null;
        }
        StreamingEventProcessor processor = processor(readModel);
        if (row.phase() == Phase.STOPPING) {
            Long stopped = stoppedFor.get(readModel);
            if (stopped == null || stopped < row.generation()) {
                if (processor.isRunning()) {
                    LOG.infof("Stopping the processor of %s for rebuild %d (asked by %s)", readModel,
                            row.generation(), row.requestedBy());
                    processor.shutDown();
                }
                failures.forget(readModel);
                // the rebuilt model should give the same answers; kept ones must not stand in for that check
                kpiAnswers.clear();
                stoppedFor.put(readModel, row.generation());
            }
            if (!reset(row, processor)) {
                return row;
            }
            row = rebuildRow(readModel).orElseThrow();
        }
        if (row.phase() != Phase.STOPPING && stoppedFor.remove(readModel) != null) {
            LOG.infof("Starting the processor of %s again (rebuild %d %s)", readModel, row.generation(),
                    row.phase() == Phase.DONE ? "done" : "replaying");
            processor.start();
        }
        if (row.phase() == Phase.REPLAYING && caughtUp(readModel, row, processor)) {
            markDone(row);
        }
        return row;
    }

    /**
     * Resets the tokens and moves the rebuild to REPLAYING, in one transaction: claiming every segment for the reset
     * fails while another node still holds one, and then nothing changes and the next round tries again.
     */
    private boolean reset(RebuildRow row, StreamingEventProcessor processor) {
        TransactionManager transactions = axon.configuration().getComponent(TransactionManager.class);
        try {
            transactions.executeInTransaction(() -> {
                try (Connection connection = dataSource.getConnection();
                     PreparedStatement statement = connection.prepareStatement("UPDATE read_model_rebuild "
                             + "SET phase = 'REPLAYING', reset_by = ? "
                             + "WHERE read_model = ? AND generation = ? AND phase = 'STOPPING'")) {
                    statement.setString(1, nodeId);
                    statement.setString(2, row.readModel());
                    statement.setLong(3, row.generation());
                    if (statement.executeUpdate() == 1) {
                        processor.resetTokens();
                        LOG.infof("Read model %s reset for rebuild %d: tables emptied, replaying from the first event",
                                row.readModel(), row.generation());
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException("Could not move the rebuild of " + row.readModel() + " on", e);
                }
            });
            return true;
        } catch (UnableToClaimTokenException segmentsStillHeld) {
            if (!Long.valueOf(row.generation()).equals(waitingLogged.put(row.readModel(), row.generation()))) {
                LOG.infof("Rebuild %d of %s waits for the other nodes to release its segments (%s)",
                        row.generation(), row.readModel(), segmentsStillHeld.getMessage());
            }
            return false;
        }
    }

    private boolean caughtUp(String readModel, RebuildRow row, StreamingEventProcessor processor) {
        // a segment stays "replaying" after it caught up until the next new event arrives: caught up means done
        boolean replaying = processor.processingStatus().values().stream()
                .anyMatch(segment -> segment.isReplaying() && !segment.isCaughtUp());
        return !replaying && processor.isRunning() && position(readModel) >= row.targetPosition();
    }

    private void markDone(RebuildRow row) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("UPDATE read_model_rebuild SET phase = 'DONE' "
                     + "WHERE read_model = ? AND generation = ? AND phase = 'REPLAYING'")) {
            statement.setString(1, row.readModel());
            statement.setLong(2, row.generation());
            if (statement.executeUpdate() == 1) {
                LOG.infof("Read model %s rebuilt up to position %d (rebuild %d, %d ms after the request)",
                        row.readModel(), row.targetPosition(), row.generation(),
                        Duration.between(row.requestedAt(), Instant.now()).toMillis());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not mark the rebuild of " + row.readModel() + " done", e);
        }
    }

    Optional<RebuildRow> rebuildRow(String readModel) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT generation, phase, target_position, "
                     + "requested_at, requested_by FROM read_model_rebuild WHERE read_model = ?")) {
            statement.setString(1, readModel);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new RebuildRow(readModel, rows.getLong(1), Phase.valueOf(rows.getString(2)),
                        rows.getLong(3), rows.getTimestamp(4).toInstant(), rows.getString(5)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the rebuild state of " + readModel, e);
        }
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
                .findFirst()
                .or(() -> failures.current(name, position).map(failure -> failure.eventType() + " at position "
                        + failure.position() + " failed at " + failure.at() + ": " + failure.cause()))
                .orElse(null);
        RebuildRow rebuild = rebuildRow(name).orElse(null);
        // caught up counts as done at once, although the coordination marks it DONE only on its next round (its own
        // transaction: a caller's may be read-only or rolled back)
        boolean rebuilding = rebuild != null && rebuild.phase() != Phase.DONE
                && !(rebuild.phase() == Phase.REPLAYING && caughtUp(name, rebuild, processor));
        // the rebuild's phase in the database, not this node's segments: a segment claimed from another node replays
        // for a moment although the read model as a whole has caught up
        String state = error != null || processor.isError() ? "ERROR"
                : rebuilding ? "REBUILDING"
                : processor.isRunning() ? "RUNNING" : "STOPPED";
        BigDecimal progress = null;
        Long secondsLeft = null;
        if (rebuilding) {
            long target = Math.max(rebuild.targetPosition(), 1);
            long done = rebuild.phase() == Phase.REPLAYING ? Math.max(position, 0) : 0;
            progress = BigDecimal.valueOf(Math.min(done, target) * 100.0 / target).setScale(1, RoundingMode.HALF_EVEN);
            long elapsedMillis = Duration.between(rebuild.requestedAt(), Instant.now()).toMillis();
            if (done > 0 && elapsedMillis > 0) {
                secondsLeft = (target - Math.min(done, target)) * elapsedMillis / done / 1000;
            }
        }
        long lag = Math.max(0, head - position);
        return new ProjectionView(name, state, position, head, lag, lag == 0 ? BigDecimal.ZERO : ageOfFirstAfter(position),
                segments, progress,
                secondsLeft, error);
    }

    /**
     * Seconds since the oldest event after the given position was recorded: how long it has waited for the read model.
     */
    private BigDecimal ageOfFirstAfter(long position) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT timeStamp FROM DomainEventEntry "
                     + "WHERE globalIndex = (SELECT MIN(globalIndex) FROM DomainEventEntry WHERE globalIndex > ?)")) {
            statement.setLong(1, position);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return BigDecimal.ZERO;
                }
                long millis = Duration.between(Instant.parse(rows.getString(1)), Instant.now()).toMillis();
                return BigDecimal.valueOf(Math.max(0, millis), 3);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the age of the oldest unapplied event", e);
        }
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
}
