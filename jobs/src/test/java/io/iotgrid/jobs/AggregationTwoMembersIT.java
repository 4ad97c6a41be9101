package io.iotgrid.jobs;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.sql.SqlResult;
import com.hazelcast.sql.SqlRow;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.Measure;
import io.iotgrid.core.PlausibleRange;
import io.iotgrid.core.SqlMappings;
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
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.awaitility.Awaitility.await;

/**
 * The aggregation job on two members: the window accumulators travel between members to be combined, and the
 * source's wall-clock floor must move the watermark on both members for windows to close. Standard deviations are
 * checked against a two-pass computation of the raw values, in the map and through SQL.
 */
@Timeout(120)
class AggregationTwoMembersIT {

    private static final int PORT = 5920;
    private static final int SENSORS = 40;

    @RegisterExtension
    final Resources resources = new Resources();

    @Test
    void when_jobRunsOnTwoMembers_then_aggregatesCombinedExactly() {
        run(Duration.ZERO, PORT);
    }

    /** With early results, the place windows get a part from each member every period, not once per window. */
    @Test
    void when_earlyResultsOnTwoMembers_then_finalAggregatesExact() {
        run(Duration.ofMillis(100), PORT + 10);
    }

    private void run(Duration earlyResultsPeriod, int port) {
        String cluster = "two-members-" + UUID.randomUUID();
        HazelcastInstance first = Hazelcast.newHazelcastInstance(GridConfigs.loopbackMember(cluster, port));
        resources.onClose(first::shutdown);
        HazelcastInstance second = Hazelcast.newHazelcastInstance(GridConfigs.loopbackMember(cluster, port));
        resources.onClose(second::shutdown);
        await().until(() -> first.getCluster().getMembers().size() == 2);

        // Stamped two seconds ahead, so a slow job start cannot make them late.
        long now = System.currentTimeMillis();
        long windowStart = now - now % 1000 + 2000;
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < SENSORS * 3; i++) {
            int sensor = i % SENSORS;
            payloads.add("{\"id\":\"s-" + sensor + "\",\"place_id\":\"p-" + sensor % 4 + "\",\"timestamp\":"
                    + (windowStart + i) + ",\"payload\":{\"temperature\":" + i + ",\"pressure\":"
                    + pressure(i) + "}}");
        }
        AggregationSettings settings = AggregationSettings.builder()
                .set(AggregationSettings.WINDOW_SIZE, Duration.ofSeconds(1))
                .set(AggregationSettings.ALLOWED_LATENESS, Duration.ofMillis(100))
                .set(AggregationSettings.EARLY_RESULTS_PERIOD, earlyResultsPeriod)
                .set(AggregationSettings.QUIET_CLOSE_AFTER, Duration.ofMillis(500))
                // Pressures in Pa, large values with a small spread, which the default range in hPa would refuse.
                .set(AggregationSettings.PLAUSIBLE.get(Measure.PRESSURE), PlausibleRange.parse("100000..110000"))
                .build();
        resources.onClose(first.getJet().newJob(AggregationJob.build(ScriptedSource.of(payloads, settings), settings),
                JobSerializers.register(new JobConfig()))::cancel);

        Map<String, WindowStats> places = first.getMap(settings.placeStatsMap());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(places).hasSize(4);
            assertThat(places.values()).allSatisfy(w -> assertThat(w.early()).isFalse());
        });
        SqlMappings.create(second, settings.sensorStatsMap(), settings.placeStatsMap(), settings.deadLettersMap());
        for (int place = 0; place < 4; place++) {
            int p = place;
            List<Integer> temperatures = new ArrayList<>();
            List<Double> pressures = new ArrayList<>();
            for (int i = 0; i < SENSORS * 3; i++) {
                if (i % SENSORS % 4 == p) {
                    temperatures.add(i);
                    pressures.add(pressure(i));
                }
            }
            WindowStats w = places.get("p-" + p);
            assertThat(w.windowStart()).isEqualTo(windowStart);
            assertThat(w.count()).isEqualTo(temperatures.size());
            assertThat(w.temperatureMin()).isEqualTo(temperatures.get(0).doubleValue());
            assertThat(w.temperatureMax()).isEqualTo(temperatures.get(temperatures.size() - 1).doubleValue());
            assertThat(w.temperatureAvg()).isEqualTo(temperatures.stream().mapToInt(t -> t).average().orElseThrow());
            assertThat(w.temperatureStddev()).as("p-%d temperature stddev", p)
                    .isCloseTo(TwoPass.stddev(temperatures), withinPercentage(1e-7));
            assertThat(w.pressureStddev()).as("p-%d pressure stddev", p)
                    .isCloseTo(TwoPass.stddev(pressures), withinPercentage(1e-7));
            try (SqlResult rows = second.getSql().execute("SELECT stddev_temperature, stddev_pressure FROM "
                    + settings.placeStatsMap() + " WHERE id = ?", "p-" + p)) {
                SqlRow row = rows.iterator().next();
                assertThat(row.<Double>getObject("stddev_temperature")).isEqualTo(w.temperatureStddev());
                assertThat(row.<Double>getObject("stddev_pressure")).isEqualTo(w.pressureStddev());
            }
        }
        Map<String, WindowStats> sensors = second.getMap(settings.sensorStatsMap());
        assertThat(sensors).hasSize(SENSORS);
        assertThat(sensors.values()).allSatisfy(w -> assertThat(w.count()).isEqualTo(3));
    }

    /** Pressures in Pa: large values with a small spread, where a sum of squares would lose the deviation. */
    private static double pressure(int i) {
        return 101_325 + (i * 37 % 11) * 0.25;
    }
}
