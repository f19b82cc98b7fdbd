package com.kpiledger.web;

import com.kpiledger.config.ProjectionProcessors;
import com.kpiledger.coreapi.campaign.CorrectSpendCommand;
import com.kpiledger.coreapi.campaign.CostType;
import com.kpiledger.coreapi.campaign.LaunchCampaignCommand;
import com.kpiledger.coreapi.campaign.RecordSpendCommand;
import com.kpiledger.coreapi.lead.CaptureLeadCommand;
import com.kpiledger.coreapi.lead.CloseDealCommand;
import com.kpiledger.coreapi.lead.DealOutcome;
import com.kpiledger.coreapi.lead.DisqualifyLeadCommand;
import com.kpiledger.coreapi.lead.QualifyLeadCommand;
import com.kpiledger.coreapi.lead.Stage;
import com.kpiledger.coreapi.shared.CommandOutcome;
import com.kpiledger.support.Api;
import com.kpiledger.support.KpiHttp;
import com.kpiledger.support.ReadModelRebuilds;
import com.kpiledger.support.StoreHead;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static com.kpiledger.support.Api.post;
import static com.kpiledger.web.AuditPropertyTest.asMap;
import static com.kpiledger.web.AuditPropertyTest.parse;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * kpi-spec §6 "any read model can be rebuilt while the service runs", when the rebuild is killed half way: a history
 * of some 1,500 commands (sent in-process, much faster than HTTP), then both read models rebuilt at once, and while
 * the slower one is part way through this history, the event-processing side is stopped as a crash would stop it
 * and started again. What survived is the stored tokens: replay tokens part way through the store. The processors
 * resume from them (none is seen below its stored token), KPI queries answer 503 read-model-rebuilding meanwhile, the
 * interrupted rebuild completes, and every KPI answer equals the one given before the rebuild. The service then still
 * takes commands and projects them. Business year 2049 and a channel named after a fresh id keep other tests' data out.
 *
 * <p>The crash stops both read models' processors ({@link #stopEventProcessing()}), not the whole Axon configuration:
 * the gateways are CDI beans produced once from the running configuration, so the test crashes what a process crash
 * loses for the read side (the processors and their in-memory progress) and keeps the rest.
 */
@QuarkusTest
class RebuildRestartTest {

    static final int YEAR = 2049;
    static final int CAMPAIGNS = 5;
    static final int SPEND_LINES = 24;
    static final int LEADS = 520;

    static final ObjectMapper TOKEN_JSON = new ObjectMapper();

    @Inject
    CommandGateway commandGateway;

    @Inject
    ProjectionProcessors processors;

    @Inject
    StoreHead store;

    @Inject
    ReadModelRebuilds rebuilds;

    @Inject
    AgroalDataSource dataSource;

    @ConfigProperty(name = "kpi-ledger.projections.batch-size")
    int batchSize;

    @ConfigProperty(name = "kpi-ledger.projections.segments")
    int segments;

    @Test
    void aRebuildKilledHalfWayResumesAfterTheRestartAndGivesTheSameAnswers() throws InterruptedException {
        String channel = Api.uniqueId("aud-restart");
        Random random = new Random(2049);
        long startOfHistory = store.headPosition();
        int commands = sendHistory(channel, random, LEADS / 2);
        Instant halfway = pause();
        commands += sendHistory(channel, random, LEADS - LEADS / 2);
        assertThat(commands).isGreaterThanOrEqualTo(1_400);
        rebuilds.awaitCaughtUp();

        Map<String, Map<String, Object>> questions = questions(channel, halfway);
        Map<String, Object> before = answers(questions);
        Map<String, Object> summary = asMap(asMap(before.get("summary by campaign")).get("total"));
        assertThat(KpiHttp.decimal(summary.get("leads"))).isEqualByComparingTo(BigDecimal.valueOf(LEADS));
        assertThat(KpiHttp.decimal(summary.get("customers"))).isPositive();

        long head = store.headPosition();
        // Stopping a processor is not instant: it finishes the events it has already read ahead, and on a fast
        // machine a rebuild can complete while it stops. So the crash is tried again (after letting the rebuild
        // finish) until it caught a read model with its rebuild interrupted part way through this history.
        Map<String, Long> reached = new LinkedHashMap<>();
        Map<String, StoredTokens> stored = new LinkedHashMap<>();
        String interrupted = null;
        String crash = "";
        for (int attempt = 1; attempt <= 5 && interrupted == null; attempt++) {
            rebuildBothAtOnce();
            await("a rebuild part way through this history").atMost(Duration.ofSeconds(60))
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2))
                    .until(() -> {
                        ProjectionProcessors.READ_MODELS.forEach(name -> reached.put(name, processors.position(name)));
                        long lowest = reached.values().stream().mapToLong(Long::longValue).min().orElseThrow();
                        return lowest > startOfHistory || lowest >= head;
                    });
            stopEventProcessing();
            // what survives the crash: the tokens stored with the read models' rows
            ProjectionProcessors.READ_MODELS.forEach(name -> stored.put(name, storedTokens(name)));
            crash = "attempt " + attempt + ", positions reached " + reached + ", tokens stored " + stored
                    + ", head " + head + ", history from " + startOfHistory;
            interrupted = stored.entrySet().stream()
                    .filter(entry -> entry.getValue().replays() > 0 && entry.getValue().lowest() < head)
                    .map(Map.Entry::getKey)
                    .findFirst().orElse(null);
            if (interrupted == null) {
                startEventProcessing();
                rebuilds.awaitCaughtUp();
            }
        }
        assertThat(interrupted).as("a rebuild was interrupted part way: " + crash).isNotNull();
        assertThat(stored.values()).as("every segment's token is stored: " + crash)
                .allMatch(tokens -> tokens.segments() == segments);
        assertThat(stored.get(interrupted).replays()).as("the replay tokens of " + interrupted + " survived: " + crash)
                .isPositive();
        try {
            Response refused = given().queryParams(questions.get("summary by campaign")).get("/api/kpis/summary");
            assertThat(refused.statusCode()).as("a KPI query while the rebuild is stopped: " + refused.asString())
                    .isEqualTo(503);
            assertThat(refused.jsonPath().getString("type")).endsWith("read-model-rebuilding");
        } finally {
            startEventProcessing();
        }
        Map<String, Long> lowestAfterRestart = new LinkedHashMap<>();
        await("caught up after the restart").atMost(Duration.ofSeconds(120)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(2)).until(() -> {
                    for (String name : ProjectionProcessors.READ_MODELS) {
                        long position = processors.position(name);
                        if (position >= 0 && rebuilds.everySegmentClaimed(name)) {
                            lowestAfterRestart.merge(name, position, Math::min);
                        }
                    }
                    return processors.position() >= head
                            && ProjectionProcessors.READ_MODELS.stream().allMatch(rebuilds::everySegmentClaimed);
                });
        rebuilds.awaitCaughtUp();
        // a reset would start again from the first event of the store; resumed processors start from their tokens
        String afterCrash = crash;
        for (String name : ProjectionProcessors.READ_MODELS) {
            assertThat(lowestAfterRestart.get(name))
                    .as(name + " resumed from its tokens: lowest seen after the restart " + lowestAfterRestart
                            + ", " + afterCrash)
                    .isGreaterThanOrEqualTo(stored.get(name).lowest());
        }

        assertThat(answers(questions)).as("answers after the interrupted rebuild").isEqualTo(before);

        // the restarted service still takes commands and projects them
        Response late = post("/api/leads", """
                {"leadId":"%s","channel":"%s","capturedAt":"%s-06-15T10:00:00Z"}
                """.formatted(Api.uniqueId("after-restart"), channel, YEAR));
        assertThat(late.statusCode()).as(late.asString()).isEqualTo(201);
        Map<String, Object> after = asMap(parse(KpiHttp.get("/api/kpis/summary", questions.get("summary by campaign"),
                ((Number) late.path("position")).longValue())));
        assertThat(KpiHttp.decimal(asMap(after.get("total")).get("leads")))
                .isEqualByComparingTo(BigDecimal.valueOf(LEADS + 1));
    }

    /** Both rebuilds started together (each stops, resets and starts its processor), so that both are under way. */
    private void rebuildBothAtOnce() {
        ExecutorService threads = Executors.newFixedThreadPool(ProjectionProcessors.READ_MODELS.size());
        try {
            CompletableFuture.allOf(ProjectionProcessors.READ_MODELS.stream()
                    .map(name -> CompletableFuture.runAsync(() -> processors.rebuild(name), threads))
                    .toArray(CompletableFuture[]::new)).join();
        } finally {
            threads.shutdown();
        }
    }

    /**
     * The crash of the event-processing side: both read models' processors stopped at once (their claims and
     * in-memory state gone, only what they committed left).
     */
    protected void stopEventProcessing() {
        CompletableFuture.allOf(ProjectionProcessors.READ_MODELS.stream()
                .map(name -> processors.processor(name).shutdownAsync())
                .toArray(CompletableFuture[]::new)).join();
        ProjectionProcessors.READ_MODELS.forEach(name -> assertThat(processors.processor(name).isRunning())
                .as(name + " stopped").isFalse());
    }

    /** The restart: the processors start afresh from their stored tokens. */
    protected void startEventProcessing() {
        ProjectionProcessors.READ_MODELS.forEach(name -> processors.processor(name).start());
    }

    /** A processor's stored tokens: how many segments, how many of them replaying, the lowest position. */
    record StoredTokens(int segments, int replays, long lowest) {
    }

    /**
     * Read from Axon's token table: the token type, and the position of the token (of the current token, for a replay
     * token), as stored by Axon's JSON serializer.
     */
    private StoredTokens storedTokens(String processorName) {
        int count = 0;
        int replays = 0;
        long lowest = Long.MAX_VALUE;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT tokenType, token FROM TokenEntry WHERE processorName = ?")) {
            statement.setString(1, processorName);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    count++;
                    JsonNode token = TOKEN_JSON.readTree(rows.getBytes(2));
                    if (rows.getString(1).endsWith(".ReplayToken")) {
                        replays++;
                        token = token.get("currentToken");
                    }
                    JsonNode index = token == null || token.isNull() ? null
                            : token.has("index") ? token.get("index") : token.get("globalIndex");
                    lowest = Math.min(lowest, index == null ? -1 : index.asLong());
                }
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException(e);
        }
        return new StoredTokens(count, replays, lowest);
    }

    private Map<String, Map<String, Object>> questions(String channel, Instant halfway) {
        Map<String, Map<String, Object>> questions = new LinkedHashMap<>();
        questions.put("summary by campaign", parameters(channel, "from", YEAR + "-01-01", "to", (YEAR + 1) + "-01-01",
                "currency", "EUR", "groupBy", "campaign"));
        questions.put("summary of March, fully loaded", parameters(channel, "from", YEAR + "-03-01",
                "to", YEAR + "-04-01", "currency", "EUR", "fullyLoaded", "true"));
        questions.put("summary by campaign as known half way", parameters(channel, "from", YEAR + "-01-01",
                "to", (YEAR + 1) + "-01-01", "currency", "EUR", "groupBy", "campaign", "knownAt", halfway.toString()));
        questions.put("funnel period", parameters(channel, "from", YEAR + "-02-01", "to", YEAR + "-05-01",
                "view", "period"));
        questions.put("funnel cohort", parameters(channel, "from", YEAR + "-02-01", "to", YEAR + "-05-01",
                "view", "cohort"));
        questions.put("monthly", parameters(channel, "from", YEAR + "-01-01", "to", YEAR + "-07-01",
                "currency", "EUR"));
        return questions;
    }

    private static Map<String, Object> parameters(String channel, String... pairs) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("channel", channel);
        for (int i = 0; i < pairs.length; i += 2) {
            parameters.put(pairs[i], pairs[i + 1]);
        }
        return parameters;
    }

    private Map<String, Object> answers(Map<String, Map<String, Object>> questions) {
        long head = store.headPosition();
        Map<String, Object> answers = new LinkedHashMap<>();
        questions.forEach((name, parameters) -> {
            String path = name.startsWith("summary") ? "/api/kpis/summary"
                    : name.startsWith("funnel") ? "/api/kpis/funnel" : "/api/kpis/monthly";
            answers.put(name, parse(KpiHttp.get(path, parameters, head)));
        });
        return answers;
    }

    // --- the history, sent in-process

    private int campaignsSent;

    /**
     * Campaigns (the first call only) with spend lines and corrections, then {@code leads} leads with their journeys:
     * MQL, SQL (some without MQL), WON/LOST deals (some cross-sell), disqualifications. Returns the commands sent.
     */
    private int sendHistory(String channel, Random random, int leads) {
        List<Object> commands = new ArrayList<>();
        List<String> campaigns = new ArrayList<>();
        for (int c = 0; c < CAMPAIGNS; c++) {
            campaigns.add(channel + "-c" + c);
        }
        if (campaignsSent == 0) {
            for (String campaign : campaigns) {
                commands.add(new LaunchCampaignCommand(campaign, "Restart " + campaign, channel, "EUR",
                        LocalDate.of(YEAR, 1, 1), "test"));
                for (int s = 0; s < SPEND_LINES; s++) {
                    CostType costType = CostType.values()[random.nextInt(CostType.values().length)];
                    LocalDate spentOn = LocalDate.of(YEAR, 1, 1).plusDays(random.nextInt(180));
                    commands.add(new RecordSpendCommand(campaign, "s-" + s, cents(random), "EUR", spentOn, costType,
                            "test"));
                    if (random.nextInt(5) == 0) {
                        commands.add(new CorrectSpendCommand(campaign, "s-" + s, cents(random), "invoice corrected",
                                "test"));
                    }
                }
            }
            campaignsSent = campaigns.size();
        }
        for (int l = 0; l < leads; l++) {
            String leadId = Api.uniqueId("rl");
            boolean organic = random.nextInt(6) == 0;
            Instant at = LocalDate.of(YEAR, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant()
                    .plus(random.nextInt(170 * 24 * 60), ChronoUnit.MINUTES);
            commands.add(new CaptureLeadCommand(leadId, organic ? null : campaigns.get(random.nextInt(CAMPAIGNS)),
                    organic ? channel : null, at, "test"));
            boolean mql = random.nextInt(10) < 7;
            if (mql) {
                at = later(random, at);
                commands.add(new QualifyLeadCommand(leadId, Stage.MQL, at, "test"));
            }
            if (random.nextInt(10) < (mql ? 6 : 3)) {
                at = later(random, at);
                commands.add(new QualifyLeadCommand(leadId, Stage.SQL, at, "test"));
                int deals = random.nextInt(10) < 6 ? 1 + random.nextInt(2) : 0;
                for (int d = 0; d < deals; d++) {
                    at = later(random, at);
                    commands.add(new CloseDealCommand(leadId, "d-" + d, random.nextInt(10) < 6 ? DealOutcome.WON
                            : DealOutcome.LOST, BigDecimal.valueOf(100 + random.nextInt(40_000)), "EUR",
                            BigDecimal.valueOf(random.nextInt(101), 2), at, "test"));
                }
            }
            if (random.nextInt(8) == 0) {
                commands.add(new DisqualifyLeadCommand(leadId, "no budget", later(random, at), "test"));
            }
        }
        for (Object command : commands) {
            Object outcome = commandGateway.sendAndWait(command);
            assertThat(outcome).as("outcome of " + command).isIn(CommandOutcome.APPLIED, CommandOutcome.UNCHANGED);
        }
        return commands.size();
    }

    private static Instant later(Random random, Instant at) {
        return at.plus(1 + random.nextInt(10 * 24), ChronoUnit.HOURS);
    }

    private static BigDecimal cents(Random random) {
        return BigDecimal.valueOf(100 + random.nextInt(300_000), 2);
    }

    private static Instant pause() throws InterruptedException {
        Thread.sleep(5);
        Instant moment = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Thread.sleep(5);
        return moment;
    }
}
