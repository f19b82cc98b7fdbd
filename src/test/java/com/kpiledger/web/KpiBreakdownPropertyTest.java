package com.kpiledger.web;

import com.kpiledger.support.Api;
import com.kpiledger.support.KpiHttp;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Predicate;

import static com.kpiledger.support.Api.post;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * kpi-spec §4 "every breakdown (by campaign, by channel) must add up to the total where the KPI is additive", as a
 * property over seeded random histories sent through the HTTP API: campaigns on two channels of their own (so at least
 * two campaigns share a channel when there are three or more), spend of every cost type with corrections, organic and
 * campaign leads, MQL/SQL (some SQL without MQL), disqualifications, WON and LOST deals with cross-sell. For several
 * periods, every breakdown's rows add up to its total, and the totals equal what a tiny model of the history in this
 * test says. Money is whole cents (spend) and whole euros × two-decimal margins (deals), so every exact figure is
 * representable in two decimals and presentation rounding cannot make the sums differ.
 *
 * <p>Each seed has a year of its own (2041-2044) and channels named after a fresh id, so data of other tests never
 * counts in the figures checked against the model.
 */
@QuarkusTest
class KpiBreakdownPropertyTest {

    static final List<String> ADDITIVE = List.of("spend", "salesCost", "mediaSpend", "leads", "mqls", "sqls",
            "customers", "revenue", "grossProfit");

    static final String[] COST_TYPES = {"MEDIA", "CONTENT", "TOOLING", "PERSONNEL", "AGENCY", "SALES", "OTHER"};

    @ParameterizedTest(name = "seed {0}, business year {1}")
    @CsvSource({"1, 2041", "42, 2042", "7919, 2043", "20260401, 2044"})
    void everyBreakdownAddsUpToItsTotalAndEveryTotalToTheHistory(long seed, int year) {
        History history = History.generate(new Random(seed), year, Api.uniqueId("prop"));
        long position = history.send();

        assertThat(history.campaigns).hasSizeBetween(2, 4);
        assertThat(history.leads).hasSizeBetween(10, 30);
        for (Period period : history.periods) {
            String context = "seed " + seed + ", " + period;
            // the whole year gets every check, the other periods the filtered ones
            boolean everyCheck = period == history.periods.get(0);
            for (String channel : history.channels) {
                checkCampaignBreakdownOfOneChannel(history, period, channel, position, everyCheck, context);
                checkChannelBreakdownOfOneChannel(history, period, channel, position, context);
            }
            if (everyCheck) {
                checkUnfilteredBreakdowns(history, period, position, context);
            }
        }
    }

    /** groupBy=campaign within one channel: campaigns of that channel plus its organic leads (campaignId null). */
    private static void checkCampaignBreakdownOfOneChannel(History history, Period period, String channel,
                                                           long position, boolean withPlainSummary, String context) {
        String where = context + ", groupBy=campaign&channel=" + channel;
        JsonPath breakdown = summary(period, position, "groupBy", "campaign", "channel", channel);
        assertThat(breakdown.getString("groupBy")).as(where).isEqualTo("CAMPAIGN");
        List<Map<String, Object>> rows = breakdown.getList("rows");
        Map<String, Object> total = breakdown.getMap("total");
        assertRowsAddUp(rows, total, where);
        assertFigures(total, history.expected(period, fact -> channel.equals(fact.channel)), where + ", total");

        List<String> campaignsOfChannel = history.campaigns.stream().filter(c -> c.channel.equals(channel))
                .map(c -> c.id).toList();
        for (Map<String, Object> row : rows) {
            String campaignId = (String) row.get("campaignId");
            assertThat(campaignId).as(where + ": a row of another channel's campaign")
                    .isIn(concat(campaignsOfChannel, null));
            if (campaignId != null) {
                assertThat(row.get("channel")).as(where + ", row " + campaignId + " channel").isEqualTo(channel);
            }
            assertFigures(row, history.expected(period,
                            fact -> channel.equals(fact.channel) && Objects.equals(campaignId, fact.campaignId)),
                    where + ", row " + (campaignId == null ? "organic" : campaignId));
        }
        if (withPlainSummary) {
            // the plain summary of the same scope is the breakdown's total
            JsonPath plain = summary(period, position, "channel", channel);
            assertThat(plain.getMap("$")).as(where + ": plain summary vs breakdown total").isEqualTo(total);
        }
    }

    /** groupBy=channel with the channel filter: at most one row, the channel itself, equal to the total. */
    private static void checkChannelBreakdownOfOneChannel(History history, Period period, String channel,
                                                          long position, String context) {
        String where = context + ", groupBy=channel&channel=" + channel;
        JsonPath breakdown = summary(period, position, "groupBy", "channel", "channel", channel);
        assertThat(breakdown.getString("groupBy")).as(where).isEqualTo("CHANNEL");
        List<Map<String, Object>> rows = breakdown.getList("rows");
        Map<String, Object> total = breakdown.getMap("total");
        assertThat(rows).as(where + ": rows").hasSizeLessThanOrEqualTo(1);
        rows.forEach(row -> assertThat(row.get("channel")).as(where + ": row channel").isEqualTo(channel));
        assertRowsAddUp(rows, total, where);
        assertFigures(total, history.expected(period, fact -> channel.equals(fact.channel)), where + ", total");
    }

    /**
     * No channel filter: the ledger's whole period (other tests' data included, should any share the year), so only
     * the property and the rows of this history's channels and campaigns are checked.
     */
    private static void checkUnfilteredBreakdowns(History history, Period period, long position, String context) {
        String where = context + ", groupBy=channel";
        JsonPath byChannel = summary(period, position, "groupBy", "channel");
        List<Map<String, Object>> channelRows = byChannel.getList("rows");
        assertRowsAddUp(channelRows, byChannel.getMap("total"), where);
        for (String channel : history.channels) {
            Map<String, Object> row = channelRows.stream().filter(r -> channel.equals(r.get("channel"))).findFirst()
                    .orElse(null);
            Figures expected = history.expected(period, fact -> channel.equals(fact.channel));
            if (row == null) {
                assertThat(expected.isZero()).as(where + ": no row for " + channel + " but " + expected).isTrue();
            } else {
                assertFigures(row, expected, where + ", row " + channel);
            }
        }

        where = context + ", groupBy=campaign";
        JsonPath byCampaign = summary(period, position, "groupBy", "campaign");
        List<Map<String, Object>> campaignRows = byCampaign.getList("rows");
        assertRowsAddUp(campaignRows, byCampaign.getMap("total"), where);
        assertThat(campaignRows.stream().filter(r -> r.get("campaignId") == null).count())
                .as(where + ": organic leads share one row").isLessThanOrEqualTo(1);
        for (CampaignSpec campaign : history.campaigns) {
            Map<String, Object> row = campaignRows.stream().filter(r -> campaign.id.equals(r.get("campaignId")))
                    .findFirst().orElse(null);
            Figures expected = history.expected(period, fact -> campaign.id.equals(fact.campaignId));
            if (row == null) {
                assertThat(expected.isZero()).as(where + ": no row for " + campaign.id + " but " + expected).isTrue();
            } else {
                assertThat(row.get("channel")).as(where + ", row " + campaign.id + " channel").isEqualTo(campaign.channel);
                assertFigures(row, expected, where + ", row " + campaign.id);
            }
        }
    }

    private static void assertRowsAddUp(List<Map<String, Object>> rows, Map<String, Object> total, String where) {
        for (String kpi : ADDITIVE) {
            BigDecimal sum = rows.stream().map(row -> KpiHttp.decimal(row.get(kpi))).reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(sum).as(where + ": Σ rows." + kpi + " == total." + kpi + " (rows " + rows.size() + ")")
                    .isEqualByComparingTo(KpiHttp.decimal(total.get(kpi)));
        }
    }

    private static void assertFigures(Map<String, Object> answer, Figures expected, String where) {
        Map<String, BigDecimal> actual = new LinkedHashMap<>();
        for (String kpi : ADDITIVE) {
            actual.put(kpi, KpiHttp.decimal(answer.get(kpi)));
        }
        Map<String, BigDecimal> wanted = expected.asMap();
        for (String kpi : ADDITIVE) {
            assertThat(actual.get(kpi)).as(where + ": " + kpi + " (answer " + actual + ", model " + wanted + ")")
                    .isEqualByComparingTo(wanted.get(kpi));
        }
    }

    private static JsonPath summary(Period period, long position, String... parameters) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("from", period.from.toString());
        query.put("to", period.to.toString());
        query.put("currency", "EUR");
        for (int i = 0; i < parameters.length; i += 2) {
            query.put(parameters[i], parameters[i + 1]);
        }
        return KpiHttp.json("/api/kpis/summary", query, position);
    }

    private static <T> List<T> concat(List<T> list, T extra) {
        List<T> all = new ArrayList<>(list);
        all.add(extra);
        return all;
    }

    // --- the generated history and its model

    record Period(LocalDate from, LocalDate to) {

        Instant start() {
            return from.atStartOfDay(ZoneOffset.UTC).toInstant();
        }

        Instant end() {
            return to.atStartOfDay(ZoneOffset.UTC).toInstant();
        }

        boolean contains(LocalDate date) {
            return !date.isBefore(from) && date.isBefore(to);
        }

        boolean contains(Instant instant) {
            return instant != null && !instant.isBefore(start()) && instant.isBefore(end());
        }

        @Override
        public String toString() {
            return "[" + from + ", " + to + ")";
        }
    }

    record CampaignSpec(String id, String channel) {
    }

    /** A spend line with its latest amount (after corrections). */
    static final class SpendLine {
        final String campaignId;
        final String spendId;
        final String costType;
        final LocalDate spentOn;
        final BigDecimal recorded;
        BigDecimal amount;

        SpendLine(String campaignId, String spendId, String costType, LocalDate spentOn, BigDecimal amount) {
            this.campaignId = campaignId;
            this.spendId = spendId;
            this.costType = costType;
            this.spentOn = spentOn;
            this.recorded = amount;
            this.amount = amount;
        }
    }

    record Deal(String dealId, boolean won, BigDecimal amount, BigDecimal margin, Instant closedAt) {
    }

    /** One lead's journey, every fact in business-time order. */
    static final class LeadSpec {
        final String id;
        final String campaignId;
        final String channel;
        final Instant capturedAt;
        Instant mqlReported;
        Instant sqlReported;
        Instant disqualifiedAt;
        final List<Deal> deals = new ArrayList<>();

        LeadSpec(String id, String campaignId, String channel, Instant capturedAt) {
            this.id = id;
            this.campaignId = campaignId;
            this.channel = channel;
            this.capturedAt = capturedAt;
        }

        Instant firstDeal() {
            return deals.isEmpty() ? null : deals.get(0).closedAt;
        }

        /** A skipped stage counts as entered at the later stage: SQL, or a deal's close (WON or LOST). */
        Instant mqlEntry() {
            return first(mqlReported, sqlReported, firstDeal());
        }

        Instant sqlEntry() {
            return first(sqlReported, firstDeal());
        }

        Instant customerEntry() {
            return deals.stream().filter(Deal::won).map(Deal::closedAt).findFirst().orElse(null);
        }

        private static Instant first(Instant... candidates) {
            Instant first = null;
            for (Instant candidate : candidates) {
                if (candidate != null && (first == null || candidate.isBefore(first))) {
                    first = candidate;
                }
            }
            return first;
        }
    }

    /** Who a fact belongs to: the campaign (null = organic) and the channel. */
    record Owner(String campaignId, String channel) {
    }

    static final class Figures {
        BigDecimal spend = BigDecimal.ZERO;
        BigDecimal salesCost = BigDecimal.ZERO;
        BigDecimal mediaSpend = BigDecimal.ZERO;
        long leads;
        long mqls;
        long sqls;
        long customers;
        BigDecimal revenue = BigDecimal.ZERO;
        BigDecimal grossProfit = BigDecimal.ZERO;

        Map<String, BigDecimal> asMap() {
            Map<String, BigDecimal> map = new LinkedHashMap<>();
            map.put("spend", spend);
            map.put("salesCost", salesCost);
            map.put("mediaSpend", mediaSpend);
            map.put("leads", BigDecimal.valueOf(leads));
            map.put("mqls", BigDecimal.valueOf(mqls));
            map.put("sqls", BigDecimal.valueOf(sqls));
            map.put("customers", BigDecimal.valueOf(customers));
            map.put("revenue", revenue);
            map.put("grossProfit", grossProfit);
            return map;
        }

        boolean isZero() {
            return asMap().values().stream().allMatch(value -> value.signum() == 0);
        }

        @Override
        public String toString() {
            return asMap().toString();
        }
    }

    static final class History {
        final int year;
        final List<String> channels = new ArrayList<>();
        final List<CampaignSpec> campaigns = new ArrayList<>();
        final List<SpendLine> spend = new ArrayList<>();
        /** Corrections in the order they are sent: spend line and new amount. */
        final List<Map.Entry<SpendLine, BigDecimal>> corrections = new ArrayList<>();
        final List<LeadSpec> leads = new ArrayList<>();
        final List<Period> periods = new ArrayList<>();
        private final Random random;
        private long position = -1;

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
            int months = 2 + random.nextInt(2);
            LocalDate start = LocalDate.of(year, startMonth, 1);
            LocalDate end = start.plusMonths(months);

            int campaignCount = 2 + random.nextInt(3);
            for (int i = 0; i < campaignCount; i++) {
                // the first two take a channel each; any further one shares a channel with one of them
                String channel = i < 2 ? channels.get(i) : channels.get(random.nextInt(2));
                campaigns.add(new CampaignSpec(prefix + "-c" + i, channel));
            }

            for (CampaignSpec campaign : campaigns) {
                int lines = 2 + random.nextInt(5);
                for (int i = 0; i < lines; i++) {
                    // every campaign has MEDIA spend, the first also SALES cost, the rest any cost type
                    String costType = i == 0 ? "MEDIA" : i == 1 && campaign == campaigns.get(0) ? "SALES"
                            : COST_TYPES[random.nextInt(COST_TYPES.length)];
                    LocalDate spentOn = random.nextInt(8) == 0
                            ? start.plusMonths(random.nextInt(months)).plusMonths(1).minusDays(1) // a month's last day
                            : start.plusDays(random.nextInt((int) ChronoUnit.DAYS.between(start, end)));
                    spend.add(new SpendLine(campaign.id, "s-" + i, costType, spentOn, cents(100, 500_000)));
                }
            }
            for (SpendLine line : spend) {
                if (random.nextInt(4) == 0) {
                    corrections.add(Map.entry(line, random.nextInt(6) == 0 ? BigDecimal.ZERO.setScale(2)
                            : cents(100, 500_000)));
                    if (random.nextInt(3) == 0) {
                        corrections.add(Map.entry(line, cents(100, 500_000)));
                    }
                }
            }

            int leadCount = 10 + random.nextInt(21);
            for (int i = 0; i < leadCount; i++) {
                Instant capturedAt = random.nextInt(10) == 0
                        ? start.plusMonths(random.nextInt(months)).atStartOfDay(ZoneOffset.UTC).toInstant() // on a boundary
                        : start.atStartOfDay(ZoneOffset.UTC).toInstant()
                        .plus(random.nextInt((int) ChronoUnit.DAYS.between(start, end)), ChronoUnit.DAYS)
                        .plus(random.nextInt(24 * 60), ChronoUnit.MINUTES);
                LeadSpec lead;
                if (random.nextInt(5) == 0) {
                    lead = new LeadSpec(prefix + "-l" + i, null, channels.get(random.nextInt(2)), capturedAt);
                } else {
                    CampaignSpec campaign = campaigns.get(random.nextInt(campaigns.size()));
                    lead = new LeadSpec(prefix + "-l" + i, campaign.id, campaign.channel, capturedAt);
                }
                journey(lead);
                leads.add(lead);
            }

            // the whole year, one calendar month (the month after the leads' ones sees only late deals), and a
            // period of odd bounds
            periods.add(new Period(LocalDate.of(year, 1, 1), LocalDate.of(year + 1, 1, 1)));
            LocalDate month = start.plusMonths(random.nextInt(months + 1));
            periods.add(new Period(month, month.plusMonths(1)));
            LocalDate oddFrom = start.plusDays(5 + random.nextInt(20));
            periods.add(new Period(oddFrom, oddFrom.plusDays(20 + random.nextInt(40))));
        }

        private void journey(LeadSpec lead) {
            Instant at = lead.capturedAt;
            if (random.nextInt(10) < 6) {
                at = later(at);
                lead.mqlReported = at;
            }
            boolean disqualifyEarly = random.nextInt(10) == 0;
            if (!disqualifyEarly) {
                if (random.nextInt(10) < (lead.mqlReported != null ? 6 : 3)) {
                    at = later(at);
                    lead.sqlReported = at; // without an MQL before: MQL implied
                }
                boolean closes = lead.sqlReported != null ? random.nextInt(10) < 7 : random.nextInt(10) == 0;
                if (closes) {
                    int deals = 1 + random.nextInt(3);
                    for (int d = 0; d < deals; d++) {
                        at = later(at);
                        boolean won = random.nextInt(10) < 6;
                        BigDecimal amount = BigDecimal.valueOf(won || random.nextBoolean() ? 100 + random.nextInt(50_000) : 0);
                        BigDecimal margin = BigDecimal.valueOf(random.nextInt(101), 2);
                        lead.deals.add(new Deal("d-" + d, won, amount, margin, at));
                    }
                }
            }
            if (disqualifyEarly || random.nextInt(6) == 0) {
                lead.disqualifiedAt = later(at);
            }
        }

        private Instant later(Instant at) {
            return at.plus(1 + random.nextInt(14 * 24), ChronoUnit.HOURS).plus(random.nextInt(60), ChronoUnit.MINUTES);
        }

        private BigDecimal cents(int min, int max) {
            return BigDecimal.valueOf(min + random.nextInt(max - min), 2);
        }

        /** Sends the history as a CRM would, a few retries included; the highest store position answered. */
        long send() {
            for (CampaignSpec campaign : campaigns) {
                // channels are free text: the service lower-cases them
                String sentChannel = random.nextBoolean() ? campaign.channel.toUpperCase(Locale.ROOT) : campaign.channel;
                remember(post("/api/campaigns", """
                        {"campaignId":"%s","name":"Property %s","channel":"%s","currency":"EUR","launchedOn":"%s-01-01"}
                        """.formatted(campaign.id, campaign.id, sentChannel, year)), 201);
            }
            for (SpendLine line : spend) {
                String body = """
                        {"spendId":"%s","amount":%s,"currency":"EUR","spentOn":"%s","costType":"%s"}
                        """.formatted(line.spendId, line.recorded.toPlainString(), line.spentOn, line.costType);
                remember(post("/api/campaigns/" + line.campaignId + "/spend", body), 201);
                if (random.nextInt(10) == 0) {
                    remember(post("/api/campaigns/" + line.campaignId + "/spend", body), 200); // a CRM's retry
                }
            }
            for (Map.Entry<SpendLine, BigDecimal> correction : corrections) {
                SpendLine line = correction.getKey();
                boolean changes = line.amount.compareTo(correction.getValue()) != 0;
                remember(post("/api/campaigns/" + line.campaignId + "/spend/" + line.spendId + "/corrections", """
                        {"amount":%s,"reason":"invoice corrected"}
                        """.formatted(correction.getValue().toPlainString())), changes ? 201 : 200);
                line.amount = correction.getValue();
            }
            for (LeadSpec lead : leads) {
                String capture = lead.campaignId != null
                        ? """
                        {"leadId":"%s","campaignId":"%s","capturedAt":"%s"}
                        """.formatted(lead.id, lead.campaignId, lead.capturedAt)
                        : """
                        {"leadId":"%s","channel":"%s","capturedAt":"%s"}
                        """.formatted(lead.id, random.nextBoolean() ? lead.channel.toUpperCase(Locale.ROOT) : lead.channel,
                        lead.capturedAt);
                remember(post("/api/leads", capture), 201);
                if (random.nextInt(10) == 0) {
                    remember(post("/api/leads", capture), 200);
                }
                if (lead.mqlReported != null) {
                    remember(Api.qualify(lead.id, "MQL", lead.mqlReported.toString()), 201);
                }
                if (lead.sqlReported != null) {
                    remember(Api.qualify(lead.id, "SQL", lead.sqlReported.toString()), 201);
                }
                for (Deal deal : lead.deals) {
                    remember(post("/api/leads/" + lead.id + "/deals", """
                            {"dealId":"%s","outcome":"%s","amount":%s,"currency":"EUR","grossMargin":%s,"closedAt":"%s"}
                            """.formatted(deal.dealId, deal.won ? "WON" : "LOST", deal.amount.toPlainString(),
                            deal.margin.toPlainString(), deal.closedAt)), 201);
                }
                if (lead.disqualifiedAt != null) {
                    remember(post("/api/leads/" + lead.id + "/disqualifications", """
                            {"reason":"no budget","disqualifiedAt":"%s"}
                            """.formatted(lead.disqualifiedAt)), 201);
                }
            }
            return position;
        }

        private void remember(Response answer, int status) {
            answer.then().statusCode(status);
            position = Math.max(position, ((Number) answer.path("position")).longValue());
        }

        private String channelOf(String campaignId) {
            return campaigns.stream().filter(c -> c.id.equals(campaignId)).findFirst().orElseThrow().channel;
        }

        /** What the KPIs of the period must be for the facts whose owner passes {@code include} (kpi-spec §4). */
        Figures expected(Period period, Predicate<Owner> include) {
            Figures figures = new Figures();
            for (SpendLine line : spend) {
                if (!period.contains(line.spentOn) || !include.test(new Owner(line.campaignId, channelOf(line.campaignId)))) {
                    continue;
                }
                if (line.costType.equals("SALES")) {
                    figures.salesCost = figures.salesCost.add(line.amount);
                } else {
                    figures.spend = figures.spend.add(line.amount);
                }
                if (line.costType.equals("MEDIA")) {
                    figures.mediaSpend = figures.mediaSpend.add(line.amount);
                }
            }
            for (LeadSpec lead : leads) {
                if (!include.test(new Owner(lead.campaignId, lead.channel))) {
                    continue;
                }
                figures.leads += period.contains(lead.capturedAt) ? 1 : 0;
                figures.mqls += period.contains(lead.mqlEntry()) ? 1 : 0;
                figures.sqls += period.contains(lead.sqlEntry()) ? 1 : 0;
                figures.customers += period.contains(lead.customerEntry()) ? 1 : 0;
                for (Deal deal : lead.deals) {
                    if (deal.won && period.contains(deal.closedAt)) {
                        figures.revenue = figures.revenue.add(deal.amount);
                        figures.grossProfit = figures.grossProfit.add(deal.amount.multiply(deal.margin));
                    }
                }
            }
            return figures;
        }
    }
}
