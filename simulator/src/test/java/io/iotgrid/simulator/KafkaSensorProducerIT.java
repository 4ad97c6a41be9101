package io.iotgrid.simulator;

import io.iotgrid.core.Decoded;
import io.iotgrid.core.RawReading;
import io.iotgrid.core.ReadingFormat;
import io.iotgrid.core.ReadingParser;
import io.iotgrid.core.SensorReading;
import io.iotgrid.core.testing.Resources;
import io.iotgrid.kafka.broker.KafkaBroker;
import io.iotgrid.kafka.broker.KafkaBrokerSettings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Simulated sensors writing to a real broker: every acknowledged reading is in the topic, keyed by its sensor. */
@Timeout(120)
class KafkaSensorProducerIT {

    @RegisterExtension
    final Resources resources = new Resources();

    @Test
    void when_producing_then_topicHoldsEveryPublishedReadingKeyedBySensor() {
        KafkaBroker broker = resources.add(KafkaBroker.start(KafkaBrokerSettings.defaults().withMaxHeap("256m")));
        broker.createTopic("sim", 3);
        KafkaSensorProducer sensors = resources.add(KafkaSensorProducer.start(
                KafkaSimulationSettings.of(broker.bootstrapServers(), "sim").toBuilder()
                        .set(KafkaSimulationSettings.SIMULATION, SimulationSettings.builder()
                                .set(SimulationSettings.SENSORS, 5).set(SimulationSettings.PLACES, 2)
                                .set(SimulationSettings.READINGS_PER_SECOND, 20.0).build()).build()));
        await().atMost(Duration.ofSeconds(60)).until(() -> sensors.published().size() >= 100);
        sensors.close();
        List<SensorReading> published = sensors.published();
        assertThat(sensors.failed()).isZero();

        ReadingParser parser = new ReadingParser(ReadingFormat.nested());
        List<SensorReading> consumed = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "check",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("sim"));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    Decoded d = parser.parse(new RawReading("kafka:sim", 0, r.value()));
                    assertThat(d).isInstanceOf(SensorReading.class);
                    assertThat(r.key()).isEqualTo(((SensorReading) d).sensorId());
                    consumed.add((SensorReading) d);
                }
                return consumed.size() >= published.size();
            });
        }
        assertThat(consumed).containsExactlyInAnyOrderElementsOf(published);
        assertThat(consumed).extracting(SensorReading::sensorId).containsOnly("s-1", "s-2", "s-3", "s-4", "s-5");
        assertThat(consumed).extracting(SensorReading::placeId).containsOnly("p-1", "p-2");
    }
}
