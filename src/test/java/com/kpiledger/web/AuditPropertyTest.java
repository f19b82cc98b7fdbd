package com.kpiledger.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kpiledger.support.Api;
import com.kpiledger.support.KpiHttp;
import com.kpiledger.support.ReadModelRebuilds;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import static com.kpiledger.support.Api.post;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * kpi-spec §3 and §6 as a property over seeded random histories sent through the HTTP API: campaigns on two channels
 * of their own, spend of every cost type with corrections (some sent late), organic and campaign leads (some captured
 * late), MQL/SQL (some SQL without MQL), disqualifications, WON and LOST deals with cross-sell, and WON deals that
 * arrive late with a close date before the lead's first WON deal. The history is sent in four phases; a "knownAt"
 * moment is captured between two phases.
 *
 * <p>For a month, a quarter and a period of odd bounds, each as known now and at every captured moment, with channels
 * drawn at random:
 * <ol>
 *     <li>the live answer of summary (groupBy=campaign), funnel (period or cohort view) and monthly equals
 *     the read-model answer of POST /api/audit/verifications and the answer it recomputed from the raw events
 *     (match=true), and the verification read exactly the events up to the answer's position;</li>
 *     <li>after rebuilding both read models through the admin API, every live answer is identical, and so is every
 *     verification of the answers known now (digest included: no events arrived meanwhile).</li>
 * </ol>
 * Business years 2045-2047 and channels named after a fresh id keep other tests' data out of every figure.
 */
@QuarkusTest
class AuditPropertyTest {

    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    static final String[] COST_TYPES = {"MEDIA", "CONTENT", "TOOLING", "PERSONNEL", "AGENCY", "SALES", "OTHER"};

    /** Phases of sending; a knownAt moment is captured after each but the last. */
    static final int PHASES = 4;

    @Inject
    ReadModelRebuilds rebuilds;

    @Inject
    AgroalDataSource dataSource;

    @ParameterizedTest(name = "seed {0}, business year {1}")
    @CsvSource({"5, 2045", "2718, 2046", "31415926, 2047"})
    void everyAnswerIsReproducedFromTheRawEventsAndByARebuild(long seed, int year) throws InterruptedException {
        Random random = new Random(seed);
        History history = History.generate(random, year, Api.uniqueId("aud"));
        history.send();
        assertThat(history.moments).hasSize(PHASES - 1);

        List<Question> questions = history.questions(random);
        Map<Question, Object> live = new LinkedHashMap<>();
        Map<Question, Map<String, Object>> verified = new LinkedHashMap<>();
        for (Question question : questions) {
            String where = "seed " + seed + ", " + question;
            Object answer = parse(KpiHttp.get(question.path(), question.parameters(), history.position));
            Map<String, Object> verification = verify(question, where);
            assertThat(verification.get("readModel")).as(where + ": the verification's read-model answer vs live")
                    .isEqualTo(answer);
            assertThat(verification.get("recomputed")).as(where + ": recomputed from the raw events vs the live answer")
                    .isEqualTo(answer);
            assertThat(verification.get("match")).as(where + ": match").isEqualTo(true);
            long position = positionOf(answer);
            assertThat(KpiHttp.decimal(verification.get("position")).longValueExact()).as(where + ": position")
                    .isEqualTo(position);
            assertThat(KpiHttp.decimal(verification.get("eventsRead")).longValueExact())
                    .as(where + ": events read = the events stored up to the position " + position)
                    .isEqualTo(eventsUpTo(position));
            assertThat((String) verification.get("digest")).as(where + ": digest").matches("[0-9a-f]{64}");
            assertThat((String) verification.get("definitionVersion")).as(where + ": definition version").isNotBlank();
            if (question.knownAt() == null) {
                assertThat(position).as(where + ": an answer known now reflects the whole store")
                        .isGreaterThanOrEqualTo(history.position);
            } else {
                assertThat(position).as(where + ": an answer as known at a moment before the last phase")
                        .isLessThan(history.position);
            }
            live.put(question, answer);
            verified.put(question, verification);
        }
        checkAgainstTheHistory(history, seed);

        rebuilds.rebuildEveryReadModelThroughTheAdminApi();

        for (Question question : questions) {
            String where = "seed " + seed + ", after the rebuild, " + question;
            assertThat(parse(KpiHttp.get(question.path(), question.parameters(), history.position)))
                    .as(where).isEqualTo(live.get(question));
            if (question.knownAt() == null) {
                // verifications are dearer (each folds the whole store): those known now are enough here
                assertThat(verify(question, where)).as(where + ": the verification, digest included")
                        .isEqualTo(verified.get(question));
            }
        }
    }

    /**
     * Not a vacuous property: over the whole span of the history, as known now and at each moment, leads and spend of
     * each channel are what the phases sent by then say (kpi-spec §3: a late or corrected fact counts only for queries
     * known after it was recorded).
     */
    private void checkAgainstTheHistory(History history, long seed) {
        for (String channel : history.channels) {
            for (int known = 0; known < PHASES; known++) {
                Instant knownAt = known == PHASES - 1 ? null : history.moments.get(known);
                Map<String, Object> parameters = new LinkedHashMap<>();
                parameters.put("from", history.start.toString());
                parameters.put("to", history.end.toString());
                parameters.put("channel", channel);
                parameters.put("currency", "EUR");
                if (knownAt != null) {
                    parameters.put("knownAt", knownAt.toString());
                }
                Map<String, Object> summary =
                        asMap(parse(KpiHttp.get("/api/kpis/summary", parameters, history.position)));
                String where = "seed " + seed + ", channel " + channel + ", known after phase " + known;
                assertThat(KpiHttp.decimal(summary.get("leads"))).as(where + ": leads")
                        .isEqualByComparingTo(BigDecimal.valueOf(history.leadsKnown(channel, known)));
                assertThat(KpiHttp.decimal(summary.get("spend"))).as(where + ": spend")
                        .isEqualByComparingTo(history.spendKnown(channel, known));
            }
        }
    }

    private Map<String, Object> verify(Question question, String where) {
        Response response = given().contentType(ContentType.JSON).body(question.body())
                .post("/api/audit/verifications");
        assertThat(response.statusCode()).as(where + ": verification answered " + response.asString()).isEqualTo(200);
        Map<String, Object> verification = asMap(parse(response));
        assertThat(asMap(verification.get("question")).get("kpi")).as(where + ": question echoed")
                .isEqualTo(question.kpi());
        return verification;
    }

    private long eventsUpTo(long position) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT COUNT(*) FROM DomainEventEntry WHERE globalIndex <= ?")) {
            statement.setLong(1, position);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The store position an answer names: at the top (monthly, funnel) or in the total (a breakdown). */
    private static long positionOf(Object answer) {
        Map<String, Object> map = asMap(answer);
        Object position = map.containsKey("position") ? map.get("position") : asMap(map.get("total")).get("position");
        return KpiHttp.decimal(position).longValueExact();
    }

    static Object parse(Response response) {
        try {
            return JSON.readValue(response.asString(), Object.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object json) {
        return (Map<String, Object>) json;
    }

    // --- questions

    record Period(String kind, LocalDate from, LocalDate to) {

        @Override
        public String toString() {
            return kind + " [" + from + ", " + to + ")";
        }
    }

    /** One KPI question, asked both of the KPI endpoint and of the verification endpoint. */
    record Question(String kpi, Period period, String channel, Instant knownAt, String groupBy, String view) {

        String path() {
            return "/api/kpis/" + kpi;
        }

        Map<String, Object> parameters() {
            Map<String, Object> parameters = new LinkedHashMap<>();
            parameters.put("from", period.from().toString());
            parameters.put("to", period.to().toString());
            parameters.put("channel", channel);
            if (!kpi.equals("funnel")) {
                parameters.put("currency", "EUR");
            }
            if (knownAt != null) {
                parameters.put("knownAt", knownAt.toString());
            }
            if (groupBy != null) {
                parameters.put("groupBy", groupBy);
            }
            if (view != null) {
                parameters.put("view", view);
            }
            return parameters;
        }

        String body() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("kpi", kpi);
            body.putAll(parameters());
            try {
                return JSON.writeValueAsString(body);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String toString() {
            return kpi + (groupBy == null ? "" : " by " + groupBy) + (view == null ? "" : " " + view) + ", " + period
                    + ", channel " + channel + ", known " + (knownAt == null ? "now" : "at " + knownAt);
        }
    }

    // --- the generated history

    record CampaignSpec(String id, String channel) {
    }

    /** A spend line, the phase it is sent in and its corrections (phase, new amount) in sending order. */
    static final class SpendLine {
        final CampaignSpec campaign;
        final String spendId;
        final String costType;
        final LocalDate spentOn;
        final BigDecimal amount;
        final int phase;
        final List<Map.Entry<Integer, BigDecimal>> corrections = new ArrayList<>();

        SpendLine(CampaignSpec campaign, String spendId, String costType, LocalDate spentOn, BigDecimal amount,
                  int phase) {
            this.campaign = campaign;
            this.spendId = spendId;
            this.costType = costType;
            this.spentOn = spentOn;
            this.amount = amount;
            this.phase = phase;
        }

        /** The latest amount known after {@code phase}, or null when the line itself was not sent yet. */
        BigDecimal amountKnownAfter(int phase) {
            if (this.phase > phase) {
                return null;
            }
            BigDecimal latest = amount;
            for (Map.Entry<Integer, BigDecimal> correction : corrections) {
                if (correction.getKey() <= phase) {
                    latest = correction.getValue();
                }
            }
            return latest;
        }
    }

    record LeadSpec(String id, String campaignId, String channel, Instant capturedAt, int phase) {
    }

    /** One command of the history, sent in its phase; commands of one phase go in the order they were made. */
    record Step(int phase, int order, Supplier<Response> send, int status) {
    }

    static final class History {
        final int year;
        final Random random;
        final List<String> channels = new ArrayList<>();
        final List<CampaignSpec> campaigns = new ArrayList<>();
        final List<SpendLine> spend = new ArrayList<>();
        final List<LeadSpec> leads = new ArrayList<>();
        final List<Step> steps = new ArrayList<>();
        final List<Instant> moments = new ArrayList<>();
        LocalDate start;
        LocalDate end;
        int months;
        long position = -1;

        private History(Random random, int year) {
            this.random = random;
            this.year = year;
        }

        static History generate(Random random, int year, String prefix) {
            History history = new History(random, year);
            history.build(prefix);
            return history;
        }

        private void build(String prefix) {
            channels.add(prefix + "-a");
            channels.add(prefix + "-b");
            int startMonth = 1 + random.nextInt(8);
            months = 2 + random.nextInt(2);
            start = LocalDate.of(year, startMonth, 1);
            end = start.plusMonths(months);

            int campaignCount = 2 + random.nextInt(3);
            for (int i = 0; i < campaignCount; i++) {
                // the first two take a channel each; any further one shares a channel with one of them
                String channel = i < 2 ? channels.get(i) : channels.get(random.nextInt(2));
                CampaignSpec campaign = new CampaignSpec(prefix + "-c" + i, channel);
                campaigns.add(campaign);
                // channels are free text: the service lower-cases them
                String sentChannel = random.nextBoolean() ? channel.toUpperCase(Locale.ROOT) : channel;
                String body = """
                        {"campaignId":"%s","name":"Audit %s","channel":"%s","currency":"EUR","launchedOn":"%s-01-01"}
                        """.formatted(campaign.id(), campaign.id(), sentChannel, year);
                step(0, () -> post("/api/campaigns", body), 201);
            }

            for (CampaignSpec campaign : campaigns) {
                int lines = 2 + random.nextInt(5);
                for (int i = 0; i < lines; i++) {
                    String costType = i == 0 ? "MEDIA" : i == 1 && campaign == campaigns.get(0) ? "SALES"
                            : COST_TYPES[random.nextInt(COST_TYPES.length)];
                    LocalDate spentOn = random.nextInt(8) == 0
                            ? start.plusMonths(random.nextInt(months)).plusMonths(1).minusDays(1) // a month's last day
                            : start.plusDays(random.nextInt((int) ChronoUnit.DAYS.between(start, end)));
                    // most invoices arrive at once, some late
                    int phase = random.nextInt(4) == 0 ? 1 + random.nextInt(PHASES - 1) : 0;
                    SpendLine line = new SpendLine(campaign, "s-" + i, costType, spentOn, cents(), phase);
                    spend.add(line);
                    String body = """
                            {"spendId":"%s","amount":%s,"currency":"EUR","spentOn":"%s","costType":"%s"}
                            """.formatted(line.spendId, line.amount.toPlainString(), line.spentOn, line.costType);
                    step(phase, () -> post("/api/campaigns/" + campaign.id() + "/spend", body), 201);
                    if (random.nextInt(10) == 0) {
                        step(phase, () -> post("/api/campaigns/" + campaign.id() + "/spend", body), 200); // a retry
                    }
                }
            }
            for (SpendLine line : spend) {
                if (random.nextInt(3) != 0) {
                    continue;
                }
                int phase = Math.max(line.phase, 1 + random.nextInt(PHASES - 1));
                BigDecimal current = line.amount;
                int corrections = 1 + (random.nextInt(3) == 0 ? 1 : 0);
                for (int c = 0; c < corrections; c++) {
                    BigDecimal amount = random.nextInt(6) == 0 ? BigDecimal.ZERO.setScale(2) : cents();
                    int status = amount.compareTo(current) == 0 ? 200 : 201;
                    line.corrections.add(Map.entry(phase, amount));
                    current = amount;
                    step(phase, () -> post("/api/campaigns/" + line.campaign.id() + "/spend/" + line.spendId
                            + "/corrections", """
                            {"amount":%s,"reason":"invoice corrected"}
                            """.formatted(amount.toPlainString())), status);
                    phase = Math.min(PHASES - 1, phase + random.nextInt(2));
                }
            }

            int leadCount = 10 + random.nextInt(16);
            for (int i = 0; i < leadCount; i++) {
                lead(prefix + "-l" + i, i);
            }
        }

        /**
         * A lead and its journey. The first three are fixed kinds (organic; SQL without MQL with a late, earlier WON
         * deal; MQL then disqualified); the rest random.
         */
        private void lead(String id, int index) {
            Instant capturedAt = random.nextInt(10) == 0
                    ? start.plusMonths(random.nextInt(months)).atStartOfDay(ZoneOffset.UTC).toInstant() // on a boundary
                    : start.atStartOfDay(ZoneOffset.UTC).toInstant()
                    .plus(random.nextInt((int) ChronoUnit.DAYS.between(start, end)), ChronoUnit.DAYS)
                    .plus(random.nextInt(24 * 60), ChronoUnit.MINUTES);
            boolean organic = index == 0 || index > 2 && random.nextInt(5) == 0;
            CampaignSpec campaign = organic ? null : campaigns.get(random.nextInt(campaigns.size()));
            String channel = organic ? channels.get(random.nextInt(2)) : campaign.channel();
            // most leads are sent at once, some late; the fixed ones early enough to have a late part
            int phase = index < 3 ? 0 : random.nextInt(3) == 0 ? 1 + random.nextInt(PHASES - 1) : 0;
            LeadSpec lead = new LeadSpec(id, organic ? null : campaign.id(), channel, capturedAt, phase);
            leads.add(lead);
            String capture = organic
                    ? """
                    {"leadId":"%s","channel":"%s","capturedAt":"%s"}
                    """.formatted(id, random.nextBoolean() ? channel.toUpperCase(Locale.ROOT) : channel, capturedAt)
                    : """
                    {"leadId":"%s","campaignId":"%s","capturedAt":"%s"}
                    """.formatted(id, campaign.id(), capturedAt);
            step(phase, () -> post("/api/leads", capture), 201);
            if (random.nextInt(10) == 0) {
                step(phase, () -> post("/api/leads", capture), 200);
            }

            Instant at = capturedAt;
            boolean mql = index == 2 || index != 1 && random.nextInt(10) < 6;
            if (mql) {
                at = later(at);
                phase = nextPhase(phase);
                qualify(id, "MQL", at, phase);
            }
            boolean disqualifyEarly = index == 2 || index > 2 && random.nextInt(10) == 0;
            Instant firstWon = null;
            if (!disqualifyEarly) {
                boolean sql = index == 1 || random.nextInt(10) < (mql ? 6 : 3); // without an MQL before: MQL implied
                if (sql) {
                    at = later(at);
                    phase = nextPhase(phase);
                    qualify(id, "SQL", at, phase);
                }
                boolean closes = index == 1 || (sql ? random.nextInt(10) < 7 : random.nextInt(10) == 0);
                if (closes) {
                    int deals = 1 + random.nextInt(3);
                    for (int d = 0; d < deals; d++) {
                        at = later(at);
                        phase = nextPhase(phase);
                        boolean won = index == 1 && d == 0 || random.nextInt(10) < 6;
                        BigDecimal amount = BigDecimal.valueOf(won || random.nextBoolean()
                                ? 100 + random.nextInt(50_000) : 0);
                        deal(id, "d-" + d, won, amount, BigDecimal.valueOf(random.nextInt(101), 2), at, phase);
                        if (won && firstWon == null) {
                            firstWon = at;
                        }
                    }
                }
            }
            if (disqualifyEarly || random.nextInt(6) == 0) {
                at = later(at);
                phase = nextPhase(phase);
                String body = """
                        {"reason":"no budget","disqualifiedAt":"%s"}
                        """.formatted(at);
                step(phase, () -> post("/api/leads/" + id + "/disqualifications", body), 201);
            }
            // a WON deal the CRM sends late, closed before the lead's first WON deal: the acquisition moves earlier
            if (firstWon != null && (index == 1 || random.nextInt(3) == 0)) {
                long span = Duration.between(capturedAt, firstWon).toMinutes();
                Instant closedAt = capturedAt.plus(span <= 1 ? 0 : random.nextLong(span - 1), ChronoUnit.MINUTES);
                deal(id, "late", true, BigDecimal.valueOf(100 + random.nextInt(20_000)),
                        BigDecimal.valueOf(random.nextInt(101), 2), closedAt, Math.max(phase, PHASES - 1));
            }
        }

        private int nextPhase(int phase) {
            return Math.min(PHASES - 1, phase + (random.nextInt(4) == 0 ? 1 : 0));
        }

        private void qualify(String leadId, String stage, Instant at, int phase) {
            step(phase, () -> Api.qualify(leadId, stage, at.toString()), 201);
        }

        private void deal(String leadId, String dealId, boolean won, BigDecimal amount, BigDecimal margin,
                          Instant closedAt, int phase) {
            String body = """
                    {"dealId":"%s","outcome":"%s","amount":%s,"currency":"EUR","grossMargin":%s,"closedAt":"%s"}
                    """.formatted(dealId, won ? "WON" : "LOST", amount.toPlainString(), margin.toPlainString(),
                    closedAt);
            step(phase, () -> post("/api/leads/" + leadId + "/deals", body), 201);
        }

        private void step(int phase, Supplier<Response> send, int status) {
            steps.add(new Step(phase, steps.size(), send, status));
        }

        private Instant later(Instant at) {
            return at.plus(1 + random.nextInt(14 * 24), ChronoUnit.HOURS).plus(random.nextInt(60), ChronoUnit.MINUTES);
        }

        private BigDecimal cents() {
            return BigDecimal.valueOf(100 + random.nextInt(500_000 - 100), 2);
        }

        /** Sends phase after phase, capturing a moment strictly between two phases (recorded times are in ms). */
        void send() throws InterruptedException {
            List<Step> ordered = new ArrayList<>(steps);
            ordered.sort(Comparator.comparingInt(Step::phase).thenComparingInt(Step::order));
            int phase = 0;
            for (Step step : ordered) {
                while (step.phase() > phase) {
                    moments.add(pause());
                    phase++;
                }
                Response answer = step.send().get();
                assertThat(answer.statusCode()).as("sending a step of phase " + step.phase() + ": " + answer.asString())
                        .isEqualTo(step.status());
                position = Math.max(position, ((Number) answer.path("position")).longValue());
            }
            while (phase < PHASES - 1) {
                moments.add(pause());
                phase++;
            }
        }

        private static Instant pause() throws InterruptedException {
            Thread.sleep(5);
            Instant moment = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            Thread.sleep(5);
            return moment;
        }

        /**
         * For each period and each knownAt (now, and every moment): the summary by campaign, the funnel (period and
         * cohort view in turn) and the monthly KPIs, each of a channel drawn at random.
         */
        List<Question> questions(Random random) {
            List<Period> periods = new ArrayList<>();
            LocalDate month = start.plusMonths(random.nextInt(months + 1));
            periods.add(new Period("month", month, month.plusMonths(1)));
            LocalDate quarter = LocalDate.of(year, 1 + (start.getMonthValue() - 1) / 3 * 3, 1);
            periods.add(new Period("quarter", quarter, quarter.plusMonths(3)));
            LocalDate oddFrom = start.plusDays(3 + random.nextInt(25));
            periods.add(new Period("odd span", oddFrom, oddFrom.plusDays(15 + random.nextInt(60))));

            List<Instant> knownAts = new ArrayList<>();
            knownAts.add(null);
            knownAts.addAll(moments);
            List<Question> questions = new ArrayList<>();
            for (int p = 0; p < periods.size(); p++) {
                for (int k = 0; k < knownAts.size(); k++) {
                    Period period = periods.get(p);
                    Instant knownAt = knownAts.get(k);
                    questions.add(new Question("summary", period, channel(random), knownAt, "campaign", null));
                    questions.add(new Question("funnel", period, channel(random), knownAt, null,
                            (p + k) % 2 == 0 ? "period" : "cohort"));
                    questions.add(new Question("monthly", period, channel(random), knownAt, null, null));
                }
            }
            return questions;
        }

        private String channel(Random random) {
            return channels.get(random.nextInt(channels.size()));
        }

        long leadsKnown(String channel, int phase) {
            return leads.stream().filter(lead -> lead.channel().equals(channel) && lead.phase() <= phase).count();
        }

        /** Marketing spend (every cost type but SALES) of the channel's campaigns as known after the phase. */
        BigDecimal spendKnown(String channel, int phase) {
            BigDecimal sum = BigDecimal.ZERO;
            for (SpendLine line : spend) {
                BigDecimal amount = line.amountKnownAfter(phase);
                if (amount != null && line.campaign.channel().equals(channel) && !line.costType.equals("SALES")
                        && !line.spentOn.isBefore(start) && line.spentOn.isBefore(end)) {
                    sum = sum.add(amount);
                }
            }
            return sum;
        }
    }
}
