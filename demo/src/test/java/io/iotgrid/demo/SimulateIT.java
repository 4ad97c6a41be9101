package io.iotgrid.demo;

import io.iotgrid.sources.MosquittoBroker;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo jar's {@code simulate} mode as the cluster guide runs it, in its own JVM, publishing to Debian's Mosquitto;
 * {@code mosquitto_sub} checks what arrives.
 */
class SimulateIT {

    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final String JAR = Path.of("target", "iot-grid-demo.jar").toAbsolutePath().toString();

    @Test
    void when_helpOrBadOption_then_usageWithExit0OrOneLineErrorWithExit2() throws Exception {
        Process help = new ProcessBuilder(JAVA, "-jar", JAR, "simulate", "--help").start();
        String usage = new String(help.getInputStream().readAllBytes());
        assertThat(help.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(help.exitValue()).as("exit code; output:%n%s", usage).isZero();
        assertThat(usage).contains("simulate [options]", "--to=T", "--bootstrap=H:P", "--broker=URI");

        Process bad = new ProcessBuilder(JAVA, "-jar", JAR, "simulate", "--to", "kafka").start();
        String error = new String(bad.getErrorStream().readAllBytes());
        assertThat(bad.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(bad.exitValue()).as("exit code; output:%n%s", error).isEqualTo(2);
        assertThat(error.lines()).containsExactly(
                "error: --to kafka needs --bootstrap HOST:PORT (simulate --help lists the options)");
    }

    @Test
    void when_simulatingToMosquitto_then_readingsArriveAndSigtermStopsWithOneLine() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(MosquittoBroker.options())) {
            Process subscriber = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p",
                    Integer.toString(broker.port()), "-t", "plant/#", "-v", "-C", "20").start();
            Path output = Path.of("target", "simulate-it-output.txt").toAbsolutePath();
            Process simulator = new ProcessBuilder(JAVA, "-Xmx256m", "-jar", JAR, "simulate", "--to", "mqtt",
                    "--broker", "mqtt://" + broker.hostAndPort(), "--sensors", "4", "--places", "2", "--rate", "5",
                    "--refresh", "1s")
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            try {
                assertThat(subscriber.waitFor(60, TimeUnit.SECONDS)).as("20 messages arrived at mosquitto_sub")
                        .isTrue();
                List<String> messages = new String(subscriber.getInputStream().readAllBytes()).lines().toList();
                assertThat(messages).hasSize(20)
                        .allMatch(m -> m.matches("plant/p-[12]/sensors/s-[1-4] \\{\"id\":\"s-[1-4]\".*"), "topic and "
                                + "JSON of a simulated sensor");
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                        assertThat(Files.readString(output)).containsPattern("sent [1-9]\\d* readings"));

                simulator.destroy();
                assertThat(simulator.waitFor(30, TimeUnit.SECONDS)).isTrue();
                String console = Files.readString(output);
                assertThat(simulator.exitValue()).as("a JVM ended by SIGTERM; output:%n%s", console).isEqualTo(143);
                assertThat(console).startsWith("iot-grid simulator: 4 sensors in 2 places at 5.0 readings/s each, "
                        + "scenario realistic, publishing to MQTT broker mqtt://" + broker.hostAndPort());
                assertThat(console).doesNotContain("Exception", "ERROR", "WARN");
                List<String> lines = console.lines().toList();
                assertThat(lines.get(lines.size() - 1)).matches("iot-grid simulator: stopped on Ctrl-C \\(a signal\\): "
                        + "the sensors sent \\d+ readings and \\d+ malformed payloads to the MQTT broker mqtt://"
                        + "127\\.0\\.0\\.1:\\d+, topics plant/\\{placeId}/sensors/\\{sensorId}; nothing was written to "
                        + "disk");
            } finally {
                for (Process p : List.of(simulator, subscriber)) {
                    p.destroy();
                    if (!p.waitFor(30, TimeUnit.SECONDS)) {
                        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    }
                }
            }
        }
    }
}
