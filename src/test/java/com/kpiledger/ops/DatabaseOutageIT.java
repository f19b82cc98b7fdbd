package com.kpiledger.ops;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static com.kpiledger.ops.ServiceProcess.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database goes away under the packaged service (on embedded PostgreSQL), in two ways: the network to it is cut
 * (a TCP proxy resets every connection and refuses new ones) and the PostgreSQL server itself is stopped and
 * restarted during traffic. Readiness goes DOWN, commands answer 503 problem+json quickly (never 500, never a hang),
 * liveness stays UP, and the service recovers by itself; nothing acknowledged is lost or doubled.
 */
class DatabaseOutageIT {

    private static final int CUTS = 3;
    private static final int COMMANDS_PER_CUT = 5;
    private static final Duration NO_HANG = Duration.ofSeconds(15);

    private static Path dataDirectory;
    private static int postgresPort;
    private static EmbeddedPostgres postgres;
    private static TcpProxy proxy;
    private static ServiceProcess service;

    @BeforeAll
    static void start() throws Exception {
        dataDirectory = Files.createTempDirectory("kpi-ledger-outage-pg");
        postgresPort = ServiceProcess.freePort();
        postgres = startPostgres();
        proxy = new TcpProxy(postgresPort);
        service = new ServiceProcess("outage-node",
                "jdbc:postgresql://localhost:" + proxy.port() + "/postgres");
        service.start();
        assertThat(service.post("/api/campaigns", """
                {"campaignId":"outage","name":"Outage","channel":"email","currency":"EUR","launchedOn":"2030-01-01"}
                """).status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.kill();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private static EmbeddedPostgres startPostgres() throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false)
                .setPort(postgresPort).start();
    }

    @Test
    void aCutNetworkAnswers503AndTheServiceHealsItself() throws Exception {
        List<String> acknowledged = new ArrayList<>();
        List<Long> answerMillis = new ArrayList<>();
        List<Long> downMillis = new ArrayList<>();
        List<Long> recoveryMillis = new ArrayList<>();
        int refused = 0;
        for (int cut = 0; cut < CUTS; cut++) {
            acknowledged.add(capture("cut-" + cut + "-before", 201));

            long cutAt = System.nanoTime();
            proxy.cut();
            await(Duration.ofSeconds(30), () -> service.status("/q/health/ready") == 503, "readiness DOWN");
            downMillis.add((System.nanoTime() - cutAt) / 1_000_000);
            for (int i = 0; i < COMMANDS_PER_CUT; i++) {
                ServiceProcess.Answer answer = service.post("/api/leads", lead("cut-" + cut + "-during-" + i));
                assertThat(answer.status()).as(answer.body()).isEqualTo(503);
                assertThat(answer.contentType()).startsWith("application/problem+json");
                assertThat(answer.retryAfter()).isEqualTo("5");
                assertThat(answer.json().get("type").asText()).isEqualTo("urn:kpi-ledger:problem:store-unavailable");
                assertThat(answer.millis()).as("no hang").isLessThan(NO_HANG.toMillis());
                answerMillis.add(answer.millis());
                refused++;
            }
            assertThat(service.get("/api/leads/cut-0-before/history").status()).isEqualTo(503);
            assertThat(service.status("/q/health/live")).isEqualTo(200);

            long restoredAt = System.nanoTime();
            proxy.restore();
            await(Duration.ofSeconds(120), () -> service.status("/q/health/ready") == 200, "readiness UP again");
            recoveryMillis.add((System.nanoTime() - restoredAt) / 1_000_000);
            acknowledged.add(capture("cut-" + cut + "-after", 201));
        }

        assertEachStoredOnce(acknowledged);
        for (int cut = 0; cut < CUTS; cut++) {
            for (int i = 0; i < COMMANDS_PER_CUT; i++) {
                assertThat(countEvents("lead:cut-" + cut + "-during-" + i)).as("refused, so not stored").isZero();
            }
        }
        assertReadModelsMatchTheEvents();
        System.out.printf("DatabaseOutageIT: %d network cuts; %d commands during them all 503 problem+json in "
                        + "%d-%d ms; readiness DOWN after %s ms; ready again %s ms after restore; %d acknowledged "
                        + "commands stored once%n", CUTS, refused, Collections.min(answerMillis),
                Collections.max(answerMillis), downMillis, recoveryMillis, acknowledged.size());
    }

    /**
     * Packets dropped, no reset: without a socket timeout a statement would wait for the operating system's TCP
     * timeout. The production profile sets the driver's socketTimeout (30 s) and loginTimeout (10 s).
     */
    @Test
    void aSilentNetworkAnswers503WithinTheSocketTimeoutAndHeals() throws Exception {
        List<String> acknowledged = new ArrayList<>();
        acknowledged.add(capture("silent-before", 201));

        proxy.silence();
        long silencedAt = System.nanoTime();
        ServiceProcess.Answer answer = service.post("/api/leads", lead("silent-during"));
        assertThat(answer.status()).as(answer.body()).isEqualTo(503);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.millis()).as("bounded by the socket timeout").isLessThan(45_000);
        await(Duration.ofSeconds(120), () -> service.status("/q/health/ready") == 503, "readiness DOWN");
        long downMillis = (System.nanoTime() - silencedAt) / 1_000_000;
        assertThat(service.status("/q/health/live")).isEqualTo(200);

        long restoredAt = System.nanoTime();
        proxy.restore();
        await(Duration.ofSeconds(120), () -> service.status("/q/health/ready") == 200, "readiness UP again");
        long recoveryMillis = (System.nanoTime() - restoredAt) / 1_000_000;
        acknowledged.add(capture("silent-after", 201));

        assertEachStoredOnce(acknowledged);
        assertThat(countEvents("lead:silent-during")).isZero();
        assertReadModelsMatchTheEvents();
        System.out.printf("DatabaseOutageIT: silent network (no reset): a command answered 503 problem+json after "
                + "%d ms; readiness DOWN after %d ms; ready again %d ms after the network returned%n",
                answer.millis(), downMillis, recoveryMillis);
    }

    @Test
    void postgresStoppedAndRestartedDuringTraffic() throws Exception {
        Map<String, Integer> outcomes = new ConcurrentHashMap<>();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger sequence = new AtomicInteger();
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            Thread client = new Thread(() -> {
                while (running.get()) {
                    String leadId = "traffic-" + sequence.incrementAndGet();
                    ServiceProcess.Answer answer = service.post("/api/leads", lead(leadId));
                    outcomes.put(leadId, answer.status());
                    statuses.computeIfAbsent(answer.status(), s -> new AtomicInteger()).incrementAndGet();
                    if (answer.status() == 503 && !answer.contentType().startsWith("application/problem+json")
                            || answer.status() != 201 && answer.status() != 503
                            || answer.millis() > NO_HANG.toMillis()) {
                        unexpected.add(answer.status() + " in " + answer.millis() + " ms: " + answer.body());
                    }
                }
            }, "traffic-" + t);
            clients.add(client);
            client.start();
        }
        Thread.sleep(3000);
        postgres.close();
        long stoppedAt = System.nanoTime();
        await(Duration.ofSeconds(30), () -> statuses.containsKey(503), "a 503 while the database is down");
        Thread.sleep(3000);
        postgres = startPostgres();
        long restartedAt = System.nanoTime();
        long downMillis = (restartedAt - stoppedAt) / 1_000_000;
        await(Duration.ofSeconds(120), () -> service.status("/q/health/ready") == 200, "ready after the restart");
        long readyMillis = (System.nanoTime() - restartedAt) / 1_000_000;
        int acknowledgedBefore = count(outcomes, 201);
        Thread.sleep(3000);
        running.set(false);
        for (Thread client : clients) {
            client.join(60_000);
        }

        assertThat(unexpected).as("only 201, or 503 problem+json, each within " + NO_HANG).isEmpty();
        assertThat(count(outcomes, 201)).as("commands succeed again after the restart").isGreaterThan(acknowledgedBefore);
        List<String> acknowledged = outcomes.entrySet().stream().filter(e -> e.getValue() == 201)
                .map(Map.Entry::getKey).toList();
        assertEachStoredOnce(acknowledged);
        assertReadModelsMatchTheEvents();
        Map<Integer, Integer> counted = new TreeMap<>();
        statuses.forEach((status, n) -> counted.put(status, n.get()));
        System.out.printf("DatabaseOutageIT: PostgreSQL stopped for %d ms during traffic from 3 clients; answers "
                        + "%s; ready %d ms after the restart; %d acknowledged commands stored once; no 500, no hang%n",
                downMillis, counted, readyMillis, acknowledged.size());
    }

    private static String capture(String leadId, int expectedStatus) {
        ServiceProcess.Answer answer = service.post("/api/leads", lead(leadId));
        assertThat(answer.status()).as(answer.body()).isEqualTo(expectedStatus);
        return leadId;
    }

    private static String lead(String leadId) {
        return """
                {"leadId":"%s","campaignId":"outage","capturedAt":"2030-01-02T10:00:00Z"}
                """.formatted(leadId);
    }

    private static int count(Map<String, Integer> outcomes, int status) {
        return (int) outcomes.values().stream().filter(s -> s == status).count();
    }

    private static void assertEachStoredOnce(List<String> leadIds) throws Exception {
        for (String leadId : leadIds) {
            assertThat(countEvents("lead:" + leadId)).as(leadId).isEqualTo(1);
        }
    }

    private static long countEvents(String stream) throws Exception {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT COUNT(*) FROM DomainEventEntry WHERE aggregateIdentifier = ?")) {
            select.setString(1, stream);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** Caught up with the head, and equal to a fold of the raw events (nothing applied twice or skipped). */
    private static void assertReadModelsMatchTheEvents() throws Exception {
        service.assertReadModelsMatchTheEvents(Duration.ofSeconds(60));
    }
}
