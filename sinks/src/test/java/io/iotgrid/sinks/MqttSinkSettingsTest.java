package io.iotgrid.sinks;

import io.iotgrid.core.settings.SettingsReader;
import io.iotgrid.core.testing.JavaSerialization;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static com.hazelcast.internal.serialization.impl.SerializationUtil.checkSerializable;
import static io.iotgrid.sinks.MqttSinkSettings.BROKER;
import static io.iotgrid.sinks.MqttSinkSettings.PASSWORD;
import static io.iotgrid.sinks.MqttSinkSettings.QOS;
import static io.iotgrid.sinks.MqttSinkSettings.RECONNECT_INITIAL_BACKOFF;
import static io.iotgrid.sinks.MqttSinkSettings.RECONNECT_MAX_BACKOFF;
import static io.iotgrid.sinks.MqttSinkSettings.RETAIN;
import static io.iotgrid.sinks.MqttSinkSettings.USERNAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MqttSinkSettingsTest {

    private static final MqttSinkSettings DEFAULTS = MqttSinkSettings.defaults();

    @Test
    void when_defaults_then_documentedValues() {
        assertThat(DEFAULTS.broker()).isEqualTo("mqtt://localhost:1883");
        assertThat(DEFAULTS.host()).isEqualTo("localhost");
        assertThat(DEFAULTS.port()).isEqualTo(1883);
        assertThat(DEFAULTS.qos()).isEqualTo(1);
        assertThat(DEFAULTS.retain()).isFalse();
        assertThat(DEFAULTS.clientId()).isNull();
        assertThat(DEFAULTS.username()).isNull();
        assertThat(DEFAULTS.password()).isNull();
        assertThat(DEFAULTS.sessionExpiry()).isEqualTo(Duration.ofMinutes(5));
        assertThat(DEFAULTS.reconnectInitialBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(DEFAULTS.reconnectMaxBackoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(DEFAULTS.maxInFlight()).isEqualTo(1024);
        assertThat(DEFAULTS.errorPolicy()).isEqualTo(ErrorPolicy.THROW);
        assertThat(DEFAULTS.deadLettersMap()).isEqualTo("dead_letters");
    }

    @Test
    void when_brokerWithoutPortOrAsTcp_then_port1883AndOneName() {
        assertThat(MqttSinkSettings.builder().set(BROKER, "mqtt://10.0.0.7").build().brokerName())
                .isEqualTo("mqtt://10.0.0.7:1883");
        assertThat(MqttSinkSettings.builder().set(BROKER, "tcp://10.0.0.7:1884").build().brokerName())
                .isEqualTo("mqtt://10.0.0.7:1884");
    }

    @Test
    void when_readFromProperties_then_keysAsDocumented() {
        MqttSinkSettings read = MqttSinkSettings.builder().read(SettingsReader.of(Map.of("broker",
                "mqtt://10.0.0.7:1883", "qos", "2", "retain", "true", "error.policy", "retry"))).build();

        assertThat(read.qos()).isEqualTo(2);
        assertThat(read.retain()).isTrue();
        assertThat(read.errorPolicy()).isEqualTo(ErrorPolicy.RETRY);
    }

    @Test
    void when_valueInvalid_then_messageNamesKeyAndValue() {
        MqttSinkSettings.Builder b = MqttSinkSettings.builder();

        assertThatThrownBy(() -> b.set(QOS, 3)).hasMessage("qos must be 0, 1 or 2, was '3'");
        assertThatThrownBy(() -> b.set(BROKER, "10.0.0.7:1883"))
                .hasMessage("broker must be mqtt://host:port, was '10.0.0.7:1883'");
        assertThatThrownBy(() -> b.set(BROKER, "mqtts://10.0.0.7:8883"))
                .hasMessage("broker must be mqtt://host:port, was 'mqtts://10.0.0.7:8883'");
    }

    @Test
    void when_combinationInvalid_then_buildNamesBothKeys() {
        assertThatThrownBy(() -> MqttSinkSettings.builder().set(PASSWORD, "secret").build())
                .hasMessage("password is set but username is not: MQTT sends a password only with a user name");
        assertThatThrownBy(() -> MqttSinkSettings.builder().set(RECONNECT_INITIAL_BACKOFF, Duration.ofSeconds(5))
                .set(RECONNECT_MAX_BACKOFF, Duration.ofSeconds(2)).build())
                .hasMessage("reconnect.max.backoff must not be below reconnect.initial.backoff, was 2s < 5s");
    }

    @Test
    void when_settingsCapturedByJobLambdas_then_serializableAndPasswordNeverPrinted() {
        MqttSinkSettings settings = MqttSinkSettings.builder().set(RETAIN, true).set(USERNAME, "grid")
                .set(PASSWORD, "secret").build();

        checkSerializable(settings, "settings");
        assertThat(JavaSerialization.roundTrip(settings)).isEqualTo(settings);
        assertThat(PASSWORD.format(settings.password())).isEqualTo("(hidden)");
    }
}
