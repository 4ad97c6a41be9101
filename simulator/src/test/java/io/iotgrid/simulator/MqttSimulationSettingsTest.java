package io.iotgrid.simulator;

import io.iotgrid.core.settings.SettingsReader;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MqttSimulationSettingsTest {

    @Test
    void when_defaults_then_plantTopicsAtQos1OnLocalBroker() {
        MqttSimulationSettings s = MqttSimulationSettings.builder().build();

        assertThat(s.broker()).isEqualTo("mqtt://127.0.0.1:1883");
        assertThat(s.host()).isEqualTo("127.0.0.1");
        assertThat(s.port()).isEqualTo(1883);
        assertThat(s.qos()).isEqualTo(1);
        assertThat(s.topic("s-7", "p-2")).isEqualTo("plant/p-2/sensors/s-7");
        assertThat(s.simulation()).isEqualTo(SimulationSettings.defaults());
    }

    @Test
    void when_readFromKeys_then_simulationReadFromItsOwnKeys() {
        MqttSimulationSettings s = MqttSimulationSettings.builder().read(SettingsReader.of(Map.of(
                "broker", "mqtt://10.0.0.3", "topic.template", "devices/{sensorId}/up", "qos", "0",
                "sensors", "5"))).build();

        assertThat(s.port()).isEqualTo(1883);
        assertThat(s.topic("s-1", "p-1")).isEqualTo("devices/s-1/up");
        assertThat(s.qos()).isZero();
        assertThat(s.simulation().sensors()).isEqualTo(5);
    }

    @Test
    void when_valueInvalid_then_messageNamesKeyAndValue() {
        MqttSimulationSettings.Builder b = MqttSimulationSettings.builder();

        assertThatThrownBy(() -> b.set(MqttSimulationSettings.TOPIC_TEMPLATE, "plant/+/{sensorId}"))
                .hasMessage("topic.template must be a topic with {sensorId} and no wildcards, "
                        + "was 'plant/+/{sensorId}'");
        assertThatThrownBy(() -> b.set(MqttSimulationSettings.TOPIC_TEMPLATE, "plant/all"))
                .hasMessage("topic.template must be a topic with {sensorId} and no wildcards, was 'plant/all'");
        assertThatThrownBy(() -> b.set(MqttSimulationSettings.BROKER, "127.0.0.1:1883"))
                .hasMessage("broker must be mqtt://host:port, was '127.0.0.1:1883'");
        assertThatThrownBy(() -> b.set(MqttSimulationSettings.QOS, 3)).hasMessage("qos must be 0, 1 or 2, was '3'");
    }
}
