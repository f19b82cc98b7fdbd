package com.kpiledger.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kpiledger.support.Tokens;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two service processes (the packaged jar) on one PostgreSQL, started at the same moment on an empty database:
 * the read models' segments are shared between them through the token store (two each), commands to either node are
 * projected once (each row names the node that applied it), a rebuild asked of one node is carried out by both, and
 * when a node is killed with SIGKILL the other takes its segments over and the read models still equal a fold of the
 * raw events. Runs after {@code package} (failsafe), so it uses the real jar.
 */
class TwoNodesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The nodes verify bearer tokens with this pair's public key; the test signs with its private key. */
    private static final KeyPair KEYS = Tokens.newKeyPair();
    private static final String TOKEN = "Bearer " + Tokens.sign(KEYS.getPrivate(), "two-nodes-it", "operator",
            List.of("crm", "analyst", "auditor", "admin"), Instant.now().plus(Duration.ofHours(2)));

    private static EmbeddedPostgres postgres;
    private static final List<Node> nodes = new ArrayList<>();
    private static final List<String> READ_MODELS = List.of("spend", "funnel");

    private record Node(String id, int port, Process process) {
        String url(String path) {
            return "http://localhost:" + port + path;
        }
    }

    @BeforeAll
    static void startTwoNodesAtOnce() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        String jdbcUrl = postgres.getJdbcUrl("postgres", "postgres");
        nodes.add(start("node-a", jdbcUrl));
        nodes.add(start("node-b", jdbcUrl));
        for (Node node : nodes) {
            await(Duration.ofSeconds(120), () -> status(node, "/q/health/ready") == 200, node.id() + " ready");
        }
    }

    @AfterAll
    static void stop() throws IOException {
        for (Node node : nodes) {
            node.process().destroyForcibly();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void segmentsAreSharedRebuildsRunOnEveryNodeTakeoverAfterAKillAndEveryEventIsProjectedOnce() throws Exception {
        Node a = nodes.get(0);
        Node b = nodes.get(1);
        // started together on an empty token table: one set of segments, shared fairly once both nodes are alive
        await(Duration.ofSeconds(60), () -> READ_MODELS.stream().allMatch(readModel ->
                segments(a, readModel) == 2 && segments(b, readModel) == 2), "two segments of each read model per node");
        assertThat(sql("SELECT processorName, COUNT(*) FROM TokenEntry GROUP BY processorName ORDER BY 1"))
                .containsExactly(List.of("funnel", "4"), List.of("spend", "4"));
        JsonNode listed = get(a, "/api/admin/nodes");
        assertThat(listed).hasSize(2);
        listed.forEach(node -> assertThat(node.get("alive").asBoolean()).as(node.toString()).isTrue());

        post(a, "/api/campaigns", Map.of("campaignId", "multi-1", "name", "Multi", "channel", "email",
                "currency", "EUR", "launchedOn", "2030-01-01"));
        long position = 0;
        for (int i = 0; i < 40; i++) {
            Node to = i % 2 == 0 ? a : b;
            position = Math.max(position, post(to, "/api/leads", Map.of("leadId", "ml-" + i, "campaignId", "multi-1",
                    "capturedAt", "2030-01-02T10:00:00Z")).get("position").asLong());
            if (i % 4 == 0) {
                position = Math.max(position, post(to, "/api/leads/ml-" + i + "/deals", Map.of("dealId", "d-1",
                        "outcome", "WON", "amount", 100, "currency", "EUR", "grossMargin", 0.5,
                        "closedAt", "2030-01-10T10:00:00Z")).get("position").asLong());
            }
            if (i % 5 == 0) {
                // the campaign's spend from both nodes, into the same monthly spend rows
                position = Math.max(position, post(to, "/api/campaigns/multi-1/spend", Map.of("spendId", "s-" + i,
                        "amount", 10 + i, "currency", "EUR", "spentOn", "2030-01-0" + (1 + i / 5),
                        "costType", "MEDIA")).get("position").asLong());
            }
        }
        // both nodes answer, and read their own and each other's writes
        for (Node node : nodes) {
            JsonNode summary = get(node, "/api/kpis/summary?from=2030-01-01&to=2030-02-01&minPosition=" + position);
            assertThat(summary.get("leads").asLong()).as(node.id()).isEqualTo(40);
            assertThat(summary.get("customers").asLong()).as(node.id()).isEqualTo(10);
            assertThat(summary.get("spend").decimalValue()).as(node.id()).isEqualByComparingTo("220");
        }
        // what each node applied: both took part, and every lead's capture was applied once, by one of them
        List<List<String>> appliedBy = sql("SELECT applied_by, COUNT(*) FROM kpi_lead GROUP BY applied_by ORDER BY 1");
        System.out.printf("TwoNodesIT: leads projected by node: %s%n", appliedBy);
        assertThat(appliedBy).extracting(row -> row.get(0)).containsExactly("node-a", "node-b");
        assertThat(appliedBy.stream().mapToInt(row -> Integer.parseInt(row.get(1))).sum()).isEqualTo(40);
        assertThat(sql("SELECT COUNT(*) FROM kpi_stage_entry WHERE stage = 'LEAD'")).containsExactly(List.of("40"));
        assertEveryEventProjectedOnce();
        assertThat(logOf(a)).as("node-a's log").doesNotContain(" ERROR ");
        assertThat(logOf(b)).as("node-b's log").doesNotContain(" ERROR ");

        // a rebuild asked of node A is carried out by both nodes: each stops its processor, one resets, both replay
        Instant rebuildAsked = Instant.now();
        for (String readModel : READ_MODELS) {
            postExpecting(a, "/api/admin/projections/" + readModel + "/rebuild", Map.of(), 202);
        }
        await(Duration.ofSeconds(60), () -> sql("SELECT phase FROM read_model_rebuild ORDER BY read_model")
                .equals(List.of(List.of("DONE"), List.of("DONE"))), "both rebuilds done");
        System.out.printf("TwoNodesIT: rebuild of both read models asked of node-a, done after %d ms%n",
                Duration.between(rebuildAsked, Instant.now()).toMillis());
        for (Node node : nodes) {
            for (String readModel : READ_MODELS) {
                assertThat(logOf(node)).as(node.id() + " stopped for the rebuild of " + readModel)
                        .contains("Stopping the processor of " + readModel + " for rebuild 1 (asked by node-a)")
                        .contains("Starting the processor of " + readModel + " again (rebuild 1");
            }
            JsonNode summary = get(node, "/api/kpis/summary?from=2030-01-01&to=2030-02-01&minPosition=" + position);
            assertThat(summary.get("leads").asLong()).as(node.id() + " after the rebuild").isEqualTo(40);
            assertThat(summary.get("customers").asLong()).as(node.id() + " after the rebuild").isEqualTo(10);
        }
        assertEveryEventProjectedOnce();
        await(Duration.ofSeconds(60), () -> READ_MODELS.stream().allMatch(readModel ->
                segments(a, readModel) == 2 && segments(b, readModel) == 2), "segments shared again after the rebuild");

        Node holder = a;
        Node survivor = b;
        holder.process().destroyForcibly().waitFor();
        Instant killedAt = Instant.now();
        await(Duration.ofSeconds(60), () -> segments(survivor, "spend") == 4 && segments(survivor, "funnel") == 4,
                "the survivor takes over every segment");
        Duration takeover = Duration.between(killedAt, Instant.now());
        System.out.printf("TwoNodesIT: %s killed, %s held all segments after %d ms%n", holder.id(), survivor.id(),
                takeover.toMillis());

        for (int i = 40; i < 50; i++) {
            position = Math.max(position, post(survivor, "/api/leads", Map.of("leadId", "ml-" + i,
                    "campaignId", "multi-1", "capturedAt", "2030-01-03T10:00:00Z")).get("position").asLong());
        }
        JsonNode summary = get(survivor, "/api/kpis/summary?from=2030-01-01&to=2030-02-01&minPosition=" + position);
        assertThat(summary.get("leads").asLong()).isEqualTo(50);

        // nothing applied twice, nothing lost: the read models equal a fold of the raw events
        assertEveryEventProjectedOnce();
        for (String kpi : List.of("summary", "funnel")) {
            JsonNode verification = post(survivor, "/api/audit/verifications",
                    Map.of("kpi", kpi, "from", "2030-01-01", "to", "2030-02-01"));
            assertThat(verification.get("match").asBoolean()).as(kpi).isTrue();
        }
        assertThat(status(survivor, "/q/health/ready")).isEqualTo(200);
        JsonNode afterKill = get(survivor, "/api/admin/nodes");
        assertThat(afterKill).anySatisfy(node -> {
            assertThat(node.get("nodeId").asText()).isEqualTo(holder.id());
            assertThat(node.get("alive").asBoolean()).isFalse();
        });
        assertThat(takeover).as("takeover within Axon's claim timeout plus a claim interval").isLessThan(Duration.ofSeconds(40));
    }

    /**
     * Every event's facts exist once: one row per event (and per stage, for stage entries), every lead capture in the
     * store has its lead row, and the monthly spend rows count every spend fact once.
     */
    private static void assertEveryEventProjectedOnce() throws SQLException {
        for (String table : List.of("kpi_spend_fact", "kpi_disqualification", "kpi_deal")) {
            assertThat(sql("SELECT event_id FROM " + table + " GROUP BY event_id HAVING COUNT(*) > 1")).as(table)
                    .isEmpty();
        }
        assertThat(sql("SELECT event_id, stage FROM kpi_stage_entry GROUP BY event_id, stage HAVING COUNT(*) > 1"))
                .isEmpty();
        assertThat(sql("SELECT COUNT(*) FROM kpi_lead"))
                .isEqualTo(sql("SELECT COUNT(*) FROM DomainEventEntry WHERE payloadType LIKE '%LeadCapturedEvent'"));
        assertThat(sql("SELECT COUNT(*) FROM kpi_deal"))
                .isEqualTo(sql("SELECT COUNT(*) FROM DomainEventEntry WHERE payloadType LIKE '%DealClosedEvent'"));
        // the monthly spend rows sum every fact once, whichever node applied it
        assertThat(sql("SELECT COALESCE(SUM(facts), 0), COALESCE(SUM(amount), 0) FROM kpi_spend_month"))
                .isEqualTo(sql("SELECT COUNT(*), COALESCE(SUM(amount_delta), 0) FROM kpi_spend_fact"));
    }

    private static List<List<String>> sql(String query) {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(query)) {
            List<List<String>> result = new ArrayList<>();
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(rows.getString(i));
                }
                result.add(row);
            }
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException(query, e);
        }
    }

    private static String logOf(Node node) throws IOException {
        return Files.readString(logFile(node.id()));
    }

    private static Path logFile(String nodeId) {
        return Path.of("target", "two-nodes-" + nodeId + ".log");
    }

    private static Node start(String id, String jdbcUrl) throws IOException {
        int port = freePort();
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        assertThat(jar).as("the packaged service (failsafe runs after package)").exists();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=" + port, "-jar", jar.toString());
        builder.environment().putAll(Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl,
                "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "QUARKUS_DATASOURCE_PASSWORD", "postgres",
                "KPI_LEDGER_NODE_ID", id,
                "MP_JWT_VERIFY_PUBLICKEY", Tokens.inline(KEYS),
                "MP_JWT_VERIFY_ISSUER", "two-nodes-it"));
        builder.redirectErrorStream(true);
        builder.redirectOutput(logFile(id).toFile());
        return new Node(id, port, builder.start());
    }

    private static int segments(Node node, String readModel) {
        try {
            for (JsonNode view : get(node, "/api/admin/projections")) {
                if (view.get("name").asText().equals(readModel)) {
                    return view.get("segments").asInt();
                }
            }
            return 0;
        } catch (Exception unavailable) {
            return 0;
        }
    }

    private static JsonNode post(Node node, String path, Map<String, Object> body) throws Exception {
        HttpResponse<String> response = send(node, path, body);
        assertThat(response.statusCode()).as(path + " " + response.body()).isBetween(200, 201);
        return JSON.readTree(response.body());
    }

    private static void postExpecting(Node node, String path, Map<String, Object> body, int status) throws Exception {
        HttpResponse<String> response = send(node, path, body);
        assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(status);
    }

    private static HttpResponse<String> send(Node node, String path, Map<String, Object> body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(node.url(path)))
                .header("Content-Type", "application/json")
                .header("Authorization", TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode get(Node node, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(node.url(path)))
                .header("Authorization", TOKEN)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static int status(Node node, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(node.url(path))).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception unavailable) {
            return -1;
        }
    }

    private static void await(Duration timeout, BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Timed out waiting for: " + what);
            }
            Thread.sleep(250);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
