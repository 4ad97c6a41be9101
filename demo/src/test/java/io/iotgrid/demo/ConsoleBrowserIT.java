package io.iotgrid.demo;

import io.iotgrid.core.testing.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
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
 * place's history chart draws. Screenshots go to {@code target/console-live.png} and
 * {@code target/console-place.png}.
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

        await("place rows").atMost(WAIT).untilAsserted(() ->
                assertThat(browser.findElements(By.cssSelector("#places tbody tr[data-place]"))).isNotEmpty());
        await("both places").atMost(WAIT).untilAsserted(() -> assertThat(browser.findElements(By.cssSelector(
                "#places tbody tr[data-place]")).stream().map(r -> r.getAttribute("data-place")).distinct())
                .contains("p-1", "p-2"));

        // One window of p-1 seen early with a count, then the same window with a higher one, without a reload.
        String[] first = await("an early window of p-1").atMost(WAIT).until(() -> earlyRow("p-1"), r -> r != null);
        await("p-1's count rises").atMost(WAIT).untilAsserted(() -> {
            String[] now = row("p-1", first[0]);
            assertThat(now).as("window %s of p-1", first[0]).isNotNull();
            assertThat(Long.parseLong(now[1])).isGreaterThan(Long.parseLong(first[1]));
        });
        assertThat(((JavascriptExecutor) browser).executeScript("return window.notReloaded")).isEqualTo(true);
        assertThat(browser.findElement(By.id("connection")).getText()).isEqualTo("live");

        await("an alert").atMost(WAIT).untilAsserted(() -> assertThat(browser.findElements(
                By.cssSelector("#alerts li.alert"))).isNotEmpty());
        assertThat(browser.findElement(By.cssSelector("#alerts li.alert")).getText())
                .containsPattern("s-\\d in p-\\d: temperature \\d+\\.\\d broke temperature>25\\.0");
        await("a dead letter").atMost(WAIT).untilAsserted(() -> assertThat(browser.findElements(
                By.cssSelector("#dead-letters li.dead-letter"))).isNotEmpty());
        WebElement letter = browser.findElement(By.cssSelector("#dead-letters li.dead-letter"));
        assertThat(letter.getText()).contains("coap://127.0.0.1:");
        assertThat(letter.findElement(By.cssSelector("pre.hex")).getAttribute("textContent"))
                .matches("[0-9a-f]{2}( [0-9a-f]{2})*");
        await("the jobs table").atMost(WAIT).untilAsserted(() -> assertThat(browser.findElement(
                By.cssSelector("#jobs tbody")).getText()).contains("iot-grid-coap-aggregation", "RUNNING"));
        assertThat(browser.findElement(By.cssSelector("#members tbody")).getText()).contains("127.0.0.1:");
        screenshot("console-live.png");

        browser.findElement(By.cssSelector("tr[data-place='p-1'] td.id a")).click();
        await("a chart of p-1's closed windows").atMost(WAIT).untilAsserted(() -> {
            browser.navigate().refresh();
            WebElement plot = browser.findElement(By.cssSelector("#chart-window .plot"));
            assertThat(plot.getAttribute("data-points")).isNotNull();
            assertThat(Integer.parseInt(plot.getAttribute("data-points"))).isPositive();
            assertThat(plot.findElements(By.tagName("canvas"))).isNotEmpty();
        });
        assertThat(browser.findElement(By.cssSelector("#chart-window .status")).getText())
                .contains("from place_stats_history");
        screenshot("console-place.png");
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
        List<WebElement> rows = browser.findElements(By.cssSelector(
                "#places tbody tr.early[data-place='" + place + "']"));
        if (rows.isEmpty()) {
            return null;
        }
        List<WebElement> cells = rows.get(0).findElements(By.tagName("td"));
        return new String[] {cells.get(1).getText(), cells.get(3).getText()};
    }

    /** The window and count of {@code place}'s row for {@code window}, early or closed, or {@code null}. */
    private String[] row(String place, String window) {
        for (WebElement r : browser.findElements(By.cssSelector("#places tbody tr[data-place='" + place + "']"))) {
            List<WebElement> cells = r.findElements(By.tagName("td"));
            if (cells.get(1).getText().equals(window)) {
                return new String[] {window, cells.get(3).getText()};
            }
        }
        return null;
    }

    private void screenshot(String name) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), Path.of("target", name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
