package com.kpiledger.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kpiledger.support.Tokens;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged service (target/quarkus-app) as a separate process on a given PostgreSQL, and HTTP calls to it. */
final class ServiceProcess {

    static final ObjectMapper JSON = new ObjectMapper();
    /** The service verifies bearer tokens with this pair's public key (as production does with its issuer's). */
    private static final KeyPair KEYS = Tokens.newKeyPair();
    private static final String TOKEN = "Bearer " + Tokens.sign(KEYS.getPrivate(), "service-process-it", "driver",
            List.of("crm", "analyst", "auditor", "admin"), Instant.now().plus(Duration.ofHours(4)));
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Answer(int status, String contentType, String retryAfter, String body, long millis) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("Not JSON: " + body, e);
            }
        }
    }

    private final String id;
    private final String jdbcUrl;
    private final int port;
    private final Map<String, String> environment = new HashMap<>();
    private Process process;
    private int starts;

    ServiceProcess(String id, String jdbcUrl) throws IOException {
        this.id = id;
        this.jdbcUrl = jdbcUrl;
        this.port = freePort();
    }

    ServiceProcess with(String variable, String value) {
        environment.put(variable, value);
        return this;
    }

    /** Starts the jar (again, after a kill: same port, log appended) and waits until it is ready. */
    void start() throws Exception {
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
                "MP_JWT_VERIFY_ISSUER", "service-process-it"));
        builder.environment().putAll(environment);
        builder.redirectErrorStream(true);
        File log = new File("target", id + ".log");
        builder.redirectOutput(starts++ == 0 ? ProcessBuilder.Redirect.to(log) : ProcessBuilder.Redirect.appendTo(log));
        process = builder.start();
        await(Duration.ofSeconds(180), () -> status("/q/health/ready") == 200, id + " ready");
    }

    /** SIGKILL: no shutdown hook, no graceful close of anything. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor();
        }
    }

    Answer post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Answer get(String path) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).GET());
    }

    int status(String path) {
        return get(path).status();
    }

    private Answer send(HttpRequest.Builder request) {
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = HTTP.send(request.header("Authorization", TOKEN)
                            .timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.headers().firstValue("Retry-After").orElse(null), response.body(),
                    (System.nanoTime() - started) / 1_000_000);
        } catch (IOException e) {
            return new Answer(-1, "", null, e.toString(), (System.nanoTime() - started) / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, "", null, e.toString(), (System.nanoTime() - started) / 1_000_000);
        }
    }

    /**
     * Waits until every read model is RUNNING without lag, then checks that the summary and the funnel of January 2030
     * (where the fault tests write) equal a fold of the raw events: nothing applied twice or skipped.
     */
    void assertReadModelsMatchTheEvents(Duration timeout) throws InterruptedException {
        await(timeout, () -> {
            Answer projections = get("/api/admin/projections");
            if (projections.status() != 200) {
                return false;
            }
            for (JsonNode view : projections.json()) {
                if (view.get("lag").asLong() != 0 || !"RUNNING".equals(view.get("state").asText())) {
                    return false;
                }
            }
            return true;
        }, "read models caught up");
        for (String kpi : List.of("summary", "funnel")) {
            Answer verification = post("/api/audit/verifications",
                    "{\"kpi\":\"" + kpi + "\",\"from\":\"2030-01-01\",\"to\":\"2030-02-01\"}");
            assertThat(verification.status()).as(verification.body()).isEqualTo(200);
            assertThat(verification.json().get("match").asBoolean()).as(kpi + " " + verification.body()).isTrue();
        }
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    static void await(Duration timeout, BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Timed out after " + timeout + " waiting for: " + what);
            }
            Thread.sleep(200);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
