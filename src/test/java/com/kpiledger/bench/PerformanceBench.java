package com.kpiledger.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kpiledger.demo.CrmHistory;
import com.kpiledger.demo.HistoryTier;
import com.kpiledger.support.Tokens;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The performance benchmark of issue 8. Not part of {@code ./mvnw verify}: run it with {@code ./mvnw -Pbench verify}
 * ({@code -Dbench.tier=M} for tier M). It starts PostgreSQL (embedded, or the server in KPI_LEDGER_BENCH_PG_URL,
 * _USER, _PASSWORD, whose schema it wipes), runs the packaged service as a separate process on it, drives it over HTTP
 * from this JVM, and then measures the database's own ceiling for the same event rows with plain JDBC, after the
 * service has stopped. The results go to docs/performance.md between the markers of the tier, and to the console.
 */
class PerformanceBench {

    /** The service verifies bearer tokens with this pair's public key, as production does its issuer's. */
    private static final KeyPair KEYS = Tokens.newKeyPair();
    private static final String TOKEN = "Bearer " + Tokens.sign(KEYS.getPrivate(), "bench", "bench",
            List.of("crm", "analyst", "auditor", "admin"), Instant.now().plus(Duration.ofHours(12)));

    private static HttpRequest.Builder authorized(URI uri) {
        return HttpRequest.newBuilder(uri).header("Authorization", TOKEN);
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final int CONNECTIONS = 16;
    private static final String FROM = "2025-01-01";
    private static final String TO = "2026-01-01";
    private static final List<String> ALL_PHASES = List.of("single", "lag", "bulk", "kpi", "verification", "rebuild");

    private final HistoryTier tier = HistoryTier.valueOf(System.getProperty("bench.tier", "S").trim());
    private final long seed = Long.getLong("bench.seed", 2025);
    private final int singleCommands = Integer.getInteger("bench.single-commands", 20_000);
    private final int lagSeconds = Integer.getInteger("bench.lag-seconds", 20);
    private final int kpiSamples = Integer.getInteger("bench.kpi-samples", 50);
    /**
     * The service's recommended options (README, infra/docker/Dockerfile.jvm): G1 in a 192 MB heap keeps the whole run
     * under 512 MB of RSS on tier M (478 MB measured); the compact verification fold and the bounded capacity meters
     * (BusMetrics, ProcessorMetrics) are what let the heap be that small.
     */
    private final String serviceJvmArgs = System.getProperty("bench.service-jvm-args", "-XX:+UseG1GC -Xmx192m");
    /**
     * Extra environment of the service process, {@code KEY=VALUE} separated by spaces; by default the recommended
     * {@code MALLOC_ARENA_MAX=2} (glibc's per-thread malloc arenas otherwise grow with the request and JIT threads).
     */
    private final String serviceEnv = System.getProperty("bench.service-env", "MALLOC_ARENA_MAX=2").trim();
    /**
     * The phases to run, comma-separated (default all): single, lag, bulk, kpi, verification, rebuild. Memory and the
     * database's ceiling are always measured. Tier L is meant for {@code bulk,rebuild} (its KPI and verification
     * targets are tier M's).
     */
    private final Set<String> phases = phases(System.getProperty("bench.phases", String.join(",", ALL_PHASES)));
    /**
     * With an external database, keep its store instead of wiping it: a tier L store ingested once can then be
     * rebuilt by later builds ({@code -Dbench.phases=rebuild}). The service migrates its schema as usual.
     */
    private final boolean keepStore = Boolean.getBoolean("bench.keep-store");
    private final Map<String, String> results = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    private String jdbcUrl;
    private String user;
    private String password;
    private Process service;
    private int port;

    @Test
    void measure() throws Exception {
        EmbeddedPostgres embedded = null;
        String external = System.getenv("KPI_LEDGER_BENCH_PG_URL");
        if (external != null && !external.isBlank()) {
            jdbcUrl = external;
            user = System.getenv().getOrDefault("KPI_LEDGER_BENCH_PG_USER", "postgres");
            password = System.getenv().getOrDefault("KPI_LEDGER_BENCH_PG_PASSWORD", "");
            if (!keepStore) {
                wipe();
            }
        } else {
            embedded = EmbeddedPostgres.builder().start();
            jdbcUrl = embedded.getJdbcUrl("postgres", "postgres");
            user = "postgres";
            password = "postgres";
        }
        try {
            // the table is written after every phase, so that a run stopped early still leaves what it measured
            startService();
            if (phases.contains("single")) {
                singleCommandIngest();
                write();
            }
            if (phases.contains("lag")) {
                projectionLagUnderLoad();
                write();
            }
            Instant midBulk = phases.contains("bulk") ? bulkIngest() : null;
            write();
            if (phases.contains("kpi")) {
                kpiQueries(midBulk != null ? midBulk : middleOfStore());
                write();
            }
            if (phases.contains("verification")) {
                verification();
                write();
            }
            if (phases.contains("rebuild")) {
                rebuild();
            }
            serviceMemory();
            write();
            stopService();
            databaseCeiling();
            write();
        } finally {
            if (service != null && service.isAlive()) {
                service.destroyForcibly();
            }
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    // --- the service

    private void startService() throws Exception {
        port = freePort();
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        assertThat(jar).as("the packaged service (the bench runs after package)").exists();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(serviceJvmArgs.trim().split("\\s+")));
        command.addAll(List.of("-Dquarkus.http.port=" + port, "-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(Map.of("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl,
                "QUARKUS_DATASOURCE_USERNAME", user, "QUARKUS_DATASOURCE_PASSWORD", password,
                "KPI_LEDGER_NODE_ID", "bench",
                "MP_JWT_VERIFY_PUBLICKEY", Tokens.inline(KEYS), "MP_JWT_VERIFY_ISSUER", "bench"));
        if (!serviceEnv.isEmpty()) {
            for (String variable : serviceEnv.split("\\s+")) {
                String[] keyAndValue = variable.split("=", 2);
                builder.environment().put(keyAndValue[0], keyAndValue.length == 2 ? keyAndValue[1] : "");
            }
        }
        builder.redirectErrorStream(true);
        builder.redirectOutput(new File("target", "bench-service.log"));
        service = builder.start();
        await(Duration.ofSeconds(180), () -> status("/q/health/ready") == 200, "service ready");
        // every segment of both read models: the service's default (4 each) unless the environment sets another
        int segments = 2 * Integer.parseInt(builder.environment().getOrDefault("KPI_LEDGER_PROJECTIONS_SEGMENTS", "4"));
        await(Duration.ofSeconds(60), () -> segmentsClaimed() == segments, "read models' segments claimed");
        results.put("service JVM options", "`" + serviceJvmArgs + "`" + (serviceEnv.isEmpty() ? "" : ", environment `" + serviceEnv + "`"));
    }

    private void stopService() throws InterruptedException {
        service.destroy();
        if (!service.waitFor(30, TimeUnit.SECONDS)) {
            service.destroyForcibly().waitFor();
        }
    }

    // --- phases

    /** Commands one request each, 16 connections; each connection owns a set of aggregates, so order holds per aggregate. */
    private void singleCommandIngest() throws Exception {
        List<List<CommandJson.Request>> perConnection = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            perConnection.add(new ArrayList<>());
        }
        Iterator<Object> history = new CrmHistory(tier, seed, "http-");
        int total = 0;
        while (history.hasNext() && total < singleCommands) {
            CommandJson.Request request = CommandJson.single(history.next());
            perConnection.get(Math.floorMod(request.streamId().hashCode(), CONNECTIONS)).add(request);
            total++;
        }
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong failures = new AtomicLong();
        long eventsBefore = eventCount();
        CpuClock cpu = new CpuClock();
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
        List<Future<?>> done = new ArrayList<>();
        for (List<CommandJson.Request> requests : perConnection) {
            done.add(pool.submit(() -> {
                for (CommandJson.Request request : requests) {
                    long t0 = System.nanoTime();
                    int status = postStatus(request.path(), request.body());
                    latencies.add(System.nanoTime() - t0);
                    if (status != 200 && status != 201) {
                        failures.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : done) {
            future.get();
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - started) / 1e9;
        long events = eventCount() - eventsBefore;
        long[] sorted = sorted(latencies);
        results.put("single-command ingest, HTTP, 16 connections", "%,.0f commands/s (%,d commands, %,d events in %.1f s; %d answered other than 200/201)"
                .formatted(total / seconds, total, events, seconds, failures.get()));
        results.put("single-command latency p50 / p99", "%.1f ms / %.1f ms".formatted(ms(percentile(sorted, 50)), ms(percentile(sorted, 99))));
        results.put("load generator CPU during single-command ingest", "%.0f%% of one core (%.1f CPU s in %.1f s); service process %.0f%% of one core"
                .formatted(100 * cpu.ownSeconds() / seconds, cpu.ownSeconds(), seconds, 100 * cpu.serviceSeconds() / seconds));
        singleRate = total / seconds;
        singleEventRate = events / seconds;
    }

    private double singleRate;
    private double singleEventRate;
    private double bulkEventRate;

    /**
     * Commands at a fixed 1,000/s from 16 connections, while a probe measures, four times a second, how long the read
     * models take to reach the newest position acknowledged to a client.
     */
    private void projectionLagUnderLoad() throws Exception {
        int rate = 1_000;
        List<List<CommandJson.Request>> perConnection = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            perConnection.add(new ArrayList<>());
        }
        Iterator<Object> history = new CrmHistory(tier, seed, "lag-");
        int total = rate * lagSeconds;
        for (int i = 0; i < total && history.hasNext(); i++) {
            CommandJson.Request request = CommandJson.single(history.next());
            perConnection.get(Math.floorMod(request.streamId().hashCode(), CONNECTIONS)).add(request);
        }
        AtomicLong newest = new AtomicLong(-1);
        AtomicLong sent = new AtomicLong();
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS + 1);
        List<Future<?>> done = new ArrayList<>();
        for (List<CommandJson.Request> requests : perConnection) {
            done.add(pool.submit(() -> {
                for (CommandJson.Request request : requests) {
                    // paced by the overall rate: command n is due at n / rate seconds
                    long due = started + sent.getAndIncrement() * 1_000_000_000L / rate;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    JsonNode answer = postJson(request.path(), request.body());
                    if (answer != null && answer.has("position")) {
                        newest.accumulateAndGet(answer.get("position").asLong(), Math::max);
                    }
                }
                return null;
            }));
        }
        List<Long> lags = new ArrayList<>();
        Future<?> probe = pool.submit(() -> {
            while (done.stream().anyMatch(future -> !future.isDone())) {
                long target = newest.get();
                if (target > 0) {
                    long t0 = System.nanoTime();
                    while (readModelPosition() < target) {
                        Thread.sleep(5);
                    }
                    lags.add(System.nanoTime() - t0);
                }
                Thread.sleep(250);
            }
            return null;
        });
        for (Future<?> future : done) {
            future.get();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        probe.get();
        pool.shutdown();
        long[] sorted = lags.stream().mapToLong(Long::longValue).sorted().toArray();
        results.put("projection lag under load (acknowledged write → both read models), p50 / p99 / max",
                "%.0f ms / %.0f ms / %.0f ms (%d samples; target rate %,d commands/s, achieved %,.0f/s)"
                        .formatted(ms(percentile(sorted, 50)), ms(percentile(sorted, 99)), ms(sorted[sorted.length - 1]),
                                sorted.length, rate, sent.get() / seconds));
    }

    /** The whole tier in batches of 1,000, one request at a time (a sync in delivery order). */
    private Instant bulkIngest() throws Exception {
        Iterator<Object> history = new CrmHistory(tier, seed);
        long eventsBefore = eventCount();
        long commands = 0;
        long rejected = 0;
        Instant midway = null;
        long started = System.nanoTime();
        List<Long> latencies = new ArrayList<>();
        while (history.hasNext()) {
            ObjectNode body = CommandJson.JSON.createObjectNode();
            ArrayNode items = body.putArray("commands");
            while (history.hasNext() && items.size() < 1_000) {
                items.add(CommandJson.batchItem(history.next()));
            }
            long t0 = System.nanoTime();
            JsonNode answer = postJson("/api/commands/batch", body.toString());
            latencies.add(System.nanoTime() - t0);
            assertThat(answer).as("batch answer").isNotNull();
            rejected += answer.get("rejected").asLong();
            commands += items.size();
            if (midway == null && commands >= expectedCommands() / 2) {
                midway = Instant.now();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long events = eventCount() - eventsBefore;
        bulkEventRate = events / seconds;
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        results.put("bulk ingest, POST /api/commands/batch (1,000 per request, 1 connection)",
                "%,.0f events/s = %,.0f commands/s (%,d commands, %,d events in %.1f s; %d rejected; request p50 %.0f ms, p99 %.0f ms)"
                        .formatted(bulkEventRate, commands / seconds, commands, events, seconds, rejected,
                                ms(percentile(sorted, 50)), ms(percentile(sorted, 99))));
        long caughtUpStart = System.nanoTime();
        long head = head();
        await(Duration.ofMinutes(30), () -> readModelPosition() >= head, "read models caught up after bulk ingest");
        results.put("read models caught up after bulk ingest", "%.1f s after the last batch was answered"
                .formatted((System.nanoTime() - caughtUpStart) / 1e9));
        results.put("events in the store after ingest", "%,d".formatted(eventCount()));
        return midway == null ? Instant.now() : midway;
    }

    private long expectedCommands = -1;

    private long expectedCommands() {
        if (expectedCommands < 0) {
            expectedCommands = CrmHistory.stream(tier, seed).count();
        }
        return expectedCommands;
    }

    /**
     * The same year's summary asked repeatedly, with and without "as known at": computed every time
     * ({@code Cache-Control: no-cache}, the cost of a question asked for the first time at a position), then served
     * from the answer the service keeps per question and position (a dashboard refreshed while nothing is ingested).
     */
    private void kpiQueries(Instant knownAt) throws Exception {
        String base = "/api/kpis/summary?from=" + FROM + "&to=" + TO + "&groupBy=campaign&currency=EUR";
        String asKnown = base + "&knownAt=" + DateTimeFormatter.ISO_INSTANT.format(knownAt);
        for (boolean computed : new boolean[]{true, false}) {
            for (String query : List.of(base, asKnown)) {
                boolean withKnownAt = query.contains("knownAt");
                int warmUp = Math.max(3, kpiSamples / 10);
                for (int i = 0; i < warmUp; i++) {
                    assertThat(getStatus(query, computed)).isEqualTo(200);
                }
                long[] sorted = new long[kpiSamples];
                for (int i = 0; i < sorted.length; i++) {
                    long t0 = System.nanoTime();
                    assertThat(getStatus(query, computed)).isEqualTo(200);
                    sorted[i] = System.nanoTime() - t0;
                }
                Arrays.sort(sorted);
                results.put("KPI summary groupBy=campaign, a year"
                                + (withKnownAt ? ", with knownAt (midway through bulk ingest)" : "")
                                + (computed ? ", computed each time (Cache-Control: no-cache)" : ", asked again (kept answer)")
                                + ", p50 / p95",
                        "%.1f ms / %.1f ms (%d sequential requests after %d of warm-up)"
                                .formatted(ms(percentile(sorted, 50)), ms(percentile(sorted, 95)), kpiSamples, warmUp));
            }
        }
    }

    private void verification() throws Exception {
        String question = "{\"kpi\":\"summary\",\"from\":\"" + FROM + "\",\"to\":\"" + TO + "\",\"currency\":\"EUR\"}";
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            JsonNode answer = postJson("/api/audit/verifications", question);
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertThat(answer).isNotNull();
            runs.add("%.2f s (match %s, %,d events read)".formatted(seconds, answer.get("match").asText(),
                    answer.get("eventsRead").asLong()));
        }
        results.put("verification of the year's summary (EUR), 3 runs", String.join("; ", runs));
    }

    /** Both read models rebuilt from the first event at once, as an operator would after a fix. */
    private void rebuild() throws Exception {
        long head = head();
        long events = eventCount();
        long started = System.nanoTime();
        for (String readModel : List.of("spend", "funnel")) {
            HttpResponse<String> response = HTTP.send(authorized(uri("/api/admin/projections/" + readModel + "/rebuild"))
                    .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isBetween(200, 202);
        }
        Thread.sleep(200);
        await(Duration.ofMinutes(60), () -> rebuilt(head), "rebuild finished");
        double seconds = (System.nanoTime() - started) / 1e9;
        results.put("full rebuild of both read models (spend and funnel, in parallel)",
                "%,.0f events/s per read model (%,d events each in %.1f s)".formatted(events / seconds, events, seconds));
        rebuildRate = events / seconds;
    }

    private double rebuildRate;

    private void serviceMemory() throws IOException {
        Map<String, String> status = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(service.pid()), "status"))) {
            String[] parts = line.split(":\\s+", 2);
            if (parts.length == 2) {
                status.put(parts[0], parts[1].trim());
            }
        }
        results.put("service process peak RSS (VmHWM) / RSS at the end", status.get("VmHWM") + " / " + status.get("VmRSS"));
    }

    /**
     * The database alone, with the same rows the service stored: JDBC batches of 1,000 rows per transaction on one
     * connection, and one row per commit from 16 connections. Both into a copy of the event table with its indexes.
     */
    private void databaseCeiling() throws Exception {
        List<Object[]> rows = new ArrayList<>();
        int limit = 100_000;
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.setFetchSize(5_000);
            try (ResultSet result = statement.executeQuery("SELECT aggregateIdentifier, sequenceNumber, type, eventIdentifier, "
                    + "metaData, payload, payloadRevision, payloadType, timeStamp FROM DomainEventEntry ORDER BY globalIndex LIMIT " + limit)) {
                while (result.next()) {
                    Object[] row = new Object[9];
                    for (int i = 0; i < 9; i++) {
                        row[i] = result.getObject(i + 1);
                    }
                    rows.add(row);
                }
            }
            connection.commit();
        }
        createCopy("bench_batched");
        long started = System.nanoTime();
        try (Connection connection = connect(); PreparedStatement insert = connection.prepareStatement(insertSql("bench_batched"))) {
            connection.setAutoCommit(false);
            int inBatch = 0;
            for (Object[] row : rows) {
                bind(insert, row);
                insert.addBatch();
                if (++inBatch == 1_000) {
                    insert.executeBatch();
                    connection.commit();
                    inBatch = 0;
                }
            }
            insert.executeBatch();
            connection.commit();
        }
        double batchedRate = rows.size() / ((System.nanoTime() - started) / 1e9);

        createCopy("bench_single");
        int perConnectionRows = Math.min(rows.size(), 40_000) / CONNECTIONS;
        ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
        List<Future<?>> done = new ArrayList<>();
        long singleStarted = System.nanoTime();
        for (int c = 0; c < CONNECTIONS; c++) {
            List<Object[]> share = rows.subList(c * perConnectionRows, (c + 1) * perConnectionRows);
            done.add(pool.submit(() -> {
                try (Connection connection = connect(); PreparedStatement insert = connection.prepareStatement(insertSql("bench_single"))) {
                    connection.setAutoCommit(true);
                    for (Object[] row : share) {
                        bind(insert, row);
                        insert.executeUpdate();
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : done) {
            future.get();
        }
        pool.shutdown();
        double singleRowRate = perConnectionRows * CONNECTIONS / ((System.nanoTime() - singleStarted) / 1e9);

        results.put("database ceiling: JDBC batches of 1,000 rows per commit, 1 connection",
                "%,.0f events/s (%,d rows)".formatted(batchedRate, rows.size()));
        results.put("database ceiling: one row per commit, 16 connections",
                "%,.0f events/s (%,d rows)".formatted(singleRowRate, perConnectionRows * CONNECTIONS));
        if (singleEventRate > 0) {
            results.put("single-command ingest as a fraction of the one-row-per-commit ceiling",
                    "%.0f%% (%,.0f events/s of %,.0f)".formatted(100 * singleEventRate / singleRowRate, singleEventRate, singleRowRate));
        }
        if (bulkEventRate > 0) {
            results.put("bulk ingest as a fraction of the batched ceiling",
                    "%.0f%% (%,.0f events/s of %,.0f)".formatted(100 * bulkEventRate / batchedRate, bulkEventRate, batchedRate));
        }
        if (rebuildRate > 0) {
            results.put("rebuild as a fraction of the batched-insert ceiling",
                    "%.0f%% (%,.0f events/s of %,.0f; a rebuild reads every event and writes read-model rows)".formatted(100 * rebuildRate / batchedRate, rebuildRate, batchedRate));
        }
    }

    private void write() throws IOException {
        StringBuilder table = new StringBuilder();
        table.append("Tier ").append(tier).append(", seed ").append(seed).append(", measured ")
                .append(DateTimeFormatter.ISO_INSTANT.format(Instant.now().atOffset(ZoneOffset.UTC).toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)))
                .append(", PostgreSQL ").append(databaseVersion()).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, load average before the run: ")
                .append(loadAverage)
                .append(phases.containsAll(ALL_PHASES) ? "" : "; phases: " + String.join(", ", phases)
                        + (keepStore ? " (on a kept store)" : ""))
                .append("\n\n| measure | result |\n|---|---|\n");
        results.forEach((measure, result) -> table.append("| ").append(measure).append(" | ").append(result).append(" |\n"));
        System.out.println("\n" + table);
        Path doc = Path.of("docs", "performance.md");
        String start = "<!-- bench:" + tier + " -->";
        String end = "<!-- /bench:" + tier + " -->";
        String text = Files.exists(doc) ? Files.readString(doc) : "# Performance\n";
        String section = start + "\n" + table + end;
        int from = text.indexOf(start);
        int to = text.indexOf(end);
        text = from >= 0 && to > from ? text.substring(0, from) + section + text.substring(to + end.length())
                : text + "\n" + section + "\n";
        Files.writeString(doc, text);
    }

    private final String loadAverage = readLoadAverage();

    private static String readLoadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+", 4)[0] + " (1 min)";
        } catch (IOException unavailable) {
            return "unknown";
        }
    }

    // --- helpers

    private boolean rebuilt(long head) {
        try {
            JsonNode views = getJson("/api/admin/projections");
            for (JsonNode view : views) {
                if (!"RUNNING".equals(view.get("state").asText()) || view.get("position").asLong() < head) {
                    return false;
                }
            }
            return true;
        } catch (Exception unavailable) {
            return false;
        }
    }

    private long readModelPosition() {
        try {
            long lowest = Long.MAX_VALUE;
            for (JsonNode view : getJson("/api/admin/projections")) {
                lowest = Math.min(lowest, view.get("position").asLong());
            }
            return lowest;
        } catch (Exception unavailable) {
            return -1;
        }
    }

    private int segmentsClaimed() {
        try {
            int segments = 0;
            for (JsonNode view : getJson("/api/admin/projections")) {
                segments += view.get("segments").asInt();
            }
            return segments;
        } catch (Exception unavailable) {
            return 0;
        }
    }

    private static Set<String> phases(String list) {
        Set<String> chosen = new LinkedHashSet<>();
        for (String phase : list.split(",")) {
            if (!phase.isBlank()) {
                chosen.add(phase.trim());
            }
        }
        assertThat(ALL_PHASES).as("bench.phases").containsAll(chosen);
        return chosen;
    }

    /** The "as known at" for a store not ingested in this run: when its middle event was recorded. */
    private Instant middleOfStore() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT timeStamp FROM DomainEventEntry ORDER BY globalIndex"
                     + " OFFSET " + eventCount() / 2 + " LIMIT 1")) {
            assertThat(result.next()).as("events in the kept store").isTrue();
            return Instant.parse(result.getString(1));
        }
    }

    private long eventCount() throws SQLException {
        return scalar("SELECT COUNT(*) FROM DomainEventEntry");
    }

    private long head() throws SQLException {
        return scalar("SELECT COALESCE(MAX(globalIndex), -1) FROM DomainEventEntry");
    }

    private String databaseVersion() {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SHOW server_version")) {
            result.next();
            return result.getString(1);
        } catch (SQLException e) {
            return "unknown";
        }
    }

    private long scalar(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private void wipe() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA public CASCADE");
            statement.execute("CREATE SCHEMA public");
        }
    }

    private void createCopy(String table) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + table);
            // the event table of V1__event_store.sql, with its keys and indexes, under another name
            statement.execute("CREATE TABLE " + table + " (globalIndex BIGSERIAL NOT NULL PRIMARY KEY, "
                    + "aggregateIdentifier VARCHAR(255) NOT NULL, sequenceNumber BIGINT NOT NULL, type VARCHAR(255), "
                    + "eventIdentifier VARCHAR(255) NOT NULL UNIQUE, metaData BYTEA, payload BYTEA NOT NULL, "
                    + "payloadRevision VARCHAR(255), payloadType VARCHAR(255) NOT NULL, timeStamp VARCHAR(255) NOT NULL, "
                    + "UNIQUE (aggregateIdentifier, sequenceNumber))");
            statement.execute("CREATE INDEX ix_" + table + "_timestamp ON " + table + " (timeStamp)");
        }
    }

    private static String insertSql(String table) {
        return "INSERT INTO " + table + " (aggregateIdentifier, sequenceNumber, type, eventIdentifier, metaData, payload, "
                + "payloadRevision, payloadType, timeStamp) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    }

    private static void bind(PreparedStatement insert, Object[] row) throws SQLException {
        for (int i = 0; i < row.length; i++) {
            insert.setObject(i + 1, row[i]);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private int postStatus(String path, String body) throws Exception {
        return HTTP.send(post(path, body), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private JsonNode postJson(String path, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(post(path, body), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() < 300 ? CommandJson.JSON.readTree(response.body()) : null;
    }

    private HttpRequest post(String path, String body) {
        return authorized(uri(path)).header("Content-Type", "application/json")
                .header("X-Source-System", CrmHistory.SOURCE)
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(300)).build();
    }

    private int getStatus(String path) throws Exception {
        return getStatus(path, false);
    }

    private int getStatus(String path, boolean computed) throws Exception {
        HttpRequest.Builder request = authorized(uri(path)).timeout(Duration.ofSeconds(60));
        if (computed) {
            request.header("Cache-Control", "no-cache");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private JsonNode getJson(String path) throws Exception {
        return CommandJson.JSON.readTree(HTTP.send(authorized(uri(path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private int status(String path) {
        try {
            return getStatus(path);
        } catch (Exception unavailable) {
            return -1;
        }
    }

    private static long[] sorted(ConcurrentLinkedQueue<Long> values) {
        return values.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    /** Nearest-rank percentile of sorted values. */
    private static long percentile(long[] sorted, int percent) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static void await(Duration timeout, BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Timed out waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** CPU seconds of this JVM (the load generator) and of the service process since it was made. */
    private final class CpuClock {
        private final long ownStart = ownNanos();
        private final long serviceStart = serviceTicks();

        double ownSeconds() {
            return (ownNanos() - ownStart) / 1e9;
        }

        double serviceSeconds() {
            // /proc/<pid>/stat counts in clock ticks, 100 per second on Linux
            return (serviceTicks() - serviceStart) / 100.0;
        }

        private static long ownNanos() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        }

        private long serviceTicks() {
            try {
                String stat = Files.readString(Path.of("/proc", String.valueOf(service.pid()), "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after "pid (comm) "
                return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            } catch (IOException e) {
                return 0;
            }
        }
    }
}
