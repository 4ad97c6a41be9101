package io.iotgrid.simulator;

import io.iotgrid.core.settings.SettingsReader;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaSimulationSettingsTest {

    @Test
    void when_onlyBrokersAndTopic_then_jsonOfTheDefaultSimulationWithSchemaId1() {
        KafkaSimulationSettings s = KafkaSimulationSettings.of("127.0.0.1:9092", "readings");

        assertThat(s.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(s.topic()).isEqualTo("readings");
        assertThat(s.encoding()).isEqualTo(KafkaEncoding.JSON);
        assertThat(s.schemaId()).isEqualTo(1);
        assertThat(s.simulation()).isEqualTo(SimulationSettings.defaults());
    }

    @Test
    void when_readFromKeys_then_simulationReadFromItsOwnKeys() {
        KafkaSimulationSettings s = KafkaSimulationSettings.builder().read(SettingsReader.of(Map.of(
                "bootstrap.servers", "10.0.0.3:9092", "topic", "t", "encoding", "confluent-avro", "schema.id", "7",
                "sensors", "5", "places", "2"))).build();

        assertThat(s.encoding()).isEqualTo(KafkaEncoding.CONFLUENT_AVRO);
        assertThat(s.schemaId()).isEqualTo(7);
        assertThat(s.simulation()).isEqualTo(SimulationSettings.builder().set(SimulationSettings.SENSORS, 5)
                .set(SimulationSettings.PLACES, 2).build());
    }

    @Test
    void when_valueInvalid_then_messageNamesKeyAndValue() {
        KafkaSimulationSettings.Builder b = KafkaSimulationSettings.builder();

        assertThatThrownBy(b::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bootstrap.servers is required: the Kafka brokers to write to");
        assertThatThrownBy(() -> b.set(KafkaSimulationSettings.TOPIC, " "))
                .hasMessage("topic must be non-blank, was ' '");
        assertThatThrownBy(() -> b.set(KafkaSimulationSettings.SCHEMA_ID, -1))
                .hasMessage("schema.id must be at least 0, was '-1'");
        assertThatThrownBy(() -> b.read(SettingsReader.of(Map.of("encoding", "xml"))))
                .hasMessage("encoding must be one of json, connect-json, json-in-field, avro, confluent-avro, "
                        + "was 'xml'");
        assertThatThrownBy(() -> b.read(SettingsReader.of(Map.of("sensors", "none"))))
                .hasMessage("sensors must be a whole number, was 'none'");
    }
}
