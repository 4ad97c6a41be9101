package io.iotgrid.demo;

import io.iotgrid.sources.MosquittoBroker;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the shaded demo jar the way the README's first command does, in its own JVM, and reads what a person
 * would see on the console.
 */
class DemoJarIT {

    /**
     * A place row: place id, window, state (the last closed window, or the one filling up), readings, then the
     * temperature average.
     */
    private static final Pattern ROW = Pattern.compile(
            "^(p-\\d+)\\s+\\S+-\\S+\\s+(closed|early|final)\\s+(\\d+)\\s+(\\d+\\.\\d) \\(", Pattern.MULTILINE);

    /** A line of a stack trace: its exception, a frame, or the JVM's report of an uncaught one. */
    private static final Pattern STACK_TRACE = Pattern.compile(
            "(?m)^(\\s+at [\\w.$]+\\(|Exception in thread|[\\w.$]+(Exception|Error)(:|$))");

    @Test
    void when_helpOrBadValue_then_usageWithExit0OrOneLineErrorWithExit2() throws Exception {
        Path jar = Path.of("target", "iot-grid-demo.jar");
        assertThat(jar).exists();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        Process help = new ProcessBuilder(java, "-jar", jar.toString(), "--help").start();
        String usage = new String(help.getInputStream().readAllBytes());
        assertThat(help.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(help.exitValue()).as("exit code; output:%n%s", usage).isZero();
        assertThat(usage).contains("--sensors=N", "--source=S");

        Process bad = new ProcessBuilder(java, "-jar", jar.toString(), "--sensors", "-3").start();
        String error = new String(bad.getErrorStream().readAllBytes());
        assertThat(bad.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(bad.exitValue()).as("exit code; output:%n%s", error).isEqualTo(2);
        assertThat(error.lines()).containsExactly(
                "error: --sensors: sensors must be at least 1, was '-3' (--help lists the options)");
    }

    @Test
    void when_demoRunsWithDuration_then_faultsShownSecondDemoRefusedAndCleanExit() throws Exception {
        Path jar = Path.of("target", "iot-grid-demo.jar");
        assertThat(jar).exists();
        Path output = Path.of("target", "demo-it-output.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process demo = new ProcessBuilder(java, "-Xmx512m", "-jar", jar.toString(),
                "--duration", "25s", "--window", "4s", "--refresh", "2s", "--sensors", "6", "--places", "2",
                "--rate", "5", "--port", "5760")
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    assertThat(Files.readString(output)).contains("cluster 'iot-grid'"));
            // The first demo's member listens on 5760; a second one whose range (5758-5762) holds it would join it.
            Process second = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toString(), "--port", "5758").start();
            String refused = new String(second.getErrorStream().readAllBytes());
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(second.exitValue()).as("exit code; output:%n%s", refused).isEqualTo(2);
            assertThat(refused.lines()).containsExactly("error: 127.0.0.1:5760 is in use, most likely by an iot-grid "
                    + "demo already running (one demo per machine; clients reach it there): stop it, or give this one "
                    + "--port 5765 or above");
            assertThat(new String(second.getInputStream().readAllBytes())).isEmpty();
            assertThat(demo.isAlive()).as("the first demo runs on").isTrue();

            boolean exited = demo.waitFor(120, TimeUnit.SECONDS);
            String console = Files.readString(output);
            assertThat(exited).as("demo exits by itself after --duration; output:%n%s", console).isTrue();
            assertThat(demo.exitValue()).as("exit code; output:%n%s", console).isZero();

            assertThat(console).contains("iot-grid demo: 6 sensors in 2 places", "iot-grid demo: scenario realistic: "
                    + "2 % of readings malformed (dead letters), s-1 runs hot (alerts on temperature>25.0), s-6 goes "
                    + "quiet after 30s (--scenario plain turns this off)");
            Matcher rows = ROW.matcher(console);
            List<String> places = rows.results().map(r -> r.group(1)).distinct().sorted().toList();
            assertThat(places).as("places with aggregates in:%n%s", console).containsExactly("p-1", "p-2");
            List<String> windows = ROW.matcher(console).results().map(r -> r.group(0).split("\\s+")[1])
                    .distinct().toList();
            assertThat(windows).as("the table follows the windows as they advance").hasSizeGreaterThanOrEqualTo(3);
            assertThat(ROW.matcher(console).results().filter(r -> r.group(2).equals("closed")).count())
                    .as("closed windows shown beside the filling ones").isPositive();
            assertThat(ROW.matcher(console).results().mapToLong(r -> Long.parseLong(r.group(3))).min().orElseThrow())
                    .as("readings per window").isPositive();
            assertThat(console).doesNotContain("WARN", "ERROR", "Exception");
            assertThat(console).containsPattern("readings [1-9]\\d*  alerts [1-9]\\d*  dead letters [1-9]\\d*");
            assertThat(console).containsPattern("latest alert: s-\\d in p-\\d at \\S+, temperature \\d+\\.\\d broke "
                    + "temperature>25\\.0");
            assertThat(console).containsPattern("latest dead letter: from coap://127\\.0\\.0\\.1:\\d+/sensors/s-\\d at "
                    + "\\S+: (malformed JSON|.*temperature)");
            assertThat(lastLine(console)).isEqualTo("iot-grid demo: stopped after --duration 25s: job "
                    + "'iot-grid-coap-aggregation' cancelled, member 127.0.0.1:5760 shut down, simulated CoAP sensors "
                    + "stopped; the grid's maps lived in the member's memory, nothing was written to disk");
            assertThat(new File("Californium3.properties")).doesNotExist();
        } finally {
            stop(demo);
        }
    }

    @Test
    void when_kafkaDemoGetsSigterm_then_everythingStoppedBrokerDataDeletedOneLastLine() throws Exception {
        Path jar = Path.of("target", "iot-grid-demo.jar").toAbsolutePath();
        assertThat(jar).exists();
        Path output = Path.of("target", "demo-kafka-it-output.txt").toAbsolutePath();
        // Another working directory, as a user would have: the broker's jars come out of the demo jar itself.
        Path workDir = Files.createTempDirectory("iot-grid-demo-kafka-");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process demo = new ProcessBuilder(java, "-Xmx512m", "-jar", jar.toString(), "--source", "kafka",
                "--kafka-encoding", "avro", "--window", "4s", "--refresh", "2s", "--sensors", "6",
                "--places", "2", "--rate", "5", "--port", "6130")
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        try {
            // Until the table shows what the realistic scenario makes: alerts, dead letters and s-6 gone quiet after
            // 30 s, over three windows.
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                String console = Files.readString(output);
                assertThat(demo.isAlive()).as("demo running; output:%n%s", console).isTrue();
                assertThat(console).containsPattern("readings [1-9]\\d*  alerts [1-9]\\d*  dead letters [1-9]\\d*");
                assertThat(console).contains("silent: s-6");
                assertThat(ROW.matcher(console).results().map(r -> r.group(0).split("\\s+")[1]).distinct().count())
                        .isGreaterThanOrEqualTo(3);
            });
            demo.destroy();
            boolean exited = demo.waitFor(60, TimeUnit.SECONDS);
            String console = Files.readString(output);
            assertThat(exited).as("demo exits on SIGTERM; output:%n%s", console).isTrue();
            assertThat(demo.exitValue()).as("a JVM ended by SIGTERM; output:%n%s", console).isEqualTo(143);

            assertThat(console).contains("iot-grid demo: 6 sensors in 2 places",
                    "written as avro to Kafka topic 'sensor-readings' of the embedded broker 127.0.0.1:");
            List<String> places = ROW.matcher(console).results().map(r -> r.group(1)).distinct().sorted().toList();
            assertThat(places).as("places with aggregates in:%n%s", console).containsExactly("p-1", "p-2");
            assertThat(console).doesNotContain("ERROR");
            // No stack trace; the dead letters' reasons may name the exception Avro reported (EOFException).
            assertThat(console).doesNotContainPattern(STACK_TRACE);
            assertThat(console).containsPattern("latest dead letter: from kafka:sensor-readings/\\d+@\\d+ at \\S+: "
                    + "malformed avro value");
            Matcher broker = Pattern.compile("embedded broker 127\\.0\\.0\\.1:\\d+ \\(pid (\\d+), data in (\\S+)\\)")
                    .matcher(console);
            assertThat(broker.find()).as("broker pid and data in:%n%s", console).isTrue();
            assertThat(ProcessHandle.of(Long.parseLong(broker.group(1))).map(ProcessHandle::isAlive).orElse(false))
                    .as("the broker's JVM stopped with the demo").isFalse();
            assertThat(Path.of(broker.group(2))).as("the broker's data directory").doesNotExist();
            assertThat(lastLine(console)).startsWith("iot-grid demo: stopped on Ctrl-C (a signal): job "
                    + "'iot-grid-kafka-aggregation' cancelled, member 127.0.0.1:6130 shut down, simulated Kafka "
                    + "sensors stopped, Kafka broker (pid " + broker.group(1) + ") stopped; the broker's data "
                    + "directory " + broker.group(2) + " was deleted; its jars stay in ");
            try (Stream<Path> left = Files.list(workDir)) {
                assertThat(left).as("nothing written to the working directory").isEmpty();
            }
        } finally {
            stop(demo);
            Files.deleteIfExists(workDir);
        }
    }

    @Test
    void when_demoRunsWithMqttSource_then_embeddedBrokerLiveAggregatesDeadLettersAndNothingLeft() throws Exception {
        String console = runMqttDemo(6140);

        assertThat(console).containsPattern("readings [1-9]\\d*  alerts [1-9]\\d*  dead letters [1-9]\\d*");
        assertThat(console).contains("embedded MQTT broker stopped; the grid's maps lived in the member's memory");
        assertThat(console).contains("published over MQTT 3.1.1 to plant/{placeId}/sensors/{sensorId} on the embedded "
                + "Moquette broker 127.0.0.1:", "subscribed with QoS 0");
    }

    @Test
    void when_plainDemoRunsAgainstMosquitto_then_mqtt5Qos1AndNoDeadLetter() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(MosquittoBroker.options())) {
            String console = runMqttDemo(6150, "--mqtt-broker", broker.hostAndPort(), "--scenario", "plain",
                    "--alert", "temperature>10");

            assertThat(console).contains("iot-grid demo: scenario plain: every sensor well-behaved");
            assertThat(console).containsPattern("readings [1-9]\\d*  alerts [1-9]\\d*  dead letters 0\\s");
            assertThat(console).doesNotContain("latest dead letter");

            assertThat(console).contains("published over MQTT 5 to plant/{placeId}/sensors/{sensorId} on the broker "
                    + broker.hostAndPort(), "subscribed with QoS 1");
        }
    }

    /** Runs the demo with {@code --source mqtt} and {@code extra} options, checks what every MQTT run shows. */
    private static String runMqttDemo(int port, String... extra) throws Exception {
        Path jar = Path.of("target", "iot-grid-demo.jar").toAbsolutePath();
        Path output = Path.of("target", "demo-mqtt-it-output-" + port + ".txt").toAbsolutePath();
        Path workDir = Files.createTempDirectory("iot-grid-demo-mqtt-");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx512m", "-jar", jar.toString(),
                "--source", "mqtt", "--duration", "15s", "--window", "4s", "--refresh", "2s", "--sensors", "6",
                "--places", "2", "--rate", "5", "--port", Integer.toString(port)));
        command.addAll(List.of(extra));
        Process demo = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        try {
            boolean exited = demo.waitFor(120, TimeUnit.SECONDS);
            String console = Files.readString(output);
            assertThat(exited).as("demo exits by itself after --duration; output:%n%s", console).isTrue();
            assertThat(demo.exitValue()).as("exit code; output:%n%s", console).isZero();
            List<String> places = ROW.matcher(console).results().map(r -> r.group(1)).distinct().sorted().toList();
            assertThat(places).as("places with aggregates in:%n%s", console).containsExactly("p-1", "p-2");
            assertThat(console).doesNotContain("ERROR", "Exception");
            assertThat(lastLine(console)).startsWith("iot-grid demo: stopped after --duration 15s: job "
                    + "'iot-grid-mqtt-aggregation' cancelled, member 127.0.0.1:" + port + " shut down, simulated MQTT "
                    + "sensors stopped");
            try (Stream<Path> left = Files.list(workDir)) {
                assertThat(left).as("nothing written to the working directory").isEmpty();
            }
            return console;
        } finally {
            stop(demo);
            Files.deleteIfExists(workDir);
        }
    }

    private static String lastLine(String console) {
        List<String> lines = console.lines().filter(l -> !l.isBlank()).toList();
        return lines.get(lines.size() - 1);
    }

    /** Stops {@code demo} if a failed assertion left it running: SIGTERM, then SIGKILL. */
    private static void stop(Process demo) throws InterruptedException {
        demo.destroy();
        if (!demo.waitFor(30, TimeUnit.SECONDS)) {
            demo.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
