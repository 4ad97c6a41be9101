package io.iotgrid.client;

import com.hazelcast.client.config.ClientConfig;
import io.iotgrid.core.SensorReading;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class GridCliTest {

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
                .isEqualTo(120_000);
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
    void when_badOptions_then_exitStatus2WithMessageAndNoConnection() {
        assertThat(run("readings", "--last", "many")).isEqualTo(2);
        assertThat(err.toString()).contains("'many'").contains("--last");

        assertThat(run("--connect-timeout", "soon", "place", "p-1")).isEqualTo(2);
        assertThat(err.toString()).contains("duration must be a duration such as 500ms").contains("'soon'");

        assertThat(run("readings", "--last", "-1")).isEqualTo(2);
        assertThat(err.toString()).contains("--last must be 0 or more, was -1");

        assertThat(run("alerts", "--count", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--count must be 1 or more, was 0");

        assertThat(run("dead-letters", "--limit", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--limit must be 1 or more, was 0");

        assertThat(run("place")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required parameter: 'ID'");

        assertThat(run("tail")).isEqualTo(2);
        assertThat(err.toString()).contains("Unmatched argument at index 0: 'tail'");
    }

    @Test
    void when_help_then_everyCommandListed() {
        assertThat(run("--help")).isZero();

        assertThat(out.toString()).contains("sensor", "place", "readings", "alerts", "dead-letters", "sql",
                "--address", "--cluster-name", "--config", "--connect-timeout");
    }

    @Test
    void when_readingFormatted_then_missingMeasuresLeftOut() {
        assertThat(ReadingsCommand.format(new SensorReading("s-1", "p-1", 0, 21.5, Double.NaN, 1013, Double.NaN)))
                .isEqualTo("1970-01-01T00:00:00Z  s-1  p-1  temperature=21.5  pressure=1013.0");
    }

    @Test
    void when_payloadHasControlCharacters_then_escapedOnOneLine() {
        assertThat(DeadLettersCommand.printable("{\"a\":\n1}\u0000".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("{\"a\":\\u000a1}\\u0000");
        assertThat(DeadLettersCommand.printable(new byte[]{(byte) 0xC3, 0x28})).isEqualTo("\\ufffd(");
    }
}
