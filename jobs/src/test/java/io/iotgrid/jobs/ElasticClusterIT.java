package io.iotgrid.jobs;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.config.ProcessingGuarantee;
import com.hazelcast.jet.core.JobStatus;
import com.hazelcast.ringbuffer.Ringbuffer;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.WindowStats;
import io.iotgrid.core.testing.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.awaitility.Awaitility.await;

/**
 * Scale out and in under a running job: three members with auto-scaling, the aggregation job with EXACTLY_ONCE
 * over a source that replays from its snapshotted offset; a member joins, one leaves gracefully and one crashes
 * while readings flow. The job must never fail, and every reading must count exactly once in the windows.
 */
@Timeout(180)
class ElasticClusterIT {

    private static final int PORT = 6300;
    private static final int READINGS = 4000;
    private static final int SENSORS = 40;
    private static final int PLACES = 5;
    /** Readings are due every 5 ms: the stream lasts 20 s of wall time and of event time. */
    private static final long PERIOD_MILLIS = 5;
    /** One window holds the whole stream, so the final aggregates cover every reading. */
    private static final long WINDOW_MILLIS = 22_000;
    /** Time the job gets to start before the first reading is due. */
    private static final long JOB_START_MILLIS = 5_000;
    /** How far a reading may fall behind its schedule (a restart, a slow machine) before it would count as late. */
    private static final long STALL_TOLERANCE_MILLIS = 12_000;

    @RegisterExtension
    final Resources resources = new Resources();

    private final String cluster = "elastic-" + UUID.randomUUID();

    @Test
    void when_membersJoinLeaveAndCrashMidStream_then_jobSurvivesAndAggregatesExact() {
        HazelcastInstance leavesGracefully = member();
        HazelcastInstance crashes = member();
        HazelcastInstance stays = member();
        await().atMost(Duration.ofSeconds(60)).until(() -> stays.getCluster().getMembers().size() == 3);

        // The stream starts once the job runs (the source joins it live unless it restores a snapshot). Event time
        // runs from the start of the stream's window, in step with the wall clock; the clock that closes quiet
        // windows lags far enough behind that a reading delayed by a restart is still on time.
        long start = System.currentTimeMillis() + JOB_START_MILLIS;
        long windowStart = start - start % WINDOW_MILLIS;
        AggregationSettings settings = AggregationSettings.builder()
                .set(AggregationSettings.SENSOR_STATS_MAP, "elastic_sensor_stats")
                .set(AggregationSettings.PLACE_STATS_MAP, "elastic_place_stats")
                .set(AggregationSettings.READINGS_RINGBUFFER, "elastic_readings")
                .set(AggregationSettings.ALERTS_TOPIC, "elastic_alerts")
                .set(AggregationSettings.DEAD_LETTERS_MAP, "elastic_dead_letters")
                .set(AggregationSettings.WINDOW_SIZE, Duration.ofMillis(WINDOW_MILLIS))
                // 22 s divides no hour: no rollups (history has its own tests, WindowHistoryIT).
                .set(AggregationSettings.HISTORY_HOUR_RETENTION, Duration.ZERO)
                .set(AggregationSettings.HISTORY_DAY_RETENTION, Duration.ZERO)
                .set(AggregationSettings.ALLOWED_LATENESS, Duration.ofSeconds(2))
                .set(AggregationSettings.EARLY_RESULTS_PERIOD, Duration.ZERO)
                .set(AggregationSettings.QUIET_CLOSE_AFTER, Duration.ofMillis(start - windowStart + STALL_TOLERANCE_MILLIS)).build();
        Job job = stays.getJet().newJob(
                AggregationJob.build(ReplayableSource.of(READINGS, start, PERIOD_MILLIS,
                        i -> Reading.of(i, windowStart).json(), settings), settings),
                JobSerializers.register(new JobConfig().setName("elastic-aggregation")
                        .setProcessingGuarantee(ProcessingGuarantee.EXACTLY_ONCE)
                        .setSnapshotIntervalMillis(200)
                        .setAutoScaling(true)));
        List<JobStatus> statuses = new CopyOnWriteArrayList<>();
        job.addStatusListener(event -> statuses.add(event.getNewStatus()));
        resources.onClose(job::cancel);
        await().atMost(Duration.ofSeconds(60)).until(() -> job.getStatus() == JobStatus.RUNNING);
        assertThat(System.currentTimeMillis()).as("job running before the stream starts").isLessThan(start);
        Ringbuffer<Object> parsed = stays.getRingbuffer(settings.readingsRingbuffer());

        await().atMost(Duration.ofSeconds(60)).until(() -> parsed.size() >= READINGS / 5);
        HazelcastInstance joins = member();
        await().atMost(Duration.ofSeconds(60)).until(() -> stays.getCluster().getMembers().size() == 4);

        await().atMost(Duration.ofSeconds(60)).until(() -> parsed.size() >= READINGS / 2);
        leavesGracefully.shutdown();
        await().atMost(Duration.ofSeconds(60)).until(() -> stays.getPartitionService().isClusterSafe());

        await().atMost(Duration.ofSeconds(60)).until(() -> parsed.size() >= READINGS * 3 / 4);
        crashes.getLifecycleService().terminate();

        List<Reading> input = IntStream.range(0, READINGS).mapToObj(i -> Reading.of(i, windowStart)).toList();
        Map<String, WindowStats> sensors = joins.getMap(settings.sensorStatsMap());
        Map<String, WindowStats> places = joins.getMap(settings.placeStatsMap());
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(places).hasSize(PLACES);
            assertThat(sensors).hasSize(SENSORS);
        });
        assertThat(statuses).as("job statuses").doesNotContain(JobStatus.FAILED);
        assertThat(statuses.stream().filter(s -> s == JobStatus.RUNNING).count())
                .as("job ran again after the join, the graceful leave and the crash: " + statuses)
                .isGreaterThanOrEqualTo(3);
        assertThat(job.getStatus()).isEqualTo(JobStatus.RUNNING);
        assertExact(places, input.stream().collect(Collectors.groupingBy(Reading::place)), windowStart);
        assertExact(sensors, input.stream().collect(Collectors.groupingBy(Reading::sensor)), windowStart);
    }

    private HazelcastInstance member() {
        Config config = GridConfigs.loopbackMember(cluster, PORT);
        // The shipped 10 s would make the test wait; a second still lets the join settle before the restart.
        config.getJetConfig().setScaleUpDelayMillis(1000);
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
        resources.onClose(() -> member.getLifecycleService().terminate());
        return member;
    }

    private static void assertExact(Map<String, WindowStats> actual, Map<String, List<Reading>> expected,
                                    long windowStart) {
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((key, readings) -> {
            WindowStats w = actual.get(key);
            assertThat(w.early()).as(key + " final").isFalse();
            assertThat(w.windowStart()).as(key + " window").isEqualTo(windowStart);
            assertThat(w.count()).as(key + " count").isEqualTo(readings.size());
            assertThat(w.temperatureMin()).as(key + " min temperature")
                    .isEqualTo(readings.stream().mapToDouble(Reading::temperature).min().orElseThrow());
            assertThat(w.temperatureMax()).as(key + " max temperature")
                    .isEqualTo(readings.stream().mapToDouble(Reading::temperature).max().orElseThrow());
            // Whole-number measures: their sums are exact in any order, so the averages must be equal exactly.
            assertThat(w.temperatureAvg()).as(key + " avg temperature")
                    .isEqualTo(readings.stream().mapToDouble(Reading::temperature).sum() / readings.size());
            assertThat(w.humidityAvg()).as(key + " avg humidity")
                    .isEqualTo(readings.stream().mapToDouble(Reading::humidity).sum() / readings.size());
            // Window state restored from snapshots and combined across members keeps the deviations exact too.
            assertThat(w.temperatureStddev()).as(key + " stddev temperature").isCloseTo(
                    TwoPass.stddev(readings.stream().map(Reading::temperature).toList()), withinPercentage(1e-7));
            assertThat(w.humidityStddev()).as(key + " stddev humidity").isCloseTo(
                    TwoPass.stddev(readings.stream().map(Reading::humidity).toList()), withinPercentage(1e-7));
        });
    }

    /** The {@code i}-th reading of the stream: a function of {@code i} only, so a replay repeats it exactly. */
    private record Reading(String sensor, String place, long timestamp, int temperature, int humidity) {

        static Reading of(int i, long windowStart) {
            return new Reading("s-" + i % SENSORS, "p-" + i % PLACES, windowStart + i * PERIOD_MILLIS,
                    i * 7 % 50, i * 3 % 100);
        }

        String json() {
            return "{\"id\":\"" + sensor + "\",\"place_id\":\"" + place + "\",\"timestamp\":" + timestamp
                    + ",\"payload\":{\"temperature\":" + temperature + ",\"humidity\":" + humidity + "}}";
        }
    }
}
