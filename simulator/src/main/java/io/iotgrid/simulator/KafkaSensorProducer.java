package io.iotgrid.simulator;

import io.iotgrid.core.SensorReading;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Map;

/**
 * Simulated sensors that write their readings to a Kafka topic: the same random walks, sensor ids ({@code s-1}...),
 * places ({@code p-1}...) and rate as {@link SensorSimulator}, in any {@link KafkaEncoding}, each record keyed by its
 * sensor id so a sensor's readings stay in order in one partition. Readings are stamped with the wall clock when
 * made.
 * <pre>{@code
 * try (KafkaSensorProducer sensors = KafkaSensorProducer.start(
 *         KafkaSimulationSettings.of(broker.bootstrapServers(), "readings").withEncoding(KafkaEncoding.AVRO))) {
 *     ...
 * }
 * }</pre>
 * Delivery: the producer is idempotent with {@code acks=all}; a send that fails after the producer's own retries is
 * counted in {@link #failed()} and its reading is left out of {@link #published()}. Thread-safe.
 */
public final class KafkaSensorProducer extends PublishingSimulator {

    private final KafkaSimulationSettings settings;
    private final KafkaProducer<String, byte[]> producer;

    private KafkaSensorProducer(KafkaSimulationSettings settings) {
        super(settings.simulation(), "kafka-sensor-producer");
        this.settings = settings;
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.CLIENT_ID_CONFIG, "iot-grid-simulator-" + settings.topic()),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** Starts sending; {@link #close()} stops and flushes. */
    public static KafkaSensorProducer start(KafkaSimulationSettings settings) {
        KafkaSensorProducer p = new KafkaSensorProducer(settings);
        p.startSensors();
        return p;
    }

    @Override
    void send(SensorWalk sensor, SensorReading reading, boolean bad) {
        byte[] value = bad ? settings.encoding().encodeBad(reading, sensor.nextSeq(), settings.schemaId())
                : settings.encoding().encode(reading, sensor.nextSeq(), settings.schemaId());
        producer.send(new ProducerRecord<>(settings.topic(), reading.sensorId(), value),
                (metadata, error) -> published.record(reading, bad, error));
    }

    /** Waits for every record in flight to be acknowledged or failed, and closes the producer. */
    @Override
    void closeTransport() {
        producer.close();
    }
}
