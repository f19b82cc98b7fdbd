package com.kpiledger.config;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Segment balancing between nodes, seen from this (single) node: a node that has just died — its heartbeat a few
 * seconds old, so it is still listed alive until its claims expire — must not make this node let go of segments,
 * since nobody would claim them (the read models would stall). (A live node is not simulated here: this node would
 * then really let go of half its segments for a few seconds, under the other tests' feet; TwoNodesIT covers it.)
 */
@QuarkusTest
class ClusterNodesTest {

    private static final String GHOST = "ghost-node";

    @Inject
    ClusterNodes nodes;

    @Inject
    ProjectionProcessors processors;

    @Inject
    AgroalDataSource dataSource;

    @AfterEach
    void forgetTheGhost() throws SQLException {
        execute("DELETE FROM kpi_node WHERE node_id = ?", GHOST);
    }

    @Test
    void aNodeSilentForSecondsIsListedAliveButNotGivenSegments() throws Exception {
        Map<String, Integer> held = awaitAllSegmentsHeld();
        Instant fiveSecondsAgo = Instant.now().minusSeconds(5);
        execute("INSERT INTO kpi_node (node_id, started_at, last_seen) VALUES (?, ?, ?)", GHOST,
                Timestamp.from(fiveSecondsAgo.minusSeconds(60)), Timestamp.from(fiveSecondsAgo));

        assertThat(nodes.aliveNodes()).as("listed alive: its claims have not expired yet").isEqualTo(2);
        assertThat(nodes.nodesHeardWithin(ClusterNodes.SHARING_WITHIN)).as("sharing segments").isEqualTo(1);
        assertThat(nodes.nodesHeardWithin(Duration.ofSeconds(7))).as("heard within 7 s").isEqualTo(2);
        nodes.balance();
        // a release takes effect when the processor's coordinator next runs (at once): watch for a while
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(segmentsHeld()).as("nothing let go for a node that cannot claim it").isEqualTo(held));
    }

    private Map<String, Integer> awaitAllSegmentsHeld() {
        Map<String, Integer> all = new TreeMap<>();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String readModel : ProjectionProcessors.READ_MODELS) {
                all.put(readModel, processors.processor(readModel).processingStatus().size());
            }
            assertThat(all.values()).allSatisfy(count -> assertThat(count).isPositive());
            assertThat(all).isEqualTo(tokenCounts());
        });
        return all;
    }

    private Map<String, Integer> segmentsHeld() {
        Map<String, Integer> held = new TreeMap<>();
        for (String readModel : ProjectionProcessors.READ_MODELS) {
            held.put(readModel, processors.processor(readModel).processingStatus().size());
        }
        return held;
    }

    private Map<String, Integer> tokenCounts() throws SQLException {
        Map<String, Integer> counts = new TreeMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT processorName, COUNT(*) FROM TokenEntry GROUP BY processorName");
             var rows = statement.executeQuery()) {
            while (rows.next()) {
                if (ProjectionProcessors.READ_MODELS.contains(rows.getString(1))) {
                    counts.put(rows.getString(1), rows.getInt(2));
                }
            }
        }
        return counts;
    }

    private void execute(String sql, Object... parameters) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }
}
