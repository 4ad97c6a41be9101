package io.iotgrid.jobs;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.config.ProcessingGuarantee;
import com.hazelcast.jet.core.JobStatus;
import com.hazelcast.map.IMap;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.GridNames;
import io.iotgrid.core.Measure;
import io.iotgrid.core.PlausibleRange;
import io.iotgrid.core.ReadingFormat;
import io.iotgrid.core.WindowStats;
import io.iotgrid.core.testing.Resources;
import io.iotgrid.sources.MosquittoBroker;
import io.iotgrid.sources.MqttSourceSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * QoS 1 with persistent sessions on two members: a numbered sequence published with {@code mosquitto_pub} while one
 * member is terminated and then while the job restarts; every number must reach the aggregates. Number {@code n} is
 * a reading of sensor {@code n % 10} with temperature {@code n}, and the job restores its windows from the last
 * snapshot after each failure, so a message acknowledged to the broker before that snapshot held it would be missing
 * from the final count (checked: acknowledging on emit instead fails this test).
 */
@Timeout(300)
class MqttAtLeastOnceIT {

    private static final int PORT = 6800;
    private static final int CHUNKS = 30;
    private static final int PER_CHUNK = 100;
    private static final int SENSORS = 10;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @RegisterExtension
    final Resources resources = new Resources();

    @Test
    void when_memberTerminatedAndJobRestartedMidStream_then_everyNumberIsCountedAtLeastOnce() throws Exception {
        MosquittoBroker broker = resources.add(MosquittoBroker.start(MosquittoBroker.options()));
        String cluster = "mqtt-at-least-once-it-" + UUID.randomUUID();
        HazelcastInstance first = Hazelcast.newHazelcastInstance(GridConfigs.loopbackMember(cluster, PORT));
        resources.onClose(first::shutdown);
        HazelcastInstance second = Hazelcast.newHazelcastInstance(GridConfigs.loopbackMember(cluster, PORT));
        resources.onClose(() -> second.getLifecycleService().terminate());

        AggregationSettings settings = AggregationSettings.builder()
                .set(AggregationSettings.READING_FORMAT, ReadingFormat.flat())
                .set(AggregationSettings.WINDOW_SIZE, Duration.ofHours(1))
                .set(AggregationSettings.EARLY_RESULTS_PERIOD, Duration.ofMillis(200))
                // The temperatures are the sequence numbers, beyond the default range.
                .set(AggregationSettings.PLAUSIBLE.get(Measure.TEMPERATURE),
                        PlausibleRange.parse("0.." + CHUNKS * PER_CHUNK))
                .build();
        MqttSourceSettings mqtt = MqttSourceSettings.builder()
                .set(MqttSourceSettings.BROKER, "mqtt://" + broker.hostAndPort())
                .set(MqttSourceSettings.TOPICS, List.of("seq/#"))
                .set(MqttSourceSettings.CLIENT_ID, "at-least-once-it")
                .set(MqttSourceSettings.RECONNECT_MAX_BACKOFF, Duration.ofSeconds(2))
                .build();
        JobConfig config = JobSerializers.register(new JobConfig())
                .setProcessingGuarantee(ProcessingGuarantee.AT_LEAST_ONCE)
                .setSnapshotIntervalMillis(300);
        Job job = first.getJet().newJob(AggregationJob.build(AggregationJob.mqttSource(mqtt, settings), settings),
                config);
        resources.onClose(job::cancel);
        broker.awaitLog("Sending SUBACK to at-least-once-it-", mqtt.sessions(), TIMEOUT);
        IMap<String, WindowStats> sensorStats = first.getMap(GridNames.SENSOR_STATS);

        long timestamp = System.currentTimeMillis();
        // The devices publish all along, from another thread, while one member goes and then the job restarts.
        CompletableFuture<Void> published = CompletableFuture.runAsync(() -> {
            for (int chunk = 0; chunk < CHUNKS; chunk++) {
                try {
                    broker.publish("seq/" + chunk, 1, numbers(chunk, timestamp));
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            }
        });
        resources.onClose(() -> published.cancel(true));
        await().atMost(TIMEOUT).until(() -> counted(sensorStats) >= CHUNKS * PER_CHUNK / 4);
        second.getLifecycleService().terminate();
        await().atMost(TIMEOUT).until(() -> job.getStatus() == JobStatus.RUNNING
                && counted(sensorStats) >= CHUNKS * PER_CHUNK / 2);
        job.restart();
        published.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        int perSensor = CHUNKS * PER_CHUNK / SENSORS;
        await().atMost(TIMEOUT).untilAsserted(() -> {
            for (int sensor = 0; sensor < SENSORS; sensor++) {
                WindowStats w = sensorStats.get("n" + sensor);
                assertThat(w).as("stats of n%d", sensor).isNotNull();
                assertThat(w.count()).as("readings of n%d counted, at least once each", sensor)
                        .isGreaterThanOrEqualTo(perSensor);
                assertThat(w.temperatureMin()).isEqualTo(sensor);
                assertThat(w.temperatureMax()).isEqualTo(CHUNKS * PER_CHUNK - SENSORS + sensor);
            }
        });
    }

    private static List<String> numbers(int chunk, long timestamp) {
        List<String> lines = new ArrayList<>();
        for (int i = chunk * PER_CHUNK; i < (chunk + 1) * PER_CHUNK; i++) {
            lines.add("{\"sensorId\":\"n" + i % SENSORS + "\",\"timestamp\":" + timestamp + ",\"temperature\":" + i + "}");
        }
        return lines;
    }

    private static long counted(IMap<String, WindowStats> sensorStats) {
        return sensorStats.values().stream().mapToLong(WindowStats::count).sum();
    }
}
