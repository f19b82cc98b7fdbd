package com.kpiledger.web;

import com.kpiledger.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;

import static com.kpiledger.support.Api.post;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

/**
 * The KPI endpoints against kpi-spec §4-§5 through the running service: the worked examples exactly, month over
 * month, the two clocks, funnel and LTV. Each test owns a channel of its own, so the data of other tests never counts.
 */
@QuarkusTest
class KpiApiTest {

    private long lastPosition;

    @Test
    void cacOfAThousandForTenNewCustomersIsOneHundred() {
        String channel = Api.uniqueId("cac");
        String campaign = campaign(channel, "2032-05-01");
        spend(campaign, "s-1", "1000", "MEDIA", "2032-05-10");
        for (int i = 0; i < 10; i++) {
            String lead = lead(campaign, "2032-05-02T09:00:00Z");
            deal(lead, "d-1", "WON", "500", "0.5", "2032-05-20T10:00:00Z");
        }

        JsonPath summary = summary("from=2032-05-01&to=2032-06-01&channel=" + channel);

        assertThat(summary.getObject("cac", BigDecimal.class)).isEqualTo(new BigDecimal("100.00"));
        assertThat(summary.getLong("customers")).isEqualTo(10);
        assertThat(summary.getObject("spend", BigDecimal.class)).isEqualTo(new BigDecimal("1000.00"));
        assertThat(summary.getObject("cpl", BigDecimal.class)).isEqualTo(new BigDecimal("100.00"));
    }

    @Test
    void ltvOfOnePurchaseAndOfACrossSell() {
        String channel = Api.uniqueId("ltv");
        String campaign = campaign(channel, "2032-01-01");
        String single = lead(campaign, "2032-01-05T09:00:00Z");
        deal(single, "d-1", "WON", "200000", "0.35", "2032-02-01T10:00:00Z");
        String crossSell = lead(campaign, "2032-01-05T09:00:00Z");
        deal(crossSell, "d-1", "WON", "200000", "0.35", "2032-02-01T10:00:00Z");
        deal(crossSell, "d-2", "WON", "150000", "0.40", "2032-06-01T10:00:00Z");
        deal(crossSell, "d-3", "LOST", "90000", "0.50", "2032-07-01T10:00:00Z");
        deal(crossSell, "d-4", "WON", "160000", "0.30", "2033-01-15T10:00:00Z");

        JsonPath one = json(given().queryParam("minPosition", lastPosition).get("/api/customers/" + single + "/ltv"));
        assertThat(one.getObject("ltv", BigDecimal.class)).isEqualTo(new BigDecimal("70000.00"));
        JsonPath three = json(given().get("/api/customers/" + crossSell + "/ltv"));
        assertThat(three.getObject("ltv", BigDecimal.class)).isEqualTo(new BigDecimal("178000.00"));
        assertThat(three.getList("deals.dealId")).containsExactly("d-1", "d-2", "d-3", "d-4");
        assertThat(three.getString("customerSince")).isEqualTo("2032-02-01T10:00:00Z");

        // the average LTV of February's new customers counts every WON deal known, whatever its close date
        JsonPath february = summary("from=2032-02-01&to=2032-03-01&channel=" + channel);
        assertThat(february.getObject("avgLtv", BigDecimal.class)).isEqualTo(new BigDecimal("124000.00"));
        assertThat(february.getObject("revenue", BigDecimal.class)).isEqualTo(new BigDecimal("400000.00"));
        assertThat(february.getObject("grossProfit", BigDecimal.class)).isEqualTo(new BigDecimal("140000.00"));
    }

    @Test
    void roasOfTenToOneAndRoiOfZeroPointSevenFiveFourFour() {
        String channel = Api.uniqueId("roi");
        String campaign = campaign(channel, "2032-03-01");
        spend(campaign, "media", "10000", "MEDIA", "2032-03-02");
        spend(campaign, "content", "1400", "CONTENT", "2032-03-03");
        String lead = lead(campaign, "2032-03-04T09:00:00Z");
        // revenue 100,000 = 10 × media spend; gross profit 20,000 against spend 11,400
        deal(lead, "d-1", "WON", "100000", "0.2", "2032-03-20T10:00:00Z");

        JsonPath summary = summary("from=2032-03-01&to=2032-04-01&channel=" + channel);

        assertThat(summary.getObject("roas", BigDecimal.class)).isEqualTo(new BigDecimal("10.0000"));
        assertThat(summary.getObject("roi", BigDecimal.class)).isEqualTo(new BigDecimal("0.7544"));
        assertThat(summary.getObject("mediaSpend", BigDecimal.class)).isEqualTo(new BigDecimal("10000.00"));
        assertThat(summary.getObject("spend", BigDecimal.class)).isEqualTo(new BigDecimal("11400.00"));
    }

    @Test
    void spendWithoutLeadsHasNoCplAndSalesCostOnlyEntersFullyLoadedCac() {
        String channel = Api.uniqueId("zero");
        String campaign = campaign(channel, "2032-04-01");
        spend(campaign, "s-1", "500", "AGENCY", "2032-04-02");

        JsonPath summary = summary("from=2032-04-01&to=2032-05-01&channel=" + channel);
        assertThat(summary.getObject("spend", BigDecimal.class)).isEqualTo(new BigDecimal("500.00"));
        assertThat(summary.getLong("leads")).isZero();
        assertThat(summary.getString("cpl")).isNull();
        assertThat(summary.getString("cac")).isNull();
        assertThat(summary.getString("roi")).isNotNull();
        assertThat(summary.getString("roas")).isNull();

        spend(campaign, "s-2", "300", "SALES", "2032-04-03");
        String lead = lead(campaign, "2032-04-04T09:00:00Z");
        deal(lead, "d-1", "WON", "1000", "0.5", "2032-04-10T10:00:00Z");
        JsonPath marketing = summary("from=2032-04-01&to=2032-05-01&channel=" + channel);
        JsonPath fullyLoaded = summary("from=2032-04-01&to=2032-05-01&fullyLoaded=true&channel=" + channel);
        assertThat(marketing.getObject("spend", BigDecimal.class)).isEqualTo(new BigDecimal("500.00"));
        assertThat(marketing.getObject("salesCost", BigDecimal.class)).isEqualTo(new BigDecimal("300.00"));
        assertThat(marketing.getObject("cac", BigDecimal.class)).isEqualTo(new BigDecimal("500.00"));
        assertThat(fullyLoaded.getObject("cac", BigDecimal.class)).isEqualTo(new BigDecimal("800.00"));
    }

    @Test
    void monthOverMonthMqlToSqlChangesInPercentagePoints() {
        String channel = Api.uniqueId("mom");
        String campaign = campaign(channel, "2032-01-01");
        // January: 4 MQLs, 1 SQL (25%); February: 5 MQLs, 2 SQLs (40%)
        for (int i = 0; i < 4; i++) {
            String lead = lead(campaign, "2032-01-03T09:00:00Z");
            qualify(lead, "MQL", "2032-01-10T09:00:00Z");
            if (i == 0) {
                qualify(lead, "SQL", "2032-01-20T09:00:00Z");
            }
        }
        for (int i = 0; i < 5; i++) {
            String lead = lead(campaign, "2032-02-03T09:00:00Z");
            qualify(lead, "MQL", "2032-02-10T09:00:00Z");
            if (i < 2) {
                qualify(lead, "SQL", "2032-02-20T09:00:00Z");
            }
        }

        JsonPath monthly = json(kpis("/api/kpis/monthly", "from=2032-01-01&to=2032-03-01&channel=" + channel));

        assertThat(monthly.getList("months.month")).containsExactly("2032-01", "2032-02");
        assertThat(monthly.getObject("months[0].kpis.mqlToSqlRate", BigDecimal.class)).isEqualTo(new BigDecimal("0.2500"));
        assertThat(monthly.getObject("months[1].kpis.mqlToSqlRate", BigDecimal.class)).isEqualTo(new BigDecimal("0.4000"));
        assertThat(monthly.getObject("months[1].changes.mqlToSqlRate.percentagePoints", BigDecimal.class))
                .isEqualTo(new BigDecimal("15.00"));
        assertThat(monthly.getObject("months[1].changes.mqls.absolute", BigDecimal.class)).isEqualByComparingTo("1");
        assertThat(monthly.getObject("months[1].changes.mqls.relative", BigDecimal.class)).isEqualTo(new BigDecimal("0.2500"));
        // December had nothing: January's rate has no change to report, and its counts' relative change is undefined
        assertThat(monthly.getObject("months[0].changes.mqlToSqlRate.percentagePoints", BigDecimal.class)).isNull();
        assertThat(monthly.getObject("months[0].changes.mqls.relative", BigDecimal.class)).isNull();
    }

    @Test
    void aCorrectionAndALateLeadChangeThePeriodOnlyForQueriesKnownAfterThem() throws InterruptedException {
        String channel = Api.uniqueId("late");
        String campaign = campaign(channel, "2032-06-01");
        spend(campaign, "s-1", "1000", "MEDIA", "2032-06-05");
        lead(campaign, "2032-06-06T09:00:00Z");
        Instant beforeCorrections = pause();

        String correction = post("/api/campaigns/" + campaign + "/spend/s-1/corrections",
                "{\"amount\":800,\"reason\":\"credit note\"}").then().statusCode(201).extract().path("position").toString();
        lastPosition = Long.parseLong(correction);
        // a lead of June that the CRM only sends now
        lead(campaign, "2032-06-20T09:00:00Z");

        String period = "from=2032-06-01&to=2032-07-01&channel=" + channel;
        JsonPath now = summary(period);
        JsonPath then = summary(period + "&knownAt=" + beforeCorrections);

        assertThat(now.getObject("spend", BigDecimal.class)).isEqualTo(new BigDecimal("800.00"));
        assertThat(now.getLong("leads")).isEqualTo(2);
        assertThat(now.getObject("cpl", BigDecimal.class)).isEqualTo(new BigDecimal("400.00"));
        assertThat(then.getObject("spend", BigDecimal.class)).isEqualTo(new BigDecimal("1000.00"));
        assertThat(then.getLong("leads")).isEqualTo(1);
        assertThat(then.getObject("cpl", BigDecimal.class)).isEqualTo(new BigDecimal("1000.00"));
        assertThat(then.getString("knownAt")).isEqualTo(beforeCorrections.toString());
        assertThat(then.getLong("position")).isLessThan(now.getLong("position"));
        // July is untouched either way
        assertThat(summary("from=2032-07-01&to=2032-08-01&channel=" + channel).getObject("spend", BigDecimal.class))
                .isEqualTo(new BigDecimal("0.00"));
    }

    @Test
    void funnelPeriodAndCohortViewsWithImpliedStagesAndTimeToSql() {
        String channel = Api.uniqueId("fun");
        String campaign = campaign(channel, "2032-08-01");
        String a = lead(campaign, "2032-08-02T00:00:00Z");
        qualify(a, "MQL", "2032-08-03T00:00:00Z");
        qualify(a, "SQL", "2032-08-04T00:00:00Z"); // 24 h after MQL
        String b = lead(campaign, "2032-08-02T00:00:00Z");
        qualify(b, "SQL", "2032-08-05T00:00:00Z"); // MQL implied: 0 h
        deal(b, "d-1", "WON", "100", "0.5", "2032-09-10T00:00:00Z");
        String c = lead(campaign, "2032-08-02T00:00:00Z");
        remember(post("/api/leads/" + c + "/disqualifications",
                "{\"reason\":\"no budget\",\"disqualifiedAt\":\"2032-08-06T00:00:00Z\"}"));

        JsonPath period = json(kpis("/api/kpis/funnel", "from=2032-08-01&to=2032-09-01&channel=" + channel));
        assertThat(period.getList("stages.stage")).containsExactly("LEAD", "MQL", "SQL", "CUSTOMER");
        assertThat(period.getList("stages.count", Long.class)).containsExactly(3L, 2L, 2L, 0L);
        assertThat(period.getList("stages.implied", Long.class)).containsExactly(0L, 1L, 0L, 0L);
        assertThat(period.getObject("stages[1].rateFromPrevious", BigDecimal.class)).isEqualTo(new BigDecimal("0.6667"));
        assertThat(period.getLong("disqualified")).isEqualTo(1);
        assertThat(period.getLong("timeToSql.leads")).isEqualTo(2);
        assertThat(period.getObject("timeToSql.medianHours", BigDecimal.class)).isEqualTo(new BigDecimal("12.00"));
        assertThat(period.getObject("timeToSql.meanHours", BigDecimal.class)).isEqualTo(new BigDecimal("12.00"));

        // cohort rates: of the leads entering a stage in August, how many reached the next by now (b: in September)
        JsonPath cohort = json(kpis("/api/kpis/funnel", "view=cohort&from=2032-08-01&to=2032-09-01&channel=" + channel));
        assertThat(cohort.getList("stages.count", Long.class)).containsExactly(3L, 2L, 2L, 0L);
        assertThat(cohort.getObject("stages[1].rateFromPrevious", BigDecimal.class)).isEqualTo(new BigDecimal("0.6667"));
        assertThat(cohort.getObject("stages[3].rateFromPrevious", BigDecimal.class)).isEqualTo(new BigDecimal("0.5000"));
        assertThat(cohort.getLong("disqualified")).isEqualTo(1);
    }

    @Test
    void groupByChannelGivesOrganicLeadsTheirOwnChannelRow() {
        String channel = Api.uniqueId("grp");
        String campaign = campaign(channel, "2032-10-01");
        spend(campaign, "s-1", "300", "MEDIA", "2032-10-02");
        lead(campaign, "2032-10-03T09:00:00Z");
        String organic = Api.uniqueId("lead");
        lastPosition = ((Number) post("/api/leads", """
                {"leadId":"%s","channel":"%s","capturedAt":"2032-10-04T09:00:00Z"}
                """.formatted(organic, channel)).then().statusCode(201).extract().path("position")).longValue();

        JsonPath breakdown = summary("from=2032-10-01&to=2032-11-01&groupBy=campaign&channel=" + channel);

        assertThat(breakdown.getString("groupBy")).isEqualTo("CAMPAIGN");
        assertThat(breakdown.getList("rows.campaignId")).containsExactly(campaign, null);
        assertThat(breakdown.getList("rows.leads", Long.class)).containsExactly(1L, 1L);
        assertThat(breakdown.getLong("total.leads")).isEqualTo(2);
        assertThat(breakdown.getObject("total.cpl", BigDecimal.class)).isEqualTo(new BigDecimal("150.00"));
    }

    @Test
    void customerLtvAsKnownBeforeACrossSell() throws InterruptedException {
        String channel = Api.uniqueId("ltvk");
        String campaign = campaign(channel, "2032-01-01");
        String lead = lead(campaign, "2032-01-02T09:00:00Z");
        deal(lead, "d-1", "WON", "1000", "0.5", "2032-01-10T10:00:00Z");
        Instant before = pause();
        deal(lead, "d-2", "WON", "3000", "0.5", "2032-02-10T10:00:00Z");

        JsonPath now = json(given().queryParam("minPosition", lastPosition).get("/api/customers/" + lead + "/ltv"));
        JsonPath then = json(given().queryParam("knownAt", before.toString()).get("/api/customers/" + lead + "/ltv"));
        assertThat(now.getObject("ltv", BigDecimal.class)).isEqualTo(new BigDecimal("2000.00"));
        assertThat(then.getObject("ltv", BigDecimal.class)).isEqualTo(new BigDecimal("500.00"));
        assertThat(then.getList("deals")).hasSize(1);

        given().get("/api/customers/nobody-" + lead + "/ltv").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void parameterErrorsAreProblemsNamingEachParameter() {
        given().get("/api/kpis/summary?from=2032-02-01&to=2032-01-01").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItems("to"));
        given().get("/api/kpis/summary?from=2032-01-01&to=2032-02-01&groupBy=week").then().statusCode(400)
                .body("errors.field", hasItems("groupBy"));
        given().get("/api/kpis/summary?from=yesterday&to=2032-13-01").then().statusCode(400)
                .body("errors.field", hasItems("from", "to"));
        given().get("/api/kpis/summary?to=2032-01-01").then().statusCode(400).body("errors.field", hasItems("from"));
        given().get("/api/kpis/summary?from=2026-01-01&to=2026-02-01&knownAt=2999-01-01T00:00:00Z").then().statusCode(400)
                .body("errors.field", hasItems("knownAt"));
        given().get("/api/kpis/summary?from=2026-01-01&to=2026-02-01&knownAt=2026-01-01").then().statusCode(400)
                .body("errors.field", hasItems("knownAt"));
        given().get("/api/kpis/funnel?from=2026-01-01&to=2026-02-01&view=sideways").then().statusCode(400)
                .body("errors.field", hasItems("view"));
        given().get("/api/kpis/monthly?from=2026-01-01&to=2026-02-01&currency=eur").then().statusCode(400)
                .body("errors.field", hasItems("currency"));
        given().get("/api/kpis/summary?from=2026-01-01&to=2026-02-01&minPosition=-3").then().statusCode(400)
                .body("errors.field", hasItems("minPosition"));
        given().get("/api/customers/x/ltv?knownAt=soon").then().statusCode(400).body("errors.field", hasItems("knownAt"));
    }

    @Test
    void readingAtAPositionNotYetReachedAnswers503WithRetryAfter() {
        given().get("/api/kpis/summary?from=2026-01-01&to=2026-02-01&minPosition=999999999").then()
                .statusCode(503).contentType("application/problem+json").header("Retry-After", equalTo("1"))
                .body("type", equalTo("urn:kpi-ledger:problem:read-model-behind"));
    }

    // --- the CRM's side of each scenario; every command's position is kept for read-your-writes

    private String campaign(String channel, String launchedOn) {
        String id = Api.uniqueId("camp");
        remember(post("/api/campaigns", """
                {"campaignId":"%s","name":"KPI test","channel":"%s","currency":"EUR","launchedOn":"%s"}
                """.formatted(id, channel, launchedOn)));
        return id;
    }

    private void spend(String campaign, String spendId, String amount, String costType, String spentOn) {
        remember(post("/api/campaigns/" + campaign + "/spend", """
                {"spendId":"%s","amount":%s,"currency":"EUR","spentOn":"%s","costType":"%s"}
                """.formatted(spendId, amount, spentOn, costType)));
    }

    private String lead(String campaign, String capturedAt) {
        String id = Api.uniqueId("lead");
        remember(post("/api/leads", """
                {"leadId":"%s","campaignId":"%s","capturedAt":"%s"}
                """.formatted(id, campaign, capturedAt)));
        return id;
    }

    private void qualify(String lead, String stage, String at) {
        remember(Api.qualify(lead, stage, at));
    }

    private void deal(String lead, String dealId, String outcome, String amount, String margin, String closedAt) {
        remember(post("/api/leads/" + lead + "/deals", """
                {"dealId":"%s","outcome":"%s","amount":%s,"currency":"EUR","grossMargin":%s,"closedAt":"%s"}
                """.formatted(dealId, outcome, amount, margin, closedAt)));
    }

    private void remember(io.restassured.response.Response answer) {
        answer.then().statusCode(201);
        lastPosition = Math.max(lastPosition, ((Number) answer.path("position")).longValue());
    }

    /** A moment strictly between what was sent so far and what is sent next (recorded times have millisecond precision). */
    private static Instant pause() throws InterruptedException {
        Thread.sleep(5);
        Instant moment = Instant.now();
        Thread.sleep(5);
        return moment;
    }

    private JsonPath summary(String query) {
        return json(kpis("/api/kpis/summary", query));
    }

    private io.restassured.response.Response kpis(String path, String query) {
        return given().get(path + "?" + query + "&minPosition=" + lastPosition);
    }

    private static JsonPath json(io.restassured.response.Response response) {
        response.then().statusCode(200);
        return new JsonPath(response.asString())
                .using(JsonPathConfig.jsonPathConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
    }
}
