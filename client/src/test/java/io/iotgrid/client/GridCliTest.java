package io.iotgrid.client;

import com.hazelcast.client.config.ClientConfig;
import io.iotgrid.core.DeadLetter;
import io.iotgrid.core.LateReading;
import io.iotgrid.core.SensorReading;
import io.iotgrid.core.AlertKind;
import io.iotgrid.core.ThresholdAlert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GridCliTest {

    private static final Output UTC = new Output(ZoneOffset.UTC);

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = GridCli.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    private static GridCli parsed(String... args) {
        CommandLine cl = GridCli.commandLine();
        cl.parseArgs(args);
        return cl.getCommand();
    }

    @Test
    void when_noOptions_then_bundledClientYaml() {
        ClientConfig cc = parsed("place", "p-1").clientConfig();

        assertThat(cc.getClusterName()).isEqualTo("iot-grid");
        assertThat(cc.getNetworkConfig().getAddresses()).containsExactly("127.0.0.1:5701");
        assertThat(cc.getConnectionStrategyConfig().getConnectionRetryConfig().getClusterConnectTimeoutMillis())
                .isEqualTo(10_000);
        assertThat(cc.getNetworkConfig().getConnectionTimeout()).isEqualTo(5_000);
    }

    @Test
    void when_connectTimeoutShort_then_oneAttemptIsNoLonger() {
        ClientConfig cc = parsed("--connect-timeout", "1s", "place", "p-1").clientConfig();

        assertThat(cc.getNetworkConfig().getConnectionTimeout()).isEqualTo(1_000);
    }

    @Test
    void when_addressClusterAndTimeoutGiven_then_theyReplaceTheConfiguration() {
        ClientConfig cc = parsed("-a", "127.0.0.1:6301,127.0.0.1:6302", "--address", "127.0.0.1:6303",
                "-c", "plant-7", "--connect-timeout", "5s", "sensor", "s-1").clientConfig();

        assertThat(cc.getClusterName()).isEqualTo("plant-7");
        assertThat(cc.getNetworkConfig().getAddresses())
                .containsExactly("127.0.0.1:6301", "127.0.0.1:6302", "127.0.0.1:6303");
        assertThat(cc.getConnectionStrategyConfig().getConnectionRetryConfig().getClusterConnectTimeoutMillis())
                .isEqualTo(5_000);
    }

    @Test
    void when_configFileGiven_then_readFromIt(@TempDir Path dir) throws IOException {
        Path yaml = dir.resolve("client.yaml");
        Files.writeString(yaml, """
                hazelcast-client:
                  cluster-name: from-file
                  network:
                    cluster-members:
                      - 127.0.0.1:6399
                """);

        ClientConfig cc = parsed("--config", yaml.toString(), "dead-letters").clientConfig();

        assertThat(cc.getClusterName()).isEqualTo("from-file");
        assertThat(cc.getNetworkConfig().getAddresses()).containsExactly("127.0.0.1:6399");
    }

    @Test
    void when_subcommandOptionsParsed_then_defaultsAndValues() {
        CommandLine cl = GridCli.commandLine();
        ReadingsCommand readings = cl.parseArgs("readings", "-n", "3", "-f", "--duration", "30s")
                .subcommand().commandSpec().commandLine().getCommand();
        assertThat(readings.last).isEqualTo(3);
        assertThat(readings.follow).isTrue();
        assertThat(readings.duration).hasSeconds(30);
        assertThat(readings.ringbuffer).isEqualTo("sensor_readings");

        AlertsCommand alerts = GridCli.commandLine().parseArgs("alerts").subcommand().commandSpec().commandLine()
                .getCommand();
        assertThat(alerts.topic).isEqualTo("sensor_alerts");
        assertThat(alerts.count).isNull();
        assertThat(alerts.fromStart).isFalse();
    }

    @Test
    void when_badOptions_then_exitStatus2WithOneLineNamingTheOption_and_noConnection() {
        assertBad("error: Invalid value for option '--last': 'many' is not an int (see 'iot-grid-client readings "
                + "--help')", "readings", "--last", "many");
        assertBad("error: Invalid value for option '--connect-timeout': the value must be a duration such as 500ms, "
                + "90s, 5m or 1h, was 'soon' (see 'iot-grid-client --help')", "--connect-timeout", "soon", "place", "p-1");
        assertBad("error: Invalid value for option '--connect-timeout': the value must be more than 0, was '0s' "
                + "(see 'iot-grid-client --help')", "--connect-timeout", "0s", "place", "p-1");
        assertBad("error: Invalid value for option '--duration': the value must be more than 0, was '-3s' "
                + "(see 'iot-grid-client alerts --help')", "alerts", "--duration", "-3s");
        assertBad("error: --last must be 0 or more, was -1 (see 'iot-grid-client readings --help')",
                "readings", "--last", "-1");
        assertBad("error: --duration needs --follow: without it the command ends after the latest readings "
                + "(see 'iot-grid-client readings --help')", "readings", "--duration", "10s");
        assertBad("error: --count must be 1 or more, was 0 (see 'iot-grid-client alerts --help')",
                "alerts", "--count", "0");
        assertBad("error: --limit must be 1 or more, was 0 (see 'iot-grid-client dead-letters --help')",
                "dead-letters", "--limit", "0");
        assertBad("error: Invalid value for option '--zone': 'Mars/Base' is not a time zone such as UTC, "
                + "Europe/Berlin or +02:00 (see 'iot-grid-client place --help')", "place", "p-1", "--zone", "Mars/Base");
        assertBad("error: Missing required parameter: 'ID' (see 'iot-grid-client place --help')", "place");
        assertBad("error: Unmatched argument at index 0: 'tail' (see 'iot-grid-client --help')", "tail");
    }

    @Test
    void when_configFileMissingOrBroken_then_exit2NamingConfig(@TempDir Path dir) throws IOException {
        err.getBuffer().setLength(0);
        Path missing = dir.resolve("missing.yaml");
        assertThat(run("--config", missing.toString(), "place", "p-1")).isEqualTo(2);
        assertThat(err.toString().lines()).singleElement().asString()
                .startsWith("error: --config: cannot read client configuration " + missing + ": ");

        err.getBuffer().setLength(0);
        Path broken = Files.writeString(dir.resolve("broken.yaml"), "hazelcast-client:\n  no-such-section: 1\n");
        assertThat(run("--config", broken.toString(), "place", "p-1")).isEqualTo(2);
        assertThat(err.toString().lines()).singleElement().asString()
                .startsWith("error: --config: cannot read client configuration " + broken + ": ");
    }

    private void assertBad(String line, String... args) {
        err.getBuffer().setLength(0);
        assertThat(run(args)).as(err.toString()).isEqualTo(2);
        assertThat(err.toString().lines().toList()).containsExactly(line);
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void when_help_then_everyCommandListed_withExitStatuses() {
        assertThat(run("--help")).isZero();

        assertThat(out.toString()).contains("sensor", "place", "readings", "alerts", "dead-letters", "late", "sql",
                "--address", "--cluster-name", "--config", "--connect-timeout", "default: 10s",
                "Exit status:", "3   no member of the cluster answered within --connect-timeout");
        assertThat(err.toString()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sensor", "place", "readings", "alerts", "dead-letters", "late", "sql"})
    void when_subcommandHelp_then_exit0WithItsOptions(String command) {
        assertThat(run(command, "--help")).as(err.toString()).isZero();

        assertThat(out.toString()).startsWith("Usage: iot-grid-client " + command).contains("--json", "--zone",
                "Exit status:");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void when_lateReadingFormatted_then_theReadingTheWindowItMissedAndItsLateness() {
        LateReading late = LateReading.of(new SensorReading("s-1", "p-1", 61_500, 21.456, Double.NaN, Double.NaN,
                Double.NaN), 60_000, 120_000, 180_000, 200_000);

        assertThat(LateCommand.format(late, UTC)).isEqualTo("1970-01-01T00:01:01.5  s-1  p-1  temperature=21.46  "
                + "missed [1970-01-01T00:01:00, 1970-01-01T00:02:00)  118500ms behind the watermark");
    }

    @Test
    void when_readingFormatted_then_localTime_missingMeasuresLeftOut_and_valuesRounded() {
        assertThat(ReadingsCommand.format(new SensorReading("s-1", "p-1", 1_500, 21.456, Double.NaN, 1013,
                299.7), UTC)).isEqualTo("1970-01-01T00:00:01.5  s-1  p-1  temperature=21.46  pressure=1013.0  "
                + "luminosity=300");
        assertThat(ReadingsCommand.format(new SensorReading("s-1", "p-1", 0, 21.5, Double.NaN, Double.NaN,
                Double.NaN), new Output(ZoneOffset.ofHours(2)))).isEqualTo("1970-01-01T02:00:00  s-1  p-1  "
                + "temperature=21.50");
    }

    @Test
    void when_readingAsJson_then_oneObjectWithRawValues() {
        assertThat(Output.json(ReadingsCommand.fields(new SensorReading("s-1", "p-1", 1_500, 21.456, Double.NaN,
                1013, Double.NaN))))
                .isEqualTo("{\"timestamp\":1500,\"sensor_id\":\"s-1\",\"place_id\":\"p-1\",\"temperature\":21.456,"
                        + "\"pressure\":1013.0}");
    }

    @Test
    void when_alertFormatted_then_localTime_and_valueRounded() {
        ThresholdAlert alert = new ThresholdAlert("s-1", "p-1", 60_000, "humidity", 12.345, "humidity<15.0");

        assertThat(AlertsCommand.format(alert, UTC))
                .isEqualTo("1970-01-01T00:01:00  s-1  p-1  humidity=12.3  broke humidity<15.0");
        assertThat(Output.json(AlertsCommand.fields(alert))).isEqualTo("{\"timestamp\":60000,\"sensor_id\":\"s-1\","
                + "\"place_id\":\"p-1\",\"measure\":\"humidity\",\"value\":12.345,\"rule\":\"humidity<15.0\","
                + "\"kind\":\"THRESHOLD\"}");
    }

    @Test
    void when_statusAndAnomalyAlertsFormatted_then_eachSaysWhatHappened() {
        ThresholdAlert silent = new ThresholdAlert("s-12", "p-3", 60_000, null, 31.5, "ONLINE->SILENT",
                AlertKind.STATUS);
        ThresholdAlert stuck = new ThresholdAlert("s-2", "p-1", 60_000, "temperature", 21.5,
                "stuck: temperature=21.50 in 10 readings in a row", AlertKind.ANOMALY);

        assertThat(AlertsCommand.format(silent, UTC))
                .isEqualTo("1970-01-01T00:01:00  s-12  p-3  ONLINE->SILENT after 31.5 s without a reading");
        assertThat(AlertsCommand.format(stuck, UTC)).isEqualTo("1970-01-01T00:01:00  s-2  p-1  temperature=21.50  "
                + "anomaly stuck: temperature=21.50 in 10 readings in a row");
        assertThat(Output.json(AlertsCommand.fields(silent))).isEqualTo("{\"timestamp\":60000,\"sensor_id\":\"s-12\","
                + "\"place_id\":\"p-3\",\"measure\":null,\"value\":31.5,\"rule\":\"ONLINE->SILENT\","
                + "\"kind\":\"STATUS\"}");
        assertThat(UTC.text("state_since", 61_000L)).isEqualTo("1970-01-01T00:01:01");
    }

    @Test
    void when_columnShown_then_timesLocal_measureStatisticsRounded_countsAndOthersAsThey_are() {
        assertThat(UTC.text("window_start", 60_000L)).isEqualTo("1970-01-01T00:01:00");
        assertThat(UTC.text("received_at", 1_234L)).isEqualTo("1970-01-01T00:00:01.234");
        assertThat(UTC.text("avg_temperature", 23.088666666666672)).isEqualTo("23.09");
        assertThat(UTC.text("stddev_luminosity", 12.6)).isEqualTo("13");
        assertThat(UTC.text("count_temperature", 3L)).isEqualTo("3");
        assertThat(UTC.text("readings", 60_000L)).isEqualTo("60000");
        assertThat(UTC.text("avg_humidity", null)).isEqualTo("NULL");
        assertThat(UTC.text("id", "p-1")).isEqualTo("p-1");
    }

    @Test
    void when_rowAsJson_then_sqlNamesAndTypes_nonFiniteAsNull() {
        assertThat(Output.json(List.of("id", "window_start", "early", "avg_humidity", "avg_temperature", "x"),
                Arrays.asList("p-\"1\"", 60_000L, true, null, Double.NaN, new BigDecimal("1.50"))))
                .isEqualTo("{\"id\":\"p-\\\"1\\\"\",\"window_start\":60000,\"early\":true,\"avg_humidity\":null,"
                        + "\"avg_temperature\":null,\"x\":1.50}");
    }

    @Test
    void when_deadLetterAsJson_then_sqlColumnsPayloadAndKeyAsText() {
        DeadLetter kafka = DeadLetter.ofKafka("plant_b", 3, 41L, "k-7".getBytes(StandardCharsets.UTF_8),
                "{\"id\":\n".getBytes(StandardCharsets.UTF_8), 3_000, "malformed JSON");

        assertThat(Output.json(DeadLettersCommand.fields("d-1", kafka))).isEqualTo("{\"__key\":\"d-1\","
                + "\"source\":\"kafka:plant_b/3@41\",\"received_at\":3000,\"reason\":\"malformed JSON\","
                + "\"topic\":\"plant_b\",\"kafka_partition\":3,\"kafka_offset\":41,\"payload\":\"{\\\"id\\\":\\n\","
                + "\"kafka_key\":\"k-7\"}");
    }

    @Test
    void when_payloadHasControlCharacters_then_escapedOnOneLine() {
        assertThat(DeadLettersCommand.printable("{\"a\":\n1}\u0000".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("{\"a\":\\u000a1}\\u0000");
        assertThat(DeadLettersCommand.printable(new byte[]{(byte) 0xC3, 0x28})).isEqualTo("\\ufffd(");
    }
}
