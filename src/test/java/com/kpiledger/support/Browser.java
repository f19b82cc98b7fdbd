package com.kpiledger.support;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Debian's headless Chromium, driven through Debian's chromedriver. Selenium Manager is never asked for a driver: it
 * would try to download one, and this machine reaches no such server. {@code KPI_LEDGER_CHROMIUM} and
 * {@code KPI_LEDGER_CHROMEDRIVER} point elsewhere if needed.
 */
public final class Browser {

    private Browser() {
    }

    public static ChromeDriver start() {
        File chromium = executable("KPI_LEDGER_CHROMIUM", "/usr/bin/chromium");
        File chromedriver = executable("KPI_LEDGER_CHROMEDRIVER", "/usr/bin/chromedriver");
        Path profile;
        try {
            profile = Files.createTempDirectory("kpi-ledger-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        // without the background-networking flags Chromium waits for servers it cannot reach on a closed network
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1280,800", "--lang=en-US");
        // the assertions read numbers formatted by Intl.NumberFormat, so the browser's language is fixed
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "en-US"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver)
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    private static File executable(String variable, String fallback) {
        String path = System.getenv().getOrDefault(variable, fallback);
        File file = new File(path);
        if (!file.canExecute()) {
            throw new IllegalStateException("""

                    ***********************************************************************************
                    The dashboard's browser test needs Chromium and ChromeDriver, and %s is missing.
                    Install them (as root):  apt-get install -y chromium chromium-driver
                    (.ci/run does this), or set %s to the executable.
                    ***********************************************************************************""".formatted(path, variable));
        }
        return file;
    }
}
