package io.iotgrid.jobs;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.map.IMap;
import io.iotgrid.core.DeadLetter;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.GridNames;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The aggregation job on the MQTT source, end to end: Mosquitto from Debian as the broker, its own
 * {@code mosquitto_pub} as the devices, a member running the job.
 */
@Timeout(180)
class MqttAggregationIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    final Resources resources = new Resources();

    @Test
    void when_devicesPublishWithMosquittoPub_then_sensorStatsCountThemWithIdsFromTheTopic() throws Exception {
        MosquittoBroker broker = resources.add(MosquittoBroker.start(MosquittoBroker.options()));
        String cluster = "mqtt-aggregation-it-" + UUID.randomUUID();
        HazelcastInstance member = Hazelcast.newHazelcastInstance(
                GridConfigs.loopbackMember(cluster, MosquittoBroker.freeTcpPort()));
        resources.onClose(member::shutdown);

        AggregationSettings settings = AggregationSettings.builder()
                .set(AggregationSettings.READING_FORMAT, ReadingFormat.flat())
                .set(AggregationSettings.WINDOW_SIZE, Duration.ofMinutes(1))
                .set(AggregationSettings.EARLY_RESULTS_PERIOD, Duration.ofMillis(200))
                .build();
        MqttSourceSettings mqtt = MqttSourceSettings.builder()
                .set(MqttSourceSettings.BROKER, "mqtt://" + broker.hostAndPort())
                .set(MqttSourceSettings.TOPICS, List.of("plant/+/sensors/+"))
                .set(MqttSourceSettings.TOPIC_TEMPLATE, "plant/{placeId}/sensors/{sensorId}")
                .set(MqttSourceSettings.CLIENT_ID, "aggregation-it")
                .build();
        Job job = member.getJet().newJob(AggregationJob.build(AggregationJob.mqttSource(mqtt, settings), settings));
        resources.onClose(job::cancel);
        broker.awaitLog("Sending SUBACK to aggregation-it-", mqtt.sessions(), TIMEOUT);

        long minute = System.currentTimeMillis() / 60_000 * 60_000;
        List<String> s1 = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            s1.add("{\"timestamp\":" + (minute + i) + ",\"temperature\":" + (20 + i) + "}");
        }
        broker.publish("plant/p-1/sensors/s-1", 1, s1);
        broker.publish("plant/p-2/sensors/s-2", 1, List.of("{\"timestamp\":" + minute + ",\"temperature\":30}"));
        broker.publish("plant/p-2/sensors/s-2", 1, List.of("not json"));

        IMap<String, WindowStats> sensorStats = member.getMap(GridNames.SENSOR_STATS);
        IMap<String, WindowStats> placeStats = member.getMap(GridNames.PLACE_STATS);
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(sensorStats.get("s-1")).isNotNull().extracting(WindowStats::count).isEqualTo(5L);
            assertThat(sensorStats.get("s-2")).isNotNull().extracting(WindowStats::count).isEqualTo(1L);
            assertThat(placeStats.get("p-2")).isNotNull().extracting(WindowStats::count).isEqualTo(1L);
        });
        assertThat(sensorStats.get("s-1").temperatureMax()).isEqualTo(24.0);
        IMap<String, DeadLetter> deadLetters = member.getMap(GridNames.DEAD_LETTERS);
        await().atMost(TIMEOUT).until(() -> deadLetters.size() == 1);
        DeadLetter bad = deadLetters.values().iterator().next();
        assertThat(bad.topic()).isEqualTo("plant/p-2/sensors/s-2");
        assertThat(bad.source()).isEqualTo("mqtt://" + broker.hostAndPort() + "/plant/p-2/sensors/s-2?qos=1");
        assertThat(new String(bad.payload())).isEqualTo("not json");
        assertThat(bad.reason()).contains("malformed JSON");
    }
}
