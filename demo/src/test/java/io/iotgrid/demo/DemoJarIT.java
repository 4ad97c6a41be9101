package io.iotgrid.demo;

import io.iotgrid.sources.MosquittoBroker;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the shaded demo jar the way the README's first command does, in its own JVM, and reads what a person
 * would see on the console.
 */
class DemoJarIT {

    /** A place row: place id, window, state, readings, then the temperature average. */
    private static final Pattern ROW = Pattern.compile(
            "^(p-\\d+)\\s+\\S+-\\S+\\s+(early|final)\\s+(\\d+)\\s+(\\d+\\.\\d) \\(", Pattern.MULTILINE);

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
    void when_demoRunsWithDuration_then_liveAggregatesPrintedAndCleanExit() throws Exception {
        Path jar = Path.of("target", "iot-grid-demo.jar");
        assertThat(jar).exists();
        Path output = Path.of("target", "demo-it-output.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process demo = new ProcessBuilder(java, "-Xmx512m", "-jar", jar.toString(),
                "--duration", "25s", "--window", "4s", "--refresh", "2s", "--sensors", "6", "--places", "2",
                "--rate", "5", "--alert", "temperature>10", "--port", "5760")
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        try {
            boolean exited = demo.waitFor(120, TimeUnit.SECONDS);
            String console = Files.readString(output);
            assertThat(exited).as("demo exits by itself after --duration; output:%n%s", console).isTrue();
            assertThat(demo.exitValue()).as("exit code; output:%n%s", console).isZero();

            assertThat(console).contains("iot-grid demo: 6 sensors in 2 places");
            Matcher rows = ROW.matcher(console);
            List<String> places = rows.results().map(r -> r.group(1)).distinct().sorted().toList();
            assertThat(places).as("places with aggregates in:%n%s", console).containsExactly("p-1", "p-2");
            List<String> windows = ROW.matcher(console).results().map(r -> r.group(0).split("\\s+")[1])
                    .distinct().toList();
            assertThat(windows).as("the table follows the windows as they advance").hasSizeGreaterThanOrEqualTo(3);
            assertThat(ROW.matcher(console).results().mapToLong(r -> Long.parseLong(r.group(3))).min().orElseThrow())
                    .as("readings per window").isPositive();
            assertThat(console).doesNotContain("WARN", "ERROR", "Exception");
            assertThat(console).containsPattern("readings [1-9]\\d*  alerts [1-9]\\d*  dead letters 0");
            assertThat(console).contains("stopped after job 'iot-grid-coap-aggregation' was cancelled");
            assertThat(new File("Californium3.properties")).doesNotExist();
        } finally {
            demo.destroy();
            if (!demo.waitFor(10, TimeUnit.SECONDS)) {
                demo.destroyForcibly();
            }
        }
    }

    @Test
    void when_demoRunsWithKafkaSource_then_brokerStartedLiveAggregatesPrintedAndEverythingStopped() throws Exception {
        Path jar = Path.of("target", "iot-grid-demo.jar").toAbsolutePath();
        assertThat(jar).exists();
        Path output = Path.of("target", "demo-kafka-it-output.txt").toAbsolutePath();
        // Another working directory, as a user would have: the broker's jars come out of the demo jar itself.
        Path workDir = Files.createTempDirectory("iot-grid-demo-kafka-");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process demo = new ProcessBuilder(java, "-Xmx512m", "-jar", jar.toString(), "--source", "kafka",
                "--kafka-encoding", "avro", "--duration", "25s", "--window", "4s", "--refresh", "2s", "--sensors", "6",
                "--places", "2", "--rate", "5", "--alert", "temperature>10", "--port", "6130")
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        try {
            boolean exited = demo.waitFor(180, TimeUnit.SECONDS);
            String console = Files.readString(output);
            assertThat(exited).as("demo exits by itself after --duration; output:%n%s", console).isTrue();
            assertThat(demo.exitValue()).as("exit code; output:%n%s", console).isZero();

            assertThat(console).contains("iot-grid demo: 6 sensors in 2 places",
                    "written as avro to Kafka topic 'sensor-readings' of the embedded broker 127.0.0.1:");
            List<String> places = ROW.matcher(console).results().map(r -> r.group(1)).distinct().sorted().toList();
            assertThat(places).as("places with aggregates in:%n%s", console).containsExactly("p-1", "p-2");
            List<String> windows = ROW.matcher(console).results().map(r -> r.group(0).split("\\s+")[1])
                    .distinct().toList();
            assertThat(windows).as("the table follows the windows as they advance").hasSizeGreaterThanOrEqualTo(3);
            assertThat(console).doesNotContain("ERROR", "Exception");
            assertThat(console).containsPattern("readings [1-9]\\d*  alerts [1-9]\\d*  dead letters 0");
            assertThat(console).contains("stopped after job 'iot-grid-kafka-aggregation' was cancelled");
            Matcher pid = Pattern.compile("embedded broker 127\\.0\\.0\\.1:\\d+ \\(pid (\\d+)\\)").matcher(console);
            assertThat(pid.find()).as("broker pid in:%n%s", console).isTrue();
            assertThat(ProcessHandle.of(Long.parseLong(pid.group(1))).map(ProcessHandle::isAlive).orElse(false))
                    .as("the broker's JVM stopped with the demo").isFalse();
            try (Stream<Path> left = Files.list(workDir)) {
                assertThat(left).as("nothing written to the working directory").isEmpty();
            }
        } finally {
            demo.destroy();
            if (!demo.waitFor(10, TimeUnit.SECONDS)) {
                demo.destroyForcibly();
            }
            Files.deleteIfExists(workDir);
        }
    }

    @Test
    void when_demoRunsWithMqttSource_then_embeddedBrokerLiveAggregatesPrintedAndNothingLeft() throws Exception {
        String console = runMqttDemo(6140);

        assertThat(console).contains("published over MQTT 3.1.1 to plant/{placeId}/sensors/{sensorId} on the embedded "
                + "Moquette broker 127.0.0.1:", "subscribed with QoS 0");
    }

    @Test
    void when_demoRunsAgainstMosquitto_then_mqtt5AndQos1() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(MosquittoBroker.options())) {
            String console = runMqttDemo(6150, "--mqtt-broker", broker.hostAndPort());

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
                "--places", "2", "--rate", "5", "--alert", "temperature>10", "--port", Integer.toString(port)));
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
            assertThat(console).containsPattern("readings [1-9]\\d*  alerts [1-9]\\d*  dead letters 0");
            assertThat(console).contains("stopped after job 'iot-grid-mqtt-aggregation' was cancelled");
            try (Stream<Path> left = Files.list(workDir)) {
                assertThat(left).as("nothing written to the working directory").isEmpty();
            }
            return console;
        } finally {
            demo.destroy();
            if (!demo.waitFor(10, TimeUnit.SECONDS)) {
                demo.destroyForcibly();
            }
            Files.deleteIfExists(workDir);
        }
    }
}
