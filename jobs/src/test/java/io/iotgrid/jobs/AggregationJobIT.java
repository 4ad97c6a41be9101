package io.iotgrid.jobs;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.core.JobStatus;
import com.hazelcast.ringbuffer.Ringbuffer;
import com.hazelcast.topic.ITopic;
import io.iotgrid.core.AlertKind;
import io.iotgrid.core.AlertRule;
import io.iotgrid.core.DeadLetter;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.Measure;
import io.iotgrid.core.MeasureStats;
import io.iotgrid.core.SensorReading;
import io.iotgrid.core.ThresholdAlert;
import io.iotgrid.core.WindowStats;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import static io.iotgrid.core.testing.GridReads.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.awaitility.Awaitility.await;

/**
 * The aggregation job on an embedded member with one cooperative thread, so that readings travel one path in
 * the order scripted and lateness is deterministic.
 */
class AggregationJobIT {

    /** Start of a 1-minute window: tumbling windows are aligned to multiples of their size since the epoch. */
    private static final long T0 = 1_700_000_040_000L;
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private static HazelcastInstance member;
    private final List<Job> jobs = new ArrayList<>();

    @BeforeAll
    static void startMember() {
        Config config = GridConfigs.loopbackMember("aggregation-test-" + UUID.randomUUID(), 5910);
        config.getJetConfig().setCooperativeThreadCount(1);
        member = Hazelcast.newHazelcastInstance(config);
        // A job's first results take a few seconds on a loaded 2-core machine.
        Awaitility.setDefaultTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopMember() {
        member.shutdown();
    }

    @AfterEach
    void cancelJobs() {
        for (Job job : jobs) {
            job.cancel();
        }
    }

    @Test
    void when_outOfOrderAndLateReadings_then_exactAggregatesPerSensorAndPlace() {
        AggregationSettings settings = settings("exact")
                .set(AggregationSettings.EARLY_RESULTS_PERIOD, Duration.ZERO)
                .set(AggregationSettings.ALERT_RULES, List.of(AlertRule.parse("temperature>24"))).build();
        Collection<ThresholdAlert> alerts = subscribe(settings.alertsTopic());

        start(settings,
                reading("a", "p1", T0 + 1_000, "\"temperature\":20,\"humidity\":50"),
                reading("b", "p1", T0 + 2_000, "\"temperature\":10"),
                reading("c", "p2", T0 + 3_000, "\"temperature\":30,\"humidity\":60,\"pressure\":1000"),
                reading("a", "p1", T0 + 50_000, "\"temperature\":25"),
                // out of order, but within the 5 s allowed lateness of the newest reading (50 000)
                reading("a", "p1", T0 + 47_000, "\"temperature\":23"),
                // moves event time to 65 000: the first window [T0, T0 + 60 000) closes
                reading("d", "p3", T0 + 70_000, "\"temperature\":5"),
                // too late for the closed window: not counted, but still stored and alerted on
                reading("a", "p1", T0 + 55_000, "\"temperature\":99"),
                reading("c", "p2", T0 + 59_000, "\"temperature\":0"),
                // closes the second window, which holds d's reading at 70 000
                reading("d", "p3", T0 + 130_000, "\"temperature\":6"));

        Map<String, WindowStats> sensors = member.getMap(settings.sensorStatsMap());
        Map<String, WindowStats> places = member.getMap(settings.placeStatsMap());
        await().untilAsserted(() -> {
            assertThat(sensors).containsOnlyKeys("a", "b", "c", "d");
            assertThat(sensors.get("d").windowStart()).isEqualTo(T0 + 60_000);
            assertThat(places).containsOnlyKeys("p1", "p2", "p3");
            assertThat(places.get("p3").windowStart()).isEqualTo(T0 + 60_000);
        });

        assertFinal(sensors.get("a"), T0, 3);
        assertMeasure(sensors.get("a"), Measure.TEMPERATURE, 3, 20, 25, (20 + 25 + 23) / 3.0);
        assertMeasure(sensors.get("a"), Measure.HUMIDITY, 1, 50, 50, 50);
        assertMeasure(sensors.get("a"), Measure.PRESSURE, 0, null, null, null);
        assertFinal(sensors.get("b"), T0, 1);
        assertMeasure(sensors.get("b"), Measure.TEMPERATURE, 1, 10, 10, 10);
        assertFinal(sensors.get("c"), T0, 1);
        assertMeasure(sensors.get("c"), Measure.TEMPERATURE, 1, 30, 30, 30);
        assertMeasure(sensors.get("c"), Measure.PRESSURE, 1, 1000, 1000, 1000);
        assertFinal(sensors.get("d"), T0 + 60_000, 1);
        assertMeasure(sensors.get("d"), Measure.TEMPERATURE, 1, 5, 5, 5);

        assertFinal(places.get("p1"), T0, 4);
        assertMeasure(places.get("p1"), Measure.TEMPERATURE, 4, 10, 25, (20 + 10 + 25 + 23) / 4.0);
        assertMeasure(places.get("p1"), Measure.HUMIDITY, 1, 50, 50, 50);
        assertThat(sensors.get("a").temperatureStddev()).isCloseTo(TwoPass.stddev(20, 25, 23), withinPercentage(1e-7));
        assertThat(sensors.get("a").humidityStddev()).as("one reading").isZero();
        assertThat(sensors.get("a").pressureStddev()).as("no reading").isNull();
        assertThat(places.get("p1").temperatureStddev())
                .isCloseTo(TwoPass.stddev(20, 10, 25, 23), withinPercentage(1e-7));
        assertFinal(places.get("p2"), T0, 1);
        assertMeasure(places.get("p2"), Measure.HUMIDITY, 1, 60, 60, 60);
        assertFinal(places.get("p3"), T0 + 60_000, 1);

        Ringbuffer<SensorReading> ringbuffer = member.getRingbuffer(settings.readingsRingbuffer());
        await().untilAsserted(() -> assertThat(ringbuffer.size()).isEqualTo(9));
        assertThat(readAll(ringbuffer)).extracting(SensorReading::timestamp).containsExactly(
                T0 + 1_000, T0 + 2_000, T0 + 3_000, T0 + 50_000, T0 + 47_000, T0 + 70_000, T0 + 55_000, T0 + 59_000,
                T0 + 130_000);

        // Threshold alerts only: liveness may alert too, should the test outlast a sensor's silent bound.
        await().untilAsserted(() -> assertThat(alerts).filteredOn(a -> a.kind() == AlertKind.THRESHOLD)
                .extracting(ThresholdAlert::sensorId, ThresholdAlert::value)
                .containsExactlyInAnyOrder(
                        tuple("c", 30.0),
                        tuple("a", 25.0),
                        tuple("a", 99.0)));
        assertThat(alerts).allSatisfy(a -> assertThat(a.rule()).isEqualTo("temperature>24.0"));
    }

    @Test
    void when_windowStillOpen_then_earlyResultVisible() {
        AggregationSettings settings = settings("early").set(AggregationSettings.EARLY_RESULTS_PERIOD, Duration.ofMillis(100)).build();

        start(settings,
                reading("a", "p1", T0 + 1_000, "\"temperature\":20"),
                reading("a", "p1", T0 + 2_000, "\"temperature\":22"));

        Map<String, WindowStats> sensors = member.getMap(settings.sensorStatsMap());
        await().untilAsserted(() -> {
            WindowStats a = sensors.get("a");
            assertThat(a).isNotNull();
            assertThat(a.early()).isTrue();
            assertThat(a.count()).isEqualTo(2);
            assertThat(a.windowStart()).isEqualTo(T0);
            assertThat(a.windowEnd()).isEqualTo(T0 + 60_000);
            assertThat(a.temperatureAvg()).isEqualTo(21.0);
        });
    }

    @Test
    void when_sensorsGoQuiet_then_theirLastWindowStillCloses() {
        AggregationSettings settings = settings("quiet")
                .set(AggregationSettings.WINDOW_SIZE, Duration.ofSeconds(1))
                .set(AggregationSettings.ALLOWED_LATENESS, Duration.ofMillis(100))
                .set(AggregationSettings.EARLY_RESULTS_PERIOD, Duration.ofMillis(100))
                .set(AggregationSettings.QUIET_CLOSE_AFTER, Duration.ofMillis(500)).build();
        // Two readings, then nothing: only the source's wall-clock floor can move event time past their window.
        // They are stamped two seconds ahead so that the floor during a slow job start cannot make them late.
        long now = System.currentTimeMillis();
        long windowStart = now - now % 1000 + 2000;

        start(settings,
                reading("q", "p9", windowStart + 1, "\"temperature\":1"),
                reading("q", "p9", windowStart + 2, "\"temperature\":3"));

        Map<String, WindowStats> sensors = member.getMap(settings.sensorStatsMap());
        await().untilAsserted(() -> {
            WindowStats q = sensors.get("q");
            assertThat(q).isNotNull();
            assertThat(q.early()).as("final result").isFalse();
            assertThat(q.windowStart()).isEqualTo(windowStart);
            assertThat(q.count()).isEqualTo(2);
            assertThat(q.temperatureAvg()).isEqualTo(2.0);
        });
    }

    @Test
    void when_badPayloads_then_deadLettersWithReasonAndJobKeepsRunning() {
        AggregationSettings settings = settings("bad").set(AggregationSettings.EARLY_RESULTS_PERIOD, Duration.ofMillis(100)).build();

        Job job = start(settings,
                "{\"id\":\"a\",\"place_id\":\"p1\",\"timestamp\":",
                "not json at all",
                "{\"id\":\"a\",\"place_id\":\"p1\",\"timestamp\":\"yesterday\",\"payload\":{\"temperature\":1}}",
                "{\"place_id\":\"p1\",\"timestamp\":1,\"payload\":{\"temperature\":1}}",
                reading("a", "p1", T0 + 1_000, "\"temperature\":20"));

        Map<String, DeadLetter> deadLetters = member.getMap(settings.deadLettersMap());
        await().untilAsserted(() -> assertThat(deadLetters.values()).extracting(DeadLetter::reason)
                .satisfiesExactlyInAnyOrder(
                        r -> assertThat(r).startsWith("malformed JSON: Unexpected end-of-input"),
                        r -> assertThat(r).startsWith("malformed JSON: Unrecognized token 'not'"),
                        r -> assertThat(r).isEqualTo(
                                "field 'timestamp' must be an integer of epoch milliseconds but was a string"),
                        r -> assertThat(r).isEqualTo("missing field 'id'")));
        assertThat(deadLetters.values()).allSatisfy(dl -> {
            assertThat(dl.source()).isEqualTo(ScriptedSource.SOURCE);
            assertThat(dl.payload()).isNotEmpty();
        });
        assertThat(deadLetters.values()).anySatisfy(dl ->
                assertThat(new String(dl.payload(), StandardCharsets.UTF_8)).isEqualTo("not json at all"));

        Map<String, WindowStats> sensors = member.getMap(settings.sensorStatsMap());
        await().untilAsserted(() -> assertThat(sensors.get("a")).isNotNull());
        assertThat(job.getStatus()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void when_olderWindowArrivesLate_then_latestWindowKept() {
        WindowStats early2 = stats(60_000, true, 3);
        WindowStats final1 = stats(0, false, 9);
        WindowStats final2 = stats(60_000, false, 4);

        WindowStats early2Later = stats(60_000, true, 5);
        long[] last = {Long.MIN_VALUE, 0, 0};

        assertThat(AggregationJob.ifLatest(last, final1)).isSameAs(final1);
        assertThat(AggregationJob.ifLatest(last, early2)).isSameAs(early2);
        assertThat(AggregationJob.ifLatest(last, final1)).as("older final after newer early").isNull();
        assertThat(AggregationJob.ifLatest(last, early2Later)).as("newer early of the same window")
                                                              .isSameAs(early2Later);
        assertThat(AggregationJob.ifLatest(last, final2)).isSameAs(final2);
        assertThat(AggregationJob.ifLatest(last, early2)).as("early never replaces its final").isNull();
    }

    @Test
    void when_earlyResultRepeatsTheLastOne_then_notWrittenAgain() {
        long[] last = {Long.MIN_VALUE, 0, 0};
        WindowStats early = stats(0, true, 3);

        assertThat(AggregationJob.ifLatest(last, early)).isSameAs(early);
        assertThat(AggregationJob.ifLatest(last, stats(0, true, 3))).as("unchanged early result").isNull();
        WindowStats grown = stats(0, true, 4);
        assertThat(AggregationJob.ifLatest(last, grown)).isSameAs(grown);
        WindowStats closed = stats(0, false, 4);
        assertThat(AggregationJob.ifLatest(last, closed)).as("final with the early's count").isSameAs(closed);
        WindowStats next = stats(60_000, true, 4);
        assertThat(AggregationJob.ifLatest(last, next)).as("same count, newer window").isSameAs(next);
    }

    private static WindowStats stats(long start, boolean early, long count) {
        MeasureStats[] none = {MeasureStats.NONE, MeasureStats.NONE, MeasureStats.NONE, MeasureStats.NONE};
        return WindowStats.of("s", start, start + 60_000, early, count, none);
    }

    private static void assertFinal(WindowStats s, long windowStart, long count) {
        assertThat(s.early()).as("final result of %s", s.id()).isFalse();
        assertThat(s.windowStart()).as("window start of %s", s.id()).isEqualTo(windowStart);
        assertThat(s.windowEnd()).as("window end of %s", s.id()).isEqualTo(windowStart + MINUTE.toMillis());
        assertThat(s.count()).as("count of %s", s.id()).isEqualTo(count);
    }

    private static void assertMeasure(WindowStats s, Measure m, long count, Number min, Number max, Number avg) {
        MeasureStats ms = s.stats(m);
        assertThat(ms.count()).as("%s count of %s", m, s.id()).isEqualTo(count);
        assertClose(ms.min(), min, "min");
        assertClose(ms.max(), max, "max");
        assertClose(ms.avg(), avg, "avg");
    }

    private static void assertClose(Double actual, Number expected, String what) {
        if (expected == null) {
            assertThat(actual).as(what).isNull();
        } else {
            assertThat(actual).as(what).isCloseTo(expected.doubleValue(), within(1e-9));
        }
    }

    private AggregationSettings.Builder settings(String prefix) {
        return AggregationSettings.builder()
                .set(AggregationSettings.WINDOW_SIZE, MINUTE)
                .set(AggregationSettings.QUIET_CLOSE_AFTER, null)
                .set(AggregationSettings.SENSOR_STATS_MAP, prefix + "_sensor_stats")
                .set(AggregationSettings.PLACE_STATS_MAP, prefix + "_place_stats")
                .set(AggregationSettings.READINGS_RINGBUFFER, prefix + "_readings")
                .set(AggregationSettings.ALERTS_TOPIC, prefix + "_alerts")
                .set(AggregationSettings.DEAD_LETTERS_MAP, prefix + "_dead_letters");
    }

    private Job start(AggregationSettings settings, String... payloads) {
        Job job = member.getJet().newJob(AggregationJob.build(ScriptedSource.of(List.of(payloads), settings), settings),
                new JobConfig().setName("aggregation-" + settings.sensorStatsMap()));
        jobs.add(job);
        return job;
    }

    private Collection<ThresholdAlert> subscribe(String topic) {
        Collection<ThresholdAlert> received = new ConcurrentLinkedQueue<>();
        ITopic<ThresholdAlert> t = member.getReliableTopic(topic);
        t.addMessageListener(m -> received.add(m.getMessageObject()));
        return received;
    }

    private static String reading(String sensor, String place, long timestamp, String measures) {
        return "{\"id\":\"" + sensor + "\",\"place_id\":\"" + place + "\",\"timestamp\":" + timestamp
                + ",\"payload\":{" + measures + "}}";
    }
}
