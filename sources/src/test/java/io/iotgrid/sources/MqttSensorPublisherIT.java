package io.iotgrid.sources;

import io.iotgrid.core.Decoded;
import io.iotgrid.core.RawReading;
import io.iotgrid.core.ReadingFormat;
import io.iotgrid.core.ReadingParser;
import io.iotgrid.core.SensorReading;
import io.iotgrid.core.testing.Resources;
import io.iotgrid.simulator.MqttSensorPublisher;
import io.iotgrid.simulator.MqttSimulationSettings;
import io.iotgrid.simulator.SimulationSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The simulator publishing over MQTT to Debian's Mosquitto, read back with {@code mosquitto_sub}: each reading on
 * its sensor's topic, as nested JSON the grid's parser reads, none missing.
 */
@Timeout(120)
class MqttSensorPublisherIT {

    @RegisterExtension
    final Resources resources = new Resources();

    @Test
    void when_publishing_then_everyReadingIsOnItsSensorsTopic() throws Exception {
        MosquittoBroker broker = resources.add(MosquittoBroker.start(MosquittoBroker.options()));
        MosquittoSub sub = resources.add(MosquittoSub.start(broker, "sim-check", "plant/+/sensors/+", 1));
        MqttSensorPublisher sensors = resources.add(MqttSensorPublisher.start(
                MqttSimulationSettings.of("mqtt://" + broker.hostAndPort()).toBuilder()
                        .set(MqttSimulationSettings.SIMULATION, SimulationSettings.builder()
                                .set(SimulationSettings.SENSORS, 5).set(SimulationSettings.PLACES, 2)
                                .set(SimulationSettings.READINGS_PER_SECOND, 20.0).build()).build()));

        await().atMost(Duration.ofSeconds(60)).until(() -> sensors.published().size() >= 100);
        sensors.close();
        List<SensorReading> published = sensors.published();
        assertThat(sensors.failed()).isZero();

        ReadingParser parser = new ReadingParser(ReadingFormat.nested());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<SensorReading> received = sub.lines().stream().map(line -> {
                String topic = line.substring(0, line.indexOf(' '));
                Decoded d = parser.parse(new RawReading("mqtt:" + topic, 0,
                        line.substring(topic.length() + 1).getBytes(UTF_8)));
                assertThat(d).isInstanceOf(SensorReading.class);
                SensorReading r = (SensorReading) d;
                assertThat(topic).isEqualTo("plant/" + r.placeId() + "/sensors/" + r.sensorId());
                return r;
            }).toList();
            assertThat(received).containsAll(published);
        });
    }
}
