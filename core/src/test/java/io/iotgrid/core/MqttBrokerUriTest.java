package io.iotgrid.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MqttBrokerUriTest {

    @Test
    void when_schemesAndPorts_then_defaultsByScheme() {
        assertThat(MqttBrokerUri.parse("mqtt://broker.plant")).isEqualTo(new MqttBrokerUri("broker.plant", 1883, false));
        assertThat(MqttBrokerUri.parse("tcp://127.0.0.1:1884/")).isEqualTo(new MqttBrokerUri("127.0.0.1", 1884, false));
        assertThat(MqttBrokerUri.parse("MQTTS://broker")).isEqualTo(new MqttBrokerUri("broker", 8883, true));
        assertThat(MqttBrokerUri.parse("ssl://broker:9883")).isEqualTo(new MqttBrokerUri("broker", 9883, true));
        assertThat(MqttBrokerUri.parse("ssl://broker:9883").name()).isEqualTo("mqtts://broker:9883");
        assertThat(MqttBrokerUri.parse("tcp://broker").name()).isEqualTo("mqtt://broker:1883");
    }

    @Test
    void when_notABrokerUri_then_invalidAndParseNamesIt() {
        for (String bad : new String[] {"http://broker:1883", "broker:1883", "mqtt://broker/topic", "mqtt://b?x=1",
                "mqtt://", "mqtt:// spaced"}) {
            assertThat(MqttBrokerUri.isValid(bad, true)).as(bad).isFalse();
            assertThatThrownBy(() -> MqttBrokerUri.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void when_tlsNotAllowed_then_onlyPlainIsValid() {
        assertThat(MqttBrokerUri.isValid("mqtt://broker", false)).isTrue();
        assertThat(MqttBrokerUri.isValid("mqtts://broker", false)).isFalse();
        assertThat(MqttBrokerUri.isValid("mqtts://broker", true)).isTrue();
    }
}
