package io.iotgrid.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.config.ProcessingGuarantee;
import com.hazelcast.jet.core.JobStatus;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.testing.Resources;
import io.iotgrid.kafka.broker.KafkaBroker;
import io.iotgrid.kafka.broker.KafkaBrokerSettings;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.UncheckedIOException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * History replayed from Kafka: every partition holds an hour of readings, and the source's processors read their
 * partitions in batches far apart in event time (a poll returns hundreds of records of one partition). With event
 * time stamped per partition at the source, no reading is late and every window is exact.
 */
@Timeout(180)
class KafkaEventTimeIT {

    private static final int PORT = 6120;
    private static final String TOPIC = "history";
    private static final String RESULTS = "history-sensor-windows";
    private static final int PARTITIONS = 4;
    private static final int SENSORS_PER_PARTITION = 2;
    private static final int PER_PARTITION = 3_000;
    /** One reading per partition per second: a minute's window holds 30 readings of each sensor. */
    private static final long STEP_MILLIS = 1_000;
    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final int WINDOWS = (int) (PER_PARTITION * STEP_MILLIS / WINDOW.toMillis());
    /** Event time of each partition's first reading, at the start of a window. */
    private static final long START = KafkaReadings.T - KafkaReadings.T % WINDOW.toMillis();
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final Resources resources = new Resources();

    @Test
    void when_partitionsReadFarApartInEventTime_then_noReadingIsLateAndEveryWindowExact() throws Exception {
        KafkaBroker broker = resources.add(KafkaBroker.start(KafkaBrokerSettings.defaults().withMaxHeap("256m")));
        broker.createTopic(TOPIC, PARTITIONS);
        broker.createTopic(RESULTS, 1);
        KafkaReadings.produce(broker.bootstrapServers(), records());

        HazelcastInstance member = Hazelcast.newHazelcastInstance(
                GridConfigs.loopbackMember("kafka-event-time-" + UUID.randomUUID(), PORT));
        resources.onClose(() -> member.getLifecycleService().terminate());
        KafkaJobSettings kafka = KafkaJobSettings.of(broker.bootstrapServers(), TOPIC).toBuilder()
                .set(KafkaJobSettings.SENSOR_RESULTS_TOPIC, RESULTS)
                .set(JobSettings.GUARANTEE, ProcessingGuarantee.AT_LEAST_ONCE)
                .set(JobSettings.SNAPSHOT_INTERVAL, Duration.ofSeconds(10))
                .build();
        AggregationSettings settings = AggregationSettings.builder()
                .set(AggregationSettings.WINDOW_SIZE, WINDOW)
                .set(AggregationSettings.ALLOWED_LATENESS, Duration.ofSeconds(2))
                .set(AggregationSettings.EARLY_RESULTS_PERIOD, Duration.ZERO)
                .set(AggregationSettings.QUIET_CLOSE_AFTER, null).build();
        Job job = member.getJet().newJob(
                KafkaAggregationJob.build(KafkaAggregationJob.source(kafka, settings), settings, kafka),
                kafka.jobConfig());
        resources.onClose(job::cancel);

        int sensors = PARTITIONS * SENSORS_PER_PARTITION;
        Map<String, List<String>> windows = KafkaReadings.readCommitted(broker.bootstrapServers(), RESULTS,
                byKey -> byKey.entrySet().stream().filter(e -> e.getKey().startsWith("s-"))
                        .mapToInt(e -> e.getValue().size()).sum() >= sensors * WINDOWS);

        Map<String, List<Long>> counts = new TreeMap<>();
        Map<String, List<Long>> expected = new TreeMap<>();
        for (int s = 0; s < sensors; s++) {
            List<Long> perWindow = new ArrayList<>();
            for (String w : windows.getOrDefault("s-" + s, List.of())) {
                perWindow.add(read(w).get("count").asLong());
            }
            counts.put("s-" + s, perWindow);
            expected.put("s-" + s, new ArrayList<>(Collections.nCopies(WINDOWS,
                    WINDOW.toMillis() / STEP_MILLIS / SENSORS_PER_PARTITION)));
        }
        assertThat(counts).isEqualTo(expected);
    }

    @Test
    void when_quietCloseAfterSetAndSensorsStop_then_wallClockClosesTheirWindow() throws Exception {
        KafkaBroker broker = resources.add(KafkaBroker.start(KafkaBrokerSettings.defaults().withMaxHeap("256m")));
        broker.createTopic(TOPIC, PARTITIONS);
        broker.createTopic(RESULTS, 1);
        HazelcastInstance member = Hazelcast.newHazelcastInstance(
                GridConfigs.loopbackMember("kafka-quiet-" + UUID.randomUUID(), PORT + 5));
        resources.onClose(() -> member.getLifecycleService().terminate());
        KafkaJobSettings kafka = KafkaJobSettings.of(broker.bootstrapServers(), TOPIC).toBuilder()
                .set(KafkaJobSettings.SENSOR_RESULTS_TOPIC, RESULTS)
                .set(JobSettings.GUARANTEE, ProcessingGuarantee.AT_LEAST_ONCE)
                .set(JobSettings.SNAPSHOT_INTERVAL, Duration.ofSeconds(10))
                .build();
        Duration window = Duration.ofSeconds(2);
        AggregationSettings settings = AggregationSettings.builder()
                .set(AggregationSettings.WINDOW_SIZE, window)
                .set(AggregationSettings.ALLOWED_LATENESS, Duration.ofMillis(500))
                .set(AggregationSettings.EARLY_RESULTS_PERIOD, Duration.ZERO)
                // Long enough that readings stamped now are not late by the time a loaded machine has the job
                // consuming them.
                .set(AggregationSettings.QUIET_CLOSE_AFTER, Duration.ofSeconds(15))
                .build();
        Job job = member.getJet().newJob(
                KafkaAggregationJob.build(KafkaAggregationJob.source(kafka, settings), settings, kafka),
                kafka.jobConfig());
        resources.onClose(job::cancel);

        await().atMost(Duration.ofSeconds(60)).until(() -> job.getStatus() == JobStatus.RUNNING);
        // Readings stamped now, on two of the four partitions, and then nothing: only the wall clock can close
        // their window, and it must close on the partitions that never had a record too.
        long stamp = System.currentTimeMillis();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int n = 0; n < 5; n++) {
            records.add(record(0, "s-0", stamp, n));
            records.add(record(1, "s-1", stamp, n));
        }
        KafkaReadings.produce(broker.bootstrapServers(), records);

        Map<String, List<String>> windows = KafkaReadings.readCommitted(broker.bootstrapServers(), RESULTS,
                byKey -> byKey.containsKey("s-0") && byKey.containsKey("s-1"));

        assertThat(windows.get("s-0")).singleElement().satisfies(w -> assertThat(read(w).get("count").asLong())
                .isEqualTo(5));
        assertThat(windows.get("s-1")).singleElement().satisfies(w -> assertThat(read(w).get("count").asLong())
                .isEqualTo(5));
    }

    /** Partition {@code p}'s {@code n}-th reading is from its sensor {@code n % 2}, stamped {@code n} seconds on. */
    private static List<ProducerRecord<String, byte[]>> records() {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            for (int n = 0; n < PER_PARTITION; n++) {
                String sensor = "s-" + (p + PARTITIONS * (n % SENSORS_PER_PARTITION));
                records.add(record(p, sensor, START + n * STEP_MILLIS, n % 41));
            }
            // Closes the last window of the partition.
            records.add(record(p, "closer", START + PER_PARTITION * STEP_MILLIS + 2 * WINDOW.toMillis(), 0));
        }
        return records;
    }

    private static ProducerRecord<String, byte[]> record(int partition, String sensor, long ts, int temperature) {
        String json = "{\"id\":\"" + sensor + "\",\"place_id\":\"p-1\",\"timestamp\":" + ts
                + ",\"payload\":{\"temperature\":" + temperature + "}}";
        return new ProducerRecord<>(TOPIC, partition, sensor, json.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
