package io.iotgrid.jobs;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.core.metrics.Measurement;
import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.Sinks;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.LateReading;
import io.iotgrid.core.WindowStats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The aggregation pipeline ({@link AggregationJob#aggregate}, what {@link AggregationJob#build} runs) fed a scripted
 * batch of readings with event time, every final window result collected, and compared with aggregates computed
 * here from the input: late readings are kept, not lost; a reading delivered twice is counted once. Both window
 * implementations: Jet's (final results only) and ours (early results).
 */
class LateAndDuplicatesIT {

    /** Start of a 1-minute window. */
    private static final long T0 = 1_700_000_040_000L;
    private static final long MINUTE = 60_000;
    private static final int SENSORS = 10;
    private static final int PLACES = 3;
    /** A reading every 5 s per sensor. */
    private static final long PERIOD = 5_000;
    private static final String CLOSER = "zz-closer";
    private static final Duration LONG = Duration.ofSeconds(120);

    private static HazelcastInstance member;
    private final List<Job> jobs = new ArrayList<>();

    @BeforeAll
    static void startMember() throws IOException {
        Config config = GridConfigs.loopbackMember("late-dup-" + UUID.randomUUID(), freePort());
        // One cooperative thread: readings travel one path in the order scripted, so the watermark each meets is
        // the one the script implies. With parallel paths a path that lags holds the coalesced watermark back, and
        // a reading two minutes late may still find its window open and be counted (never both, never neither).
        config.getJetConfig().setCooperativeThreadCount(1);
        member = Hazelcast.newHazelcastInstance(config);
    }

    @AfterAll
    static void stopMember() {
        member.shutdown();
    }

    @AfterEach
    void cancelJobs() {
        jobs.forEach(Job::cancel);
    }

    @ParameterizedTest(name = "early results every {0} ms")
    @ValueSource(longs = {0, 1_000})
    void when_anHourIsReplayedWithSomeReadingsTwoMinutesLate_then_everyLateReadingIsKeptAndTheRestCounted(long early) {
        // One reading in nine, spread over sensors and time, arrives two minutes of event time after its timestamp:
        // after its window (one minute, five seconds of allowed lateness) has closed. Not in the last three minutes:
        // their readings would come after every other, with nothing newer to close their window before them.
        List<Reading> readings = new ArrayList<>();
        for (int k = 0; k < 60 * MINUTE / PERIOD; k++) {
            for (int i = 0; i < SENSORS; i++) {
                long ts = T0 + k * PERIOD + i * 37L;
                boolean late = (k + i) % 9 == 0 && k < 57 * MINUTE / PERIOD;
                readings.add(new Reading("s-" + i, "p-" + i % PLACES, ts, (i * 7 + k * 3) % 41 - 5,
                        late ? 2 * MINUTE : 0));
            }
        }
        List<Reading> late = readings.stream().filter(r -> r.delay > 0).toList();
        List<Reading> onTime = readings.stream().filter(r -> r.delay == 0).toList();
        String prefix = "hour" + early;
        AggregationSettings settings = settings(prefix, early);

        Job job = start(settings, prefix, delivered(readings, false));

        Map<String, LateReading> lateMap = member.getMap(settings.lateReadingsMap());
        await().atMost(LONG).untilAsserted(() -> assertThat(finals(prefix + "_sensor_finals"))
                .isEqualTo(expected(onTime, Reading::sensor)));
        // Another sink of another stage: the place windows may still be on their way when the sensors' are all in.
        await().atMost(LONG).untilAsserted(() -> assertThat(finals(prefix + "_place_finals"))
                .isEqualTo(expected(onTime, Reading::place)));
        await().atMost(LONG).untilAsserted(() -> assertThat(lateMap).hasSize(late.size()));
        for (Reading r : late) {
            LateReading l = lateMap.get(r.sensor + '@' + r.ts);
            assertThat(l).as("late reading %s", r).isNotNull();
            assertThat(l.reading().temperature()).isEqualTo(r.temperature);
            assertThat(l.placeId()).isEqualTo(r.place);
            assertThat(l.windowStart()).isEqualTo(r.ts - (r.ts - T0) % MINUTE);
            assertThat(l.windowEnd()).isEqualTo(l.windowStart() + MINUTE);
            assertThat(l.watermark()).as("window closed").isGreaterThanOrEqualTo(l.windowEnd());
            assertThat(l.lateBy()).isEqualTo(l.watermark() - r.ts);
        }
        await().atMost(LONG).untilAsserted(() -> {
            assertThat(metric(job, AggregationJob.LATE_READINGS)).isEqualTo(late.size());
            assertThat(metric(job, "lateEventsDropped")).as("dropped by a window stage").isZero();
        });
    }

    @ParameterizedTest(name = "early results every {0} ms")
    @ValueSource(longs = {0, 1_000})
    void when_everyReadingIsDeliveredTwice_then_aggregatesCountEachOnce(long early) {
        // Ten minutes of readings, each sent again three readings later (a device re-sending after a timeout, a
        // broker redelivering); every 50th has a correction at the same time with another value, which counts.
        List<Reading> readings = new ArrayList<>();
        for (int k = 0; k < 10 * MINUTE / PERIOD; k++) {
            for (int i = 0; i < SENSORS; i++) {
                long ts = T0 + k * PERIOD + i * 37L;
                int temperature = (i * 7 + k * 3) % 41 - 5;
                readings.add(new Reading("s-" + i, "p-" + i % PLACES, ts, temperature, 0));
                if ((k * SENSORS + i) % 50 == 0) {
                    readings.add(new Reading("s-" + i, "p-" + i % PLACES, ts, temperature + 1, 0));
                }
            }
        }
        String prefix = "twice" + early;
        AggregationSettings settings = settings(prefix, early);

        Job job = start(settings, prefix, delivered(readings, true));

        await().atMost(LONG).untilAsserted(() -> assertThat(finals(prefix + "_sensor_finals"))
                .isEqualTo(expected(readings, Reading::sensor)));
        // Another sink of another stage: the place windows may still be on their way when the sensors' are all in.
        await().atMost(LONG).untilAsserted(() -> assertThat(finals(prefix + "_place_finals"))
                .isEqualTo(expected(readings, Reading::place)));
        await().atMost(LONG).untilAsserted(() ->
                assertThat(metric(job, AggregationJob.DUPLICATE_READINGS)).isEqualTo(readings.size()));
        assertThat(member.<String, LateReading>getMap(settings.lateReadingsMap()).size()).as("late readings").isZero();
    }

    /** The payloads in the order they arrive: by timestamp plus delay, each twice if {@code twice}, then a closer. */
    private static List<String> delivered(List<Reading> readings, boolean twice) {
        List<Reading> order = new ArrayList<>(readings);
        order.sort(Comparator.comparingLong(r -> r.ts + r.delay));
        List<String> payloads = new ArrayList<>();
        for (int n = 0; n < order.size(); n++) {
            payloads.add(order.get(n).json());
            if (twice && n >= 3) {
                payloads.add(order.get(n - 3).json());
            }
        }
        if (twice) {
            order.subList(Math.max(0, order.size() - 3), order.size()).forEach(r -> payloads.add(r.json()));
        }
        // Moves event time far enough that every window above closes; its own stays open and is left out.
        long last = readings.stream().mapToLong(r -> r.ts + r.delay).max().orElseThrow();
        payloads.add(new Reading(CLOSER, CLOSER, last + 10 * MINUTE, 0, 0).json());
        return payloads;
    }

    /** Per key and window start: {readings, temperature sum}, computed from the input. */
    private static Map<String, List<Long>> expected(List<Reading> counted,
                                                    java.util.function.Function<Reading, String> key) {
        Map<String, List<Long>> expected = new TreeMap<>();
        for (Reading r : counted) {
            long start = r.ts - (r.ts - T0) % MINUTE;
            List<Long> e = expected.computeIfAbsent(key.apply(r) + '@' + start, k -> new ArrayList<>(List.of(0L, 0L)));
            e.set(0, e.get(0) + 1);
            e.set(1, e.get(1) + r.temperature);
        }
        return expected;
    }

    /** The final window results the job wrote to {@code list}, in the shape of {@link #expected}. */
    private static Map<String, List<Long>> finals(String list) {
        Map<String, List<Long>> actual = new TreeMap<>();
        for (Object o : member.getList(list)) {
            WindowStats w = (WindowStats) o;
            if (!w.id().equals(CLOSER)) {
                actual.put(w.id() + '@' + w.windowStart(),
                        List.of(w.count(), Math.round(w.temperatureAvg() * w.temperatureCount())));
            }
        }
        return actual;
    }

    private static long metric(Job job, String name) {
        return job.getMetrics().get(name).stream().mapToLong(Measurement::value).sum();
    }

    private AggregationSettings settings(String prefix, long early) {
        return AggregationSettings.builder()
                .set(AggregationSettings.WINDOW_SIZE, Duration.ofMillis(MINUTE))
                .set(AggregationSettings.EARLY_RESULTS_PERIOD, Duration.ofMillis(early))
                .set(AggregationSettings.QUIET_CLOSE_AFTER, null)
                .set(AggregationSettings.SENSOR_STATS_MAP, prefix + "_sensor_stats")
                .set(AggregationSettings.PLACE_STATS_MAP, prefix + "_place_stats")
                .set(AggregationSettings.READINGS_RINGBUFFER, prefix + "_readings")
                .set(AggregationSettings.DEAD_LETTERS_MAP, prefix + "_dead_letters")
                .set(AggregationSettings.LATE_READINGS_MAP, prefix + "_late").build();
    }

    private Job start(AggregationSettings settings, String prefix, List<String> payloads) {
        Pipeline p = Pipeline.create();
        AggregationJob.Aggregates aggregates = AggregationJob.aggregate(
                AggregationJob.read(p, ScriptedSource.of(payloads, settings), settings), settings);
        aggregates.bySensor().filter(w -> !w.early()).writeTo(Sinks.list(prefix + "_sensor_finals"));
        aggregates.byPlace().filter(w -> !w.early()).writeTo(Sinks.list(prefix + "_place_finals"));
        Job job = member.getJet().newJob(p);
        jobs.add(job);
        return job;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** One reading of the script, {@code delay} ms of event time after its timestamp in the delivery order. */
    private record Reading(String sensor, String place, long ts, int temperature, long delay) {

        String json() {
            return "{\"id\":\"" + sensor + "\",\"place_id\":\"" + place + "\",\"timestamp\":" + ts
                    + ",\"payload\":{\"temperature\":" + temperature + "}}";
        }
    }
}
