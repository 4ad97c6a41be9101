package io.iotgrid.sources;

import io.iotgrid.core.DeadLetter;
import io.iotgrid.core.ReadingFormat;
import io.iotgrid.core.ReadingParser;
import io.iotgrid.core.SensorReading;
import io.iotgrid.core.testing.JavaSerialization;
import io.iotgrid.sources.impl.MqttReadings;
import io.iotgrid.sources.impl.TopicTemplate;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code mqtt.*} keys, their combinations, the topic template and parsing by content type. */
class MqttSourceSettingsTest {

    @Test
    void when_propertiesRead_then_brokerAndTopicsAndDefaults() {
        Properties p = new Properties();
        p.setProperty("mqtt.broker", "tcp://10.0.0.5");
        p.setProperty("mqtt.topics", "plant/+/sensors/#, other");
        MqttSourceSettings s = MqttSourceSettings.fromProperties(p);
        assertThat(s.brokerName()).isEqualTo("mqtt://10.0.0.5:1883");
        assertThat(s.topics()).containsExactly("plant/+/sensors/#", "other");
        assertThat(s.qos()).isEqualTo(1);
        assertThat(s.sharedGroup()).isEqualTo("iot-grid");
        assertThat(MqttSourceSettings.of("ssl://h", "t").brokerName()).isEqualTo("mqtts://h:8883");
    }

    @Test
    void when_valuesOrCombinationsBad_then_messageNamesTheKeys() {
        assertThatThrownBy(() -> MqttSourceSettings.of("http://h", "t"))
                .hasMessageContaining("mqtt.broker must be mqtt://host:port or mqtts://host:port, was 'http://h'");
        assertThatThrownBy(() -> MqttSourceSettings.of("mqtt://h", "a/#/b"))
                .hasMessageContaining("mqtt.topics must be valid topic filters");
        assertThatThrownBy(() -> MqttSourceSettings.builder().set(MqttSourceSettings.QOS, 3))
                .hasMessageContaining("mqtt.qos must be 0, 1 or 2, was '3'");
        assertThatThrownBy(() -> base().set(MqttSourceSettings.PROTOCOL, "3.1.1").build())
                .hasMessageContaining("mqtt.protocol 3.1.1 has no shared subscriptions: set mqtt.shared.group=none");
        assertThatThrownBy(() -> base().set(MqttSourceSettings.SHARED_GROUP, null).build())
                .hasMessageContaining("mqtt.sessions must be 1 when mqtt.shared.group is none");
        assertThatThrownBy(() -> base().set(MqttSourceSettings.PASSWORD, "x").build())
                .hasMessageContaining("mqtt.password needs mqtt.username");
        assertThatThrownBy(() -> base().set(MqttSourceSettings.TOPIC_TEMPLATE, "a/{sensorId}/{sensorId}"))
                .hasMessageContaining("mqtt.topic.template must be");
    }

    @Test
    void when_topicMatchedAgainstTemplate_then_idsOrNull() {
        TopicTemplate t = new TopicTemplate("plant/{placeId}/sensors/{sensorId}/#");
        assertThat(t.ids("plant/p-1/sensors/s-1")).containsExactly("s-1", "p-1");
        assertThat(t.ids("plant/p-1/sensors/s-1/temp/x")).containsExactly("s-1", "p-1");
        assertThat(t.ids("plant/p-1/other/s-1")).isNull();
        assertThat(t.ids("plant/p-1/sensors")).isNull();
        assertThat(new TopicTemplate("+/{sensorId}").ids("a/s/b")).isNull();
    }

    @Test
    void when_messagesParsed_then_contentTypeChoosesAndTopicGivesIds() throws Exception {
        MqttSourceSettings s = base().set(MqttSourceSettings.TOPIC_TEMPLATE, "p/{placeId}/{sensorId}").build();
        MqttReadings readings = JavaSerialization.roundTrip(new MqttReadings(s, new ReadingParser(ReadingFormat.flat())));
        assertThat(readings.apply(message("p/p-1/s-1", null, "{\"timestamp\":5,\"temperature\":1.5}")))
                .isEqualTo(new SensorReading("s-1", "p-1", 5, 1.5, Double.NaN, Double.NaN, Double.NaN));
        assertThat(readings.apply(message("p/p-1/s-1", "text/plain; charset=utf-8", "timestamp=5 temperature=2")))
                .isInstanceOf(SensorReading.class);
        DeadLetter unknown = (DeadLetter) readings.apply(message("p/p-1/s-1", "application/xml", "<x/>"));
        assertThat(unknown.reason()).contains("unsupported content type 'application/xml'");
        DeadLetter offTemplate = (DeadLetter) readings.apply(message("q/s-1", null, "{}"));
        assertThat(offTemplate.topic()).isEqualTo("q/s-1");
        assertThat(offTemplate.source()).isEqualTo("mqtt://h:1883/q/s-1?qos=1");
        assertThat(offTemplate.reason()).contains("does not match the topic template 'p/{placeId}/{sensorId}'");
    }

    private static MqttSourceSettings.Builder base() {
        return MqttSourceSettings.builder().set(MqttSourceSettings.BROKER, "mqtt://h")
                                 .set(MqttSourceSettings.TOPICS, List.of("t"));
    }

    private static MqttMessage message(String topic, String contentType, String payload) {
        return new MqttMessage("mqtt://h:1883", topic, 1, false, contentType, 1,
                payload.getBytes(StandardCharsets.UTF_8));
    }
}
