package io.iotgrid.jobs;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.config.JobConfig;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.WindowStats;
import io.iotgrid.core.testing.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The aggregation job on two members: the window accumulators travel between members to be combined, and the
 * source's wall-clock floor must move the watermark on both members for windows to close.
 */
@Timeout(120)
class AggregationTwoMembersIT {

    private static final int PORT = 5920;
    private static final int SENSORS = 40;

    @RegisterExtension
    final Resources resources = new Resources();

    @Test
    void when_jobRunsOnTwoMembers_then_aggregatesCombinedExactly() {
        String cluster = "two-members-" + UUID.randomUUID();
        HazelcastInstance first = Hazelcast.newHazelcastInstance(GridConfigs.loopbackMember(cluster, PORT));
        resources.onClose(first::shutdown);
        HazelcastInstance second = Hazelcast.newHazelcastInstance(GridConfigs.loopbackMember(cluster, PORT));
        resources.onClose(second::shutdown);
        await().until(() -> first.getCluster().getMembers().size() == 2);

        // Stamped two seconds ahead, so a slow job start cannot make them late.
        long now = System.currentTimeMillis();
        long windowStart = now - now % 1000 + 2000;
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < SENSORS * 3; i++) {
            int sensor = i % SENSORS;
            payloads.add("{\"id\":\"s-" + sensor + "\",\"place_id\":\"p-" + sensor % 4 + "\",\"timestamp\":"
                    + (windowStart + i) + ",\"payload\":{\"temperature\":" + i + "}}");
        }
        AggregationSettings settings = AggregationSettings.builder()
                .set(AggregationSettings.WINDOW_SIZE, Duration.ofSeconds(1))
                .set(AggregationSettings.ALLOWED_LATENESS, Duration.ofMillis(100))
                .set(AggregationSettings.EARLY_RESULTS_PERIOD, Duration.ZERO)
                .set(AggregationSettings.QUIET_CLOSE_AFTER, Duration.ofMillis(500)).build();
        resources.onClose(first.getJet().newJob(AggregationJob.build(ScriptedSource.of(payloads, settings), settings),
                JobSerializers.register(new JobConfig()))::cancel);

        Map<String, WindowStats> places = first.getMap(settings.placeStatsMap());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(places).hasSize(4);
            assertThat(places.values()).allSatisfy(w -> assertThat(w.early()).isFalse());
        });
        for (int place = 0; place < 4; place++) {
            int p = place;
            List<Integer> temperatures = new ArrayList<>();
            for (int i = 0; i < SENSORS * 3; i++) {
                if (i % SENSORS % 4 == p) {
                    temperatures.add(i);
                }
            }
            WindowStats w = places.get("p-" + p);
            assertThat(w.windowStart()).isEqualTo(windowStart);
            assertThat(w.count()).isEqualTo(temperatures.size());
            assertThat(w.temperatureMin()).isEqualTo(temperatures.get(0).doubleValue());
            assertThat(w.temperatureMax()).isEqualTo(temperatures.get(temperatures.size() - 1).doubleValue());
            assertThat(w.temperatureAvg()).isEqualTo(temperatures.stream().mapToInt(t -> t).average().orElseThrow());
        }
        Map<String, WindowStats> sensors = second.getMap(settings.sensorStatsMap());
        assertThat(sensors).hasSize(SENSORS);
        assertThat(sensors.values()).allSatisfy(w -> assertThat(w.count()).isEqualTo(3));
    }
}
