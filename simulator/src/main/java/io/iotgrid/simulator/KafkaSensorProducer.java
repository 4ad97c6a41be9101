package io.iotgrid.simulator;

import io.iotgrid.core.SensorReading;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

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
public final class KafkaSensorProducer implements AutoCloseable {

    private final KafkaSimulationSettings settings;
    private final KafkaProducer<String, byte[]> producer;
    private final List<SensorWalk> sensors;
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final PublishedReadings published = new PublishedReadings();

    private KafkaSensorProducer(KafkaSimulationSettings settings) {
        this.settings = settings;
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.CLIENT_ID_CONFIG, "iot-grid-simulator-" + settings.topic()),
                new StringSerializer(), new ByteArraySerializer());
        sensors = SensorWalk.of(settings.simulation(), System.currentTimeMillis());
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kafka-sensor-producer");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts sending; {@link #close()} stops and flushes. */
    public static KafkaSensorProducer start(KafkaSimulationSettings settings) {
        KafkaSensorProducer p = new KafkaSensorProducer(settings);
        long periodMicros = Math.max(1, Math.round(1_000_000 / settings.simulation().readingsPerSecond()));
        int i = 0;
        for (SensorWalk sensor : p.sensors) {
            // Spread the sensors over one period instead of sending them all at the same instant.
            long delay = periodMicros * i++ / p.sensors.size();
            p.scheduler.scheduleAtFixedRate(() -> p.send(sensor), delay, periodMicros, TimeUnit.MICROSECONDS);
        }
        return p;
    }

    private void send(SensorWalk sensor) {
        long now = System.currentTimeMillis();
        if (sensor.quiet(now)) {
            return;
        }
        SensorReading reading = sensor.step(now);
        boolean bad = sensor.nextIsBad();
        byte[] value = bad ? settings.encoding().encodeBad(reading, sensor.nextSeq(), settings.schemaId())
                : settings.encoding().encode(reading, sensor.nextSeq(), settings.schemaId());
        producer.send(new ProducerRecord<>(settings.topic(), reading.sensorId(), value),
                (metadata, error) -> published.record(reading, bad, error));
    }

    /**
     * The readings the broker acknowledged so far, in the order of the acknowledgements; at most the latest
     * {@value SensorSimulator#PUBLISHED_HISTORY}.
     */
    public List<SensorReading> published() {
        return published.list();
    }

    /** Number of readings published so far, all of them, where {@link #published()} keeps only the latest. */
    public long publishedCount() {
        return published.count();
    }

    /** Number of malformed payloads the broker acknowledged ({@link SimulationSettings#BAD_PAYLOAD_SHARE}), not in {@link #published()}. */
    public long badPayloads() {
        return published.badPayloads();
    }

    /** Number of sends that failed after the producer's retries. */
    public long failed() {
        return published.failed();
    }

    /** Stops the sensors, waits for every record in flight to be acknowledged or failed, and closes the producer. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            producer.close();
        }
    }
}
