package com.kpiledger.web;

import com.kpiledger.support.Browser;
import com.kpiledger.support.KpiHttp;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.kpiledger.support.Api.post;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in real headless Chromium against the running service: data goes in through the API, then the page
 * must show, card by card, what the KPI API answers for the same question — for other periods, another channel and
 * an earlier "as known at" moment too. The campaigns are in NZD, a currency no other test uses, so the spend of the
 * whole ledger in NZD is known exactly; the other figures may include other tests' organic leads and are compared
 * with the API's answer.
 */
@QuarkusTest
class DashboardTest {

    private static final List<String> CARDS = List.of("spend", "leads", "mqls", "sqls", "customers", "cpl", "cac",
            "avgLtv", "ltvToCac", "roi", "roas");

    private static ChromeDriver browser;

    @TestHTTPResource("/dashboard/")
    URL dashboard;

    private long lastPosition;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    /** Where the screenshot goes; the PostgreSQL run keeps its own under target/ so the two never overwrite. */
    protected Path screenshot() {
        return Path.of("docs", "dashboard.png");
    }

    @Test
    void showsWhatTheApiAnswersForEveryPeriodChannelAndMoment() throws IOException {
        recordJanuaryAndFebruary();
        // wait until the read models hold everything so far, then remember the moment
        KpiHttp.json("/api/kpis/summary", Map.of("from", "2031-01-01", "to", "2031-03-01", "currency", "NZD"), lastPosition);
        // milliseconds are enough to tell the moments apart when a few pass on either side
        pause();
        Instant beforeCorrection = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        pause();
        recordLateFacts();
        KpiHttp.json("/api/kpis/summary", Map.of("from", "2031-01-01", "to", "2031-03-01", "currency", "NZD"), lastPosition);

        // February alone, opened from a link
        browser.get(dashboard + "?from=2031-02&to=2031-02&currency=NZD");
        signInAs("auditor");
        assertCardsMatch(Map.of("from", "2031-02-01", "to", "2031-03-01"));
        assertThat(card("spend").getText()).isEqualTo("NZ$3,300.50");
        assertThat(browser.findElement(By.cssSelector("[data-kpi=spend] .change")).getText())
                .isEqualTo("Feb 2031 vs Jan 2031: +NZ$1,715.94 (+108.29%)");

        // the period moves back a month with the keyboard-reachable button
        browser.findElement(By.id("previous-period")).click();
        assertCardsMatch(Map.of("from", "2031-01-01", "to", "2031-02-01"));
        assertThat(card("spend").getText()).isEqualTo("NZ$1,584.56");

        // and widens to January–February by typing the last month's month (the year stays 2031)
        browser.findElement(By.id("to")).sendKeys("02");
        assertCardsMatch(Map.of("from", "2031-01-01", "to", "2031-03-01"));
        assertThat(card("spend").getText()).isEqualTo("NZ$4,885.06");
        assertThat(browser.getCurrentUrl()).contains("from=2031-01").contains("to=2031-02");

        // as known before the correction and the late deal: those figures differ from today's, and say so
        WebElement knownAt = browser.findElement(By.id("known-at"));
        knownAt.sendKeys(beforeCorrection.toString(), Keys.ENTER);
        Map<String, String> asKnown = Map.of("from", "2031-01-01", "to", "2031-03-01", "knownAt", beforeCorrection.toString());
        assertCardsMatch(asKnown);
        assertThat(card("spend").getText()).isEqualTo("NZ$5,035.06");
        WebElement spendCard = browser.findElement(By.cssSelector("[data-kpi=spend]"));
        assertThat(spendCard.getAttribute("class")).contains("differs");
        assertThat(spendCard.findElement(By.className("today")).getText()).isEqualTo("Today: NZ$4,885.06");
        assertThat(browser.findElement(By.cssSelector("[data-kpi=customers]")).getAttribute("class")).contains("differs");
        assertThat(browser.findElement(By.id("as-known")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("causes")).getAttribute("textContent"))
                .contains("SpendCorrectedEvent (campaign dash-search)").contains("CustomerAcquiredEvent (lead dash-search-feb-3)");

        saveScreenshot();

        // the spend card's verification: the service recomputes the same figure from the raw events
        spendCard.findElement(By.className("verify")).click();
        waitUntil(() -> browser.findElement(By.id("detail-title")).getText().equals("Spend: verified"));
        assertThat(browser.findElement(By.id("detail-body")).getText())
                .contains("Read models answer\nNZ$5,035.06").contains("Recomputed from the events\nNZ$5,035.06");
        browser.findElement(By.cssSelector("#detail form button")).click();

        // back to now, then one channel: social has spend but no customer, so its CAC is n/a
        browser.findElement(By.id("now")).click();
        assertCardsMatch(Map.of("from", "2031-01-01", "to", "2031-03-01"));
        assertThat(browser.findElement(By.id("as-known")).isDisplayed()).isFalse();
        new Select(browser.findElement(By.id("channel"))).selectByValue("social");
        assertCardsMatch(Map.of("from", "2031-01-01", "to", "2031-03-01", "channel", "social"));
        assertThat(card("cac").getText()).isEqualTo("n/a");

        // the events behind a campaign's figures, from the event store
        new Select(browser.findElement(By.id("campaign"))).selectByValue("dash-search");
        assertCardsMatch(Map.of("from", "2031-01-01", "to", "2031-03-01", "campaignId", "dash-search"));
        browser.findElement(By.cssSelector("[data-kpi=spend] .events")).click();
        waitUntil(() -> browser.findElement(By.id("detail-title")).getText().matches("Campaign dash-search: \\d+ events"));
        assertThat(browser.findElement(By.id("detail-body")).getText())
                .contains("CampaignLaunchedEvent").contains("SpendCorrectedEvent");
        browser.findElement(By.cssSelector("#detail form button")).click();

        // at phone width nothing needs a sideways scroll (the picture is kept under target/ for a look)
        browser.manage().window().setSize(new Dimension(390, 844));
        waitUntil(() -> (Boolean) js("return document.documentElement.scrollWidth <= window.innerWidth"));
        js("document.getElementById('figures').scrollIntoView()");
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), Path.of("target", screenshot().getFileName()
                .toString().replace(".png", "-phone.png")), StandardCopyOption.REPLACE_EXISTING);
        browser.manage().window().setSize(new Dimension(1280, 800));

        // from the keyboard: the first Tab reaches the skip link, which leads to the figures
        browser.get(dashboard + "?from=2031-01&to=2031-02&currency=NZD");
        assertCardsMatch(Map.of("from", "2031-01-01", "to", "2031-03-01"));
        browser.findElement(By.tagName("body")).sendKeys(Keys.TAB);
        assertThat(browser.switchTo().activeElement().getText()).isEqualTo("Skip to the figures");
        browser.switchTo().activeElement().sendKeys(Keys.ENTER);
        waitUntil(() -> "figures".equals(browser.switchTo().activeElement().getAttribute("id")));
    }

    // ---------- the page ----------

    /**
     * The API refuses the page's first calls (no credentials yet), so it asks for them: a local user of the test
     * profile, as in dev mode. They stay for the browser tab's session.
     */
    private void signInAs(String user) {
        waitUntil(() -> browser.findElement(By.id("sign-in")).getAttribute("open") != null);
        browser.findElement(By.id("sign-in-user")).sendKeys(user);
        browser.findElement(By.id("sign-in-password")).sendKeys(user);
        browser.findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
        waitUntil(() -> browser.findElement(By.id("sign-in")).getAttribute("open") == null);
    }

    private WebElement card(String kpi) {
        return browser.findElement(By.cssSelector("[data-kpi=" + kpi + "] .value"));
    }

    /** Every card holds the API's figure for the same question, exactly (the raw decimal) and formatted. */
    private void assertCardsMatch(Map<String, String> parameters) {
        Map<String, String> question = new LinkedHashMap<>(parameters);
        question.put("currency", "NZD");
        JsonPath summary = KpiHttp.json("/api/kpis/summary", question, lastPosition);
        waitUntil(() -> "ready".equals(js("return document.documentElement.dataset.state"))
                && CARDS.stream().allMatch(kpi -> same(card(kpi).getAttribute("data-raw"), summary.get(kpi))));
        for (String kpi : CARDS) {
            String shown = card(kpi).getText();
            if (summary.get(kpi) == null) {
                assertThat(shown).as(kpi).isEqualTo("n/a");
            } else {
                assertThat(shown).as(kpi).matches(".*\\d.*");
            }
        }
    }

    private static boolean same(String shown, Object answered) {
        if (answered == null) {
            return shown == null || shown.isEmpty();
        }
        return shown != null && !shown.isEmpty()
                && new BigDecimal(shown).compareTo(KpiHttp.decimal(answered)) == 0;
    }

    private void saveScreenshot() throws IOException {
        // the whole page at 1280 px wide, cards and charts together
        // the window is taller than the page's viewport by the browser's own frame
        long height = (Long) js("return document.documentElement.scrollHeight + window.outerHeight - window.innerHeight");
        browser.manage().window().setSize(new Dimension(1280, (int) Math.max(800, height)));
        waitUntil(() -> (Boolean) js("return document.documentElement.scrollHeight <= window.innerHeight"));
        Path target = screenshot();
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        browser.manage().window().setSize(new Dimension(1280, 800));
    }

    private static void pause() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) {
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(driver -> condition.getAsBoolean());
    }

    // ---------- the data ----------

    /** Three NZD campaigns over January and February 2031: search sells, social only spends, email sells once. */
    private void recordJanuaryAndFebruary() {
        campaign("dash-search", "paid-search");
        campaign("dash-social", "social");
        campaign("dash-mail", "email");
        spend("dash-search", "s-jan", "1000", "MEDIA", "2031-01-03");
        spend("dash-search", "s-feb", "2500.50", "MEDIA", "2031-02-03");
        spend("dash-search", "s-sales", "400", "SALES", "2031-02-04");
        spend("dash-social", "so-jan", "734.56", "MEDIA", "2031-01-04");
        spend("dash-social", "so-feb", "500", "CONTENT", "2031-02-04");
        spend("dash-mail", "m-feb", "300", "MEDIA", "2031-02-05");

        for (int i = 1; i <= 4; i++) {
            String lead = lead("dash-search-jan-" + i, "dash-search", "2031-01-05T09:00:00Z");
            if (i <= 3) {
                qualify(lead, "MQL", "2031-01-10T09:00:00Z");
            }
            if (i <= 2) {
                qualify(lead, "SQL", "2031-01-15T09:00:00Z");
            }
            if (i == 1) {
                deal(lead, "d-1", "WON", "120000", "0.3", "2031-01-25T10:00:00Z");
            }
        }
        for (int i = 1; i <= 5; i++) {
            String lead = lead("dash-search-feb-" + i, "dash-search", "2031-02-03T09:00:00Z");
            if (i <= 4) {
                qualify(lead, "MQL", "2031-02-08T09:00:00Z");
            }
            if (i <= 3) {
                qualify(lead, "SQL", "2031-02-12T09:00:00Z");
            }
        }
        deal("dash-search-feb-1", "d-1", "WON", "80000", "0.35", "2031-02-20T10:00:00Z");
        deal("dash-search-feb-2", "d-1", "WON", "50000", "0.4", "2031-02-20T10:00:00Z");
        deal("dash-search-feb-4", "d-1", "LOST", "20000", "0.4", "2031-02-21T10:00:00Z");
        for (int i = 1; i <= 3; i++) {
            String lead = lead("dash-social-jan-" + i, "dash-social", "2031-01-06T09:00:00Z");
            if (i == 1) {
                qualify(lead, "MQL", "2031-01-12T09:00:00Z");
            }
        }
        for (int i = 1; i <= 2; i++) {
            String lead = lead("dash-social-feb-" + i, "dash-social", "2031-02-06T09:00:00Z");
            qualify(lead, "MQL", "2031-02-09T09:00:00Z");
            if (i == 1) {
                qualify(lead, "SQL", "2031-02-14T09:00:00Z");
            }
        }
        for (int i = 1; i <= 2; i++) {
            String lead = lead("dash-mail-feb-" + i, "dash-mail", "2031-02-07T09:00:00Z");
            if (i == 1) {
                qualify(lead, "SQL", "2031-02-10T09:00:00Z");
                deal(lead, "d-1", "WON", "30000", "0.5", "2031-02-22T10:00:00Z");
            }
        }
    }

    /** What arrives later: a credit note on January's search spend and a February deal closed late. */
    private void recordLateFacts() {
        remember(post("/api/campaigns/dash-search/spend/s-jan/corrections", """
                {"amount":850,"reason":"credit note 31"}"""));
        deal("dash-search-feb-3", "d-1", "WON", "60000", "0.3", "2031-02-25T10:00:00Z");
    }

    private void campaign(String id, String channel) {
        remember(post("/api/campaigns", """
                {"campaignId":"%s","name":"%s","channel":"%s","currency":"NZD","launchedOn":"2031-01-01"}
                """.formatted(id, id, channel)));
    }

    private void spend(String campaign, String spendId, String amount, String costType, String spentOn) {
        remember(post("/api/campaigns/" + campaign + "/spend", """
                {"spendId":"%s","amount":%s,"currency":"NZD","spentOn":"%s","costType":"%s"}
                """.formatted(spendId, amount, spentOn, costType)));
    }

    private String lead(String id, String campaign, String capturedAt) {
        remember(post("/api/leads", """
                {"leadId":"%s","campaignId":"%s","capturedAt":"%s"}""".formatted(id, campaign, capturedAt)));
        return id;
    }

    private void qualify(String lead, String stage, String at) {
        remember(post("/api/leads/" + lead + "/qualifications", """
                {"stage":"%s","qualifiedAt":"%s"}""".formatted(stage, at)));
    }

    private void deal(String lead, String dealId, String outcome, String amount, String margin, String closedAt) {
        remember(post("/api/leads/" + lead + "/deals", """
                {"dealId":"%s","outcome":"%s","amount":%s,"currency":"NZD","grossMargin":%s,"closedAt":"%s"}
                """.formatted(dealId, outcome, amount, margin, closedAt)));
    }

    private void remember(Response response) {
        response.then().statusCode(201);
        lastPosition = Math.max(lastPosition, response.jsonPath().getLong("position"));
    }
}
