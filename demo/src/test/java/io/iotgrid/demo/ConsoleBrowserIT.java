package io.iotgrid.demo;

import io.iotgrid.core.testing.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The web console in a real browser: Debian's headless Chromium, driven through its chromium-driver by Selenium,
 * opens the page of a running demo (the shaded jar in its own JVM, 10 s windows): place rows appear, a place's count
 * rises while the page stays loaded, alerts (s-1 runs hot) and the malformed payloads' dead letters show up, and a
 * place's history chart draws. Screenshots go to {@code target/console-place.png} (the chart) and
 * {@code target/console-live.png} (the live page once closed windows show; docs/console.png is one).
 */
class ConsoleBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Pattern CONSOLE_URL = Pattern.compile("iot-grid demo: console (http://127\\.0\\.0\\.1:\\d+/)");
    private static final Duration WAIT = Duration.ofSeconds(90);

    private Process demo;
    private ChromeDriver browser;

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (demo != null) {
            demo.destroy();
            if (!demo.waitFor(60, TimeUnit.SECONDS)) {
                demo.destroyForcibly();
            }
        }
    }

    @Test
    void when_demoRuns_then_pageShowsPlacesLiveAlertsDeadLettersAndAChart(@TempDir Path profile) throws Exception {
        assertThat(CHROMIUM).as("Debian's chromium (apt-get install chromium chromium-driver)").exists();
        assertThat(CHROMEDRIVER).as("Debian's chromium-driver").exists();
        Path jar = Path.of("target", "iot-grid-demo.jar");
        Path output = Path.of("target", "console-browser-it-demo.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        demo = new ProcessBuilder(java, "-Xmx512m", "-jar", jar.toString(), "--duration", "5m", "--window", "10s",
                "--refresh", "30s", "--sensors", "4", "--places", "2", "--rate", "5",
                "--port", String.valueOf(FreePorts.loopback()), "--console-port", "0")
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        String url = await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            Matcher m = CONSOLE_URL.matcher(Files.readString(output));
            return m.find() ? m.group(1) : null;
        }, u -> u != null);

        browser = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build(), options(profile));
        browser.get(url);
        ((JavascriptExecutor) browser).executeScript("window.notReloaded = true");

        await("place rows").atMost(WAIT).untilAsserted(() -> assertThat(text("#places tbody tr[data-place]"))
                .isNotNull());
        await("both places").atMost(WAIT).untilAsserted(() -> {
            assertThat(rows("p-1")).isNotEmpty();
            assertThat(rows("p-2")).isNotEmpty();
        });

        // One window of p-1 seen early with a count, then the same window with a higher one, without a reload.
        String[] first = await("an early window of p-1").atMost(WAIT).until(() -> earlyRow("p-1"), r -> r != null);
        await("p-1's count rises").atMost(WAIT).untilAsserted(() -> {
            String[] now = row("p-1", first[0]);
            assertThat(now).as("window %s of p-1", first[0]).isNotNull();
            assertThat(Long.parseLong(now[1])).isGreaterThan(Long.parseLong(first[1]));
        });
        assertThat(((JavascriptExecutor) browser).executeScript("return window.notReloaded")).isEqualTo(true);
        assertThat(browser.findElement(By.id("connection")).getText()).isEqualTo("live");

        await("an alert").atMost(WAIT).untilAsserted(() -> assertThat(text("#alerts li.alert")).isNotNull());
        assertThat(text("#alerts li.alert")).containsPattern("s-\\d in p-\\d: temperature \\d+\\.\\d broke temperature>25\\.0");
        await("a dead letter").atMost(WAIT).untilAsserted(() -> assertThat(text("#dead-letters li.dead-letter"))
                .isNotNull());
        assertThat(text("#dead-letters li.dead-letter")).contains("coap://127.0.0.1:");
        assertThat(text("#dead-letters li.dead-letter pre.hex")).matches("[0-9a-f]{2}( [0-9a-f]{2})*");
        await("the jobs table").atMost(WAIT).untilAsserted(() -> assertThat(text("#jobs tbody"))
                .contains("iot-grid-coap-aggregation", "RUNNING"));
        await("the members table").atMost(WAIT).untilAsserted(() -> assertThat(text("#members tbody"))
                .contains("127.0.0.1:"));

        String placeLink = (String) ((JavascriptExecutor) browser).executeScript(
                "return document.querySelector(\"tr[data-place='p-1'] td.id a\").href");
        browser.get(placeLink);
        // The page redraws the window tier every 5 s: the chart appears once p-1 has a closed window in history.
        await("a chart of p-1's closed windows").atMost(WAIT).untilAsserted(() -> {
            assertThat(text("#chart-window .status")).contains("from place_stats_history");
            assertThat(Integer.parseInt((String) ((JavascriptExecutor) browser).executeScript(
                    "return document.querySelector('#chart-window .plot').dataset.points || '0'"))).isPositive();
            assertThat(browser.findElements(By.cssSelector("#chart-window .plot canvas"))).isNotEmpty();
        });
        screenshot("console-place.png");

        browser.get(url);
        await("closed windows beside the filling ones").atMost(WAIT).untilAsserted(() -> {
            assertThat(rows("p-1")).anySatisfy(r -> assertThat(r.get(2)).isEqualTo("closed"));
            assertThat(rows("p-2")).anySatisfy(r -> assertThat(r.get(2)).isEqualTo("closed"));
            assertThat(text("#alerts li.alert")).isNotNull();
            assertThat(text("#jobs tbody")).contains("RUNNING");
        });
        screenshot("console-live.png");
        assertThat(Files.readString(output)).doesNotContain("Exception", "ERROR");
    }

    private static ChromeOptions options(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,1100", "--user-data-dir=" + profile.toAbsolutePath());
        return options;
    }

    /** The window and count of {@code place}'s early row, or {@code null} while it has none. */
    private String[] earlyRow(String place) {
        return rows(place).stream().filter(r -> r.get(2).contains("early")).findFirst()
                          .map(r -> new String[] {r.get(0), r.get(1)}).orElse(null);
    }

    /** The window and count of {@code place}'s row for {@code window}, early or closed, or {@code null}. */
    private String[] row(String place, String window) {
        return rows(place).stream().filter(r -> r.get(0).equals(window)).findFirst()
                          .map(r -> new String[] {r.get(0), r.get(1)}).orElse(null);
    }

    /**
     * Window, count and class of each row of {@code place}, read in one script: the page replaces its rows as events
     * arrive, so elements found one call earlier may be gone.
     */
    @SuppressWarnings("unchecked")
    private List<List<String>> rows(String place) {
        return (List<List<String>>) ((JavascriptExecutor) browser).executeScript(
                "return [...document.querySelectorAll('#places tbody tr')].filter(r => r.dataset.place === arguments[0])"
                        + ".map(r => [r.cells[1].textContent, r.cells[3].textContent, r.className]);", place);
    }

    /** The text of the first element matching {@code css}, read in one script; {@code null} when none matches. */
    private String text(String css) {
        return (String) ((JavascriptExecutor) browser).executeScript(
                "const e = document.querySelector(arguments[0]); return e ? e.textContent : null;", css);
    }

    private void screenshot(String name) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), Path.of("target", name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
