package com.kpiledger.config;

import com.kpiledger.coreapi.admin.FetchNodesQuery;
import com.kpiledger.coreapi.admin.NodeView;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.queryhandling.QueryHandler;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The nodes that share one database. Each node says it is alive every second (table {@code kpi_node}); a node not
 * heard from within Axon's token claim timeout counts as dead, exactly when its segment claims expire.
 * <p>
 * Sharing the read models' work is Axon's: segments are claimed through the token store, and a dead node's claims
 * are taken over when they expire. Axon 4 without Axon Server does not balance, though: the first node claims every
 * segment and keeps them. So each node holding more than its fair share (segments / live nodes, rounded up) lets go
 * of the surplus for a few seconds ({@link StreamingEventProcessor#releaseSegment}), long enough for another node's
 * processor to claim them. The same thread drives {@link ProjectionProcessors#coordinateRebuilds()}.
 * <p>
 * For that fair share a node counts only while its heartbeat is fresh ({@link #SHARING_WITHIN}), not for the whole
 * claim timeout: a killed node's claims can expire up to a claim-extension interval before its last heartbeat grows
 * ten seconds old, and a survivor that still counted it would let go of the segments it had just taken over, which
 * nobody else would claim (read models stalled for seconds). Counting a slow live node as gone only skips balancing
 * for a round; counting a dead one as alive stalls processing.
 */
@ApplicationScoped
public class ClusterNodes {

    private static final Logger LOG = Logger.getLogger(ClusterNodes.class);

    /** Axon's JdbcTokenStore default claim timeout: a claim older than this may be taken by another node. */
    public static final Duration DEAD_AFTER = Duration.ofSeconds(10);
    /** A node not heard from for this long is forgotten (no longer listed). */
    private static final Duration FORGOTTEN_AFTER = Duration.ofHours(1);
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);
    private static final Duration RELEASE_FOR = Duration.ofSeconds(5);
    /** A node shares the segments while heard from within three heartbeats. */
    static final Duration SHARING_WITHIN = HEARTBEAT.multipliedBy(3);

    @ConfigProperty(name = "kpi-ledger.node-id")
    String nodeId;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ProjectionProcessors processors;

    private ScheduledExecutorService scheduler;
    private final Set<String> failing = ConcurrentHashMap.newKeySet();

    /** After Axon has started (its observer has the default priority), so that the processors exist. */
    void onStart(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 1000) StartupEvent event) {
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "cluster-coordination");
            thread.setDaemon(true);
            return thread;
        });
        register();
        scheduler.scheduleWithFixedDelay(() -> guarded("heartbeat", this::heartbeat),
                HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> guarded("segment balancing", this::balance),
                2 * HEARTBEAT.toMillis(), 2 * HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> guarded("rebuild coordination", processors::coordinateRebuilds),
                0, 250, TimeUnit.MILLISECONDS);
    }

    /** Before Axon shuts down: stop coordinating, and leave the node list at once rather than after a timeout. */
    void onStop(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.LIBRARY_BEFORE) ShutdownEvent event) {
        if (scheduler == null) {
            return;
        }
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
            update("DELETE FROM kpi_node WHERE node_id = ?", nodeId);
            LOG.infof("Node %s left", nodeId);
        } catch (SQLException | InterruptedException e) {
            LOG.warnf("Node %s could not remove itself from the node list (%s); it will count as dead in %d s", nodeId,
                    e.getMessage(), DEAD_AFTER.toSeconds());
        }
    }

    private void register() {
        Instant now = Instant.now();
        try {
            update("DELETE FROM kpi_node WHERE node_id = ?", nodeId);
            update("INSERT INTO kpi_node (node_id, started_at, last_seen) VALUES (?, ?, ?)", nodeId,
                    Timestamp.from(now), Timestamp.from(now));
            LOG.infof("Node %s joined; %d node(s) alive", nodeId, aliveNodes());
        } catch (SQLException e) {
            LOG.warnf("Node %s could not register (%s); the heartbeat will retry", nodeId, e.getMessage());
        }
    }

    /** Node clocks are assumed to agree (as Axon's claim timestamps already assume). */
    void heartbeat() throws SQLException {
        Instant now = Instant.now();
        if (update("UPDATE kpi_node SET last_seen = ? WHERE node_id = ?", Timestamp.from(now), nodeId) == 0) {
            register();
        }
        update("DELETE FROM kpi_node WHERE last_seen < ?", Timestamp.from(now.minus(FORGOTTEN_AFTER)));
    }

    /** Lets go of segments beyond this node's fair share, so that the other live nodes can claim them. */
    void balance() throws SQLException {
        int alive = Math.max(1, nodesHeardWithin(SHARING_WITHIN));
        for (String readModel : ProjectionProcessors.READ_MODELS) {
            int total = segmentCount(readModel);
            if (total == 0) {
                continue;
            }
            int fairShare = (total + alive - 1) / alive;
            StreamingEventProcessor processor = processors.processor(readModel);
            List<Integer> held = new ArrayList<>(processor.processingStatus().keySet());
            held.sort(null);
            for (int i = held.size() - 1; i >= fairShare; i--) {
                LOG.infof("Releasing segment %d of %s for %d s: %d node(s) alive, fair share %d of %d segments",
                        held.get(i), readModel, RELEASE_FOR.toSeconds(), alive, fairShare, total);
                processor.releaseSegment(held.get(i), RELEASE_FOR.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    @QueryHandler
    public List<NodeView> handle(FetchNodesQuery query) {
        Instant deadline = Instant.now().minus(DEAD_AFTER);
        Map<String, Map<String, List<Integer>>> segments = segmentsByOwner();
        List<NodeView> nodes = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT node_id, started_at, last_seen FROM kpi_node ORDER BY node_id");
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                String id = rows.getString(1);
                Instant lastSeen = rows.getTimestamp(3).toInstant();
                nodes.add(new NodeView(id, rows.getTimestamp(2).toInstant(), lastSeen, lastSeen.isAfter(deadline),
                        segments.getOrDefault(id, Map.of())));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the node list", e);
        }
        return nodes;
    }

    private Map<String, Map<String, List<Integer>>> segmentsByOwner() {
        Map<String, Map<String, List<Integer>>> byOwner = new TreeMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT owner, processorName, segment FROM TokenEntry WHERE owner IS NOT NULL "
                             + "ORDER BY processorName, segment");
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                byOwner.computeIfAbsent(rows.getString(1), owner -> new LinkedHashMap<>())
                        .computeIfAbsent(rows.getString(2), processor -> new ArrayList<>())
                        .add(rows.getInt(3));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the segment claims", e);
        }
        return byOwner;
    }

    int aliveNodes() throws SQLException {
        return nodesHeardWithin(DEAD_AFTER);
    }

    int nodesHeardWithin(Duration window) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT COUNT(*) FROM kpi_node WHERE last_seen > ?")) {
            statement.setTimestamp(1, Timestamp.from(Instant.now().minus(window)));
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private int segmentCount(String readModel) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT COUNT(*) FROM TokenEntry WHERE processorName = ?")) {
            statement.setString(1, readModel);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private int update(String sql, Object... parameters) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        }
    }

    /**
     * A failed round (the database away, say) is tried again next time and must not end the schedule; it is logged
     * once when the task starts failing and once when it works again, not four times a second.
     */
    private void guarded(String what, ThrowingRunnable task) {
        try {
            task.run();
            if (failing.remove(what)) {
                LOG.infof("%s works again", what);
            }
        } catch (Exception | LinkageError e) {
            if (failing.add(what)) {
                LOG.warnf(e, "%s failed; trying again until it works", what);
            }
        }
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
