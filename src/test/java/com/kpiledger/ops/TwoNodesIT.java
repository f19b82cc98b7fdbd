package com.kpiledger.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two service processes (the packaged jar) on one PostgreSQL, started at the same moment on an empty database:
 * the read models' segments are shared between them through the token store, commands to either node are projected
 * once, and when the node holding the segments is killed with SIGKILL the other takes them over and the read models
 * still equal a fold of the raw events. Runs after {@code package} (failsafe), so it uses the real jar.
 */
class TwoNodesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static EmbeddedPostgres postgres;
    private static final List<Node> nodes = new ArrayList<>();

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
    void segmentsAreSharedTakenOverAfterAKillAndEveryEventIsProjectedOnce() throws Exception {
        Node a = nodes.get(0);
        Node b = nodes.get(1);
        await(Duration.ofSeconds(60), () -> segments(a, "spend") + segments(b, "spend") == 4
                && segments(a, "funnel") + segments(b, "funnel") == 4, "all segments claimed");

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
        }
        // both nodes answer, and read their own and each other's writes
        for (Node node : nodes) {
            JsonNode summary = get(node, "/api/kpis/summary?from=2030-01-01&to=2030-02-01&minPosition=" + position);
            assertThat(summary.get("leads").asLong()).as(node.id()).isEqualTo(40);
            assertThat(summary.get("customers").asLong()).as(node.id()).isEqualTo(10);
        }

        Node holder = segments(a, "funnel") > 0 ? a : b;
        Node survivor = holder == a ? b : a;
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

        // no event applied twice (the facts' unique keys would have stopped a processor) and nothing lost:
        // the read models equal a fold of the raw events
        for (String kpi : List.of("summary", "funnel")) {
            JsonNode verification = post(survivor, "/api/audit/verifications",
                    Map.of("kpi", kpi, "from", "2030-01-01", "to", "2030-02-01"));
            assertThat(verification.get("match").asBoolean()).as(kpi).isTrue();
        }
        assertThat(status(survivor, "/q/health/ready")).isEqualTo(200);
        assertThat(takeover).as("takeover within Axon's claim timeout plus a claim interval").isLessThan(Duration.ofSeconds(40));
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
                "KPI_LEDGER_NODE_ID", id));
        builder.redirectErrorStream(true);
        builder.redirectOutput(new File("target", "two-nodes-" + id + ".log"));
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
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(node.url(path)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + " " + response.body()).isBetween(200, 201);
        return JSON.readTree(response.body());
    }

    private static JsonNode get(Node node, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(node.url(path)))
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
