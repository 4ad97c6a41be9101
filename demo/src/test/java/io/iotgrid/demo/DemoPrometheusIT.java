package io.iotgrid.demo;

import io.iotgrid.core.testing.FreePorts;
import io.iotgrid.member.PostgresServer;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The embedded default with the README's Prometheus command line: the JMX exporter agent (as the distribution's
 * {@code PROMETHEUS_PORT} runs it) publishes the aggregation job's counters while the demo runs; with
 * {@code --postgres}, history reaches PostgreSQL and the history store's queue gauge is scraped too.
 */
class DemoPrometheusIT {

    @Test
    void when_demoRunsWithExporterAgent_then_scrapeShowsJobAndPerResourceCounters() throws Exception {
        int metricsPort;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            metricsPort = free.getLocalPort();
        }
        Path output = Path.of("target", "demo-prometheus-it-output.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process demo = new ProcessBuilder(java, "-Xmx384m",
                "-javaagent:target/jmx_prometheus_javaagent.jar=127.0.0.1:" + metricsPort + ":jmx-exporter.yaml",
                "-jar", "target/iot-grid-demo.jar",
                "--duration", "90s", "--window", "2s", "--sensors", "4", "--places", "2", "--port", "6240")
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest scrape = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                                            .timeout(Duration.ofSeconds(10)).build();
            // Until the agent listens, a scrape is refused: that is waiting, not failing.
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2))
                   .ignoreExceptionsInstanceOf(ConnectException.class).untilAsserted(() -> {
                assertThat(demo.isAlive()).as("demo running; output:%n%s", Files.readString(output)).isTrue();
                String metrics = http.send(scrape, HttpResponse.BodyHandlers.ofString()).body();
                assertThat(sum(metrics, "readingsParsed")).isPositive();
                // The CoAP source's own counters, one series per observed resource: the dashboard's CoAP panels.
                assertThat(sum(metrics, "coapNotifications")).isPositive();
                assertThat(metrics).containsPattern("(?m)^com_hazelcast_jet_Metrics_coapNotifications\\{.*"
                        + "resource=coap://127\\.0\\.0\\.1:\\d+/sensors/s-1\\\\\"");
                assertThat(metrics).containsPattern("(?m)^com_hazelcast_jet_Metrics_lateEventsDropped\\{.*"
                        + "jobName=iot-grid-coap-aggregation.*vertex=bySensor");
            });
        } finally {
            demo.destroy();
            if (!demo.waitFor(30, TimeUnit.SECONDS)) {
                demo.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        assertThat(new File("Californium3.properties")).doesNotExist();
    }

    @Test
    void when_demoRunsWithPostgres_then_historyInTheTable_andItsQueueGaugeScraped() throws Exception {
        int metricsPort;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            metricsPort = free.getLocalPort();
        }
        Path output = Path.of("target", "demo-postgres-it-output.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try (PostgresServer pg = PostgresServer.start()) {
            String url = pg.createDatabase("demo");
            Process demo = new ProcessBuilder(java, "-Xmx384m",
                    "-javaagent:target/jmx_prometheus_javaagent.jar=127.0.0.1:" + metricsPort + ":jmx-exporter.yaml",
                    "-jar", "target/iot-grid-demo.jar",
                    "--duration", "120s", "--window", "2s", "--sensors", "4", "--places", "2",
                    "--port", Integer.toString(FreePorts.loopback()), "--scenario", "plain",
                    "--postgres", url + "?user=" + PostgresServer.USER + "&password=" + PostgresServer.PASSWORD)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            try {
                HttpClient http = HttpClient.newHttpClient();
                HttpRequest scrape = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort
                        + "/metrics")).timeout(Duration.ofSeconds(10)).build();
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2))
                       .ignoreExceptionsInstanceOf(ConnectException.class).untilAsserted(() -> {
                    assertThat(demo.isAlive()).as("demo running; output:%n%s", Files.readString(output)).isTrue();
                    String metrics = http.send(scrape, HttpResponse.BodyHandlers.ofString()).body();
                    assertThat(metrics).containsPattern("(?m)^com_hazelcast_iotgrid_Metrics_historyWriteBehindQueue"
                            + "\\{.*map=\"place_stats_history\",.*} \\d");
                    try (Connection c = PostgresServer.connect(url); Statement st = c.createStatement();
                         ResultSet rs = st.executeQuery("SELECT count(DISTINCT id) FROM place_stats_history")) {
                        rs.next();
                        assertThat(rs.getInt(1)).as("places with windows in PostgreSQL").isEqualTo(2);
                    }
                });
            } finally {
                demo.destroy();
                if (!demo.waitFor(30, TimeUnit.SECONDS)) {
                    demo.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** Sum of the samples of Jet metric {@code name} over every processor. */
    private static double sum(String metrics, String name) {
        return Pattern.compile("(?m)^com_hazelcast_jet_Metrics_" + name + "\\{[^}]*} (\\S+)$")
                      .matcher(metrics).results().mapToDouble(m -> Double.parseDouble(m.group(1))).sum();
    }
}
