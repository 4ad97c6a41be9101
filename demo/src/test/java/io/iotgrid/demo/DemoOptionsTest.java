package io.iotgrid.demo;

import io.iotgrid.core.AlertRule;
import io.iotgrid.simulator.KafkaEncoding;
import io.iotgrid.simulator.SimulationSettings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DemoOptionsTest {

    @Test
    void when_noArguments_then_defaults() {
        DemoOptions o = DemoOptions.parse();

        assertThat(o).isEqualTo(new DemoOptions(12, 3, 2, Duration.ofMinutes(1), Duration.ofSeconds(5), null,
                List.of(AlertRule.parse("temperature>25")), 5701, DemoOptions.Source.COAP, KafkaEncoding.JSON, null,
                DemoOptions.Scenario.REALISTIC, null, 8083));
    }

    @Test
    void when_optionsGiven_then_parsed() {
        DemoOptions o = DemoOptions.parse("--sensors", "40", "--places", "5", "--rate", "0.5", "--window", "30s",
                "--refresh", "500ms", "--duration", "PT2M", "--alert", "humidity<20", "--alert", "temperature>35",
                "--port", "5801", "--source", "kafka", "--kafka-encoding", "confluent-avro", "--scenario", "plain",
                "--console-port", "0");

        assertThat(o).isEqualTo(new DemoOptions(40, 5, 0.5, Duration.ofSeconds(30), Duration.ofMillis(500),
                Duration.ofMinutes(2), List.of(AlertRule.parse("humidity<20"), AlertRule.parse("temperature>35")),
                5801, DemoOptions.Source.KAFKA, KafkaEncoding.CONFLUENT_AVRO, null, DemoOptions.Scenario.PLAIN,
                null, 0));
    }

    @Test
    void when_mqttSource_then_embeddedBrokerUnlessOneIsNamed() {
        assertThat(DemoOptions.parse("--source", "mqtt").mqttBroker()).isNull();
        assertThat(DemoOptions.parse("--source", "mqtt", "--mqtt-broker", "10.0.0.7:1883").mqttBroker())
                .isEqualTo("10.0.0.7:1883");
    }

    @Test
    void when_postgresGiven_then_historyPersisted_elseInMemoryOnly() {
        assertThat(DemoOptions.parse().postgres()).isNull();
        assertThat(DemoOptions.parse("--postgres", "jdbc:postgresql://127.0.0.1:5432/iotgrid?user=iot").postgres())
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/iotgrid?user=iot");
        assertThatThrownBy(() -> DemoOptions.parse("--postgres", "postgres://127.0.0.1/iotgrid"))
                .hasMessageContaining("--postgres must be a JDBC URL");
    }

    @Test
    void when_optionBad_then_messageNamesIt() {
        assertThatThrownBy(() -> DemoOptions.parse("--duration", "soon"))
                .hasMessage("--duration must be a duration such as 500ms, 90s, 5m or 1h, was 'soon'");
        assertThatThrownBy(() -> DemoOptions.parse("--sensors", "many"))
                .hasMessage("--sensors must be a whole number, was 'many'");
        assertThatThrownBy(() -> DemoOptions.parse("--rate"))
                .hasMessage("--rate needs a value");
        assertThatThrownBy(() -> DemoOptions.parse("--colour", "red"))
                .hasMessage("unknown option --colour");
        assertThatThrownBy(() -> DemoOptions.parse("--port", "0"))
                .hasMessage("--port must be between 1 and 65525, was 0");
        assertThatThrownBy(() -> DemoOptions.parse("--source", "amqp"))
                .hasMessage("--source must be coap, kafka or mqtt, was 'amqp'");
        assertThatThrownBy(() -> DemoOptions.parse("--mqtt-broker", "10.0.0.7:1883"))
                .hasMessage("--mqtt-broker needs --source mqtt");
        assertThatThrownBy(() -> DemoOptions.parse("--source", "mqtt", "--mqtt-broker", "mqtt://10.0.0.7"))
                .hasMessage("--mqtt-broker must be host:port, was 'mqtt://10.0.0.7'");
        assertThatThrownBy(() -> DemoOptions.parse("--scenario", "chaos"))
                .hasMessage("--scenario must be realistic or plain, was 'chaos'");
        assertThatThrownBy(() -> DemoOptions.parse("--kafka-encoding", "xml"))
                .hasMessage("--kafka-encoding: unknown Kafka encoding 'xml', expected json, connect-json, json-in-field, "
                        + "avro or confluent-avro");
    }

    @Test
    void when_valueOutOfBounds_then_messageNamesOptionAndBound() {
        assertThatThrownBy(() -> DemoOptions.parse("--sensors", "-3"))
                .hasMessage("--sensors: sensors must be at least 1, was '-3'");
        assertThatThrownBy(() -> DemoOptions.parse("--rate", "0"))
                .hasMessage("--rate: readings.per.second must be above 0 and at most 1000, was '0'");
        assertThatThrownBy(() -> DemoOptions.parse("--window", "0s"))
                .hasMessage("--window must be positive, was PT0S");
    }

    @Test
    void when_realisticScenario_then_badPayloadsHotAndQuietSensors() {
        SimulationSettings plain = SimulationSettings.builder().set(SimulationSettings.SENSORS, 6).build();

        SimulationSettings realistic = DemoOptions.Scenario.REALISTIC.apply(plain);

        assertThat(realistic.badPayloadShare()).isEqualTo(0.02);
        assertThat(realistic.hotSensors()).isEqualTo(1);
        assertThat(realistic.quietSensors()).isEqualTo(1);
        assertThat(realistic.quietAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(DemoOptions.Scenario.PLAIN.apply(plain).hasFaults()).isFalse();
    }

    @Test
    void when_optionGivenTwice_then_lastWinsAndAlertsAddUp() {
        DemoOptions o = DemoOptions.parse("--sensors", "4", "--sensors", "8", "--alert", "humidity<20",
                "--alert", "temperature>35");

        assertThat(o.sensors()).isEqualTo(8);
        assertThat(o.alerts()).containsExactly(AlertRule.parse("humidity<20"), AlertRule.parse("temperature>35"));
    }

    @Test
    void when_help_then_usageListsEveryOptionWithItsDefault() {
        CommandLine line = DemoOptions.commandLine();
        DemoOptions.parse(line, "--help");

        assertThat(line.isUsageHelpRequested()).isTrue();
        assertThat(line.getUsageMessage()).contains("java -jar demo/target/iot-grid-demo.jar [options]",
                "--sensors=N", "(default 12)", "--window=D", "(default 1m)", "--kafka-encoding=E", "--alert=RULE");
    }
}
