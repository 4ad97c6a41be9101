package io.iotgrid.jobs;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.map.IMap;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.HistoryBlock;
import io.iotgrid.core.HistoryTier;
import io.iotgrid.core.LateReading;
import io.iotgrid.core.Measure;
import io.iotgrid.core.MeasureStats;
import io.iotgrid.core.WindowStats;
import io.iotgrid.core.testing.FreePorts;
import io.iotgrid.core.testing.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.awaitility.Awaitility.await;

/**
 * Late readings as revisions of history ({@code history.revisions}): a replayed hour in which some readings arrive
 * two minutes late, beyond the allowed lateness of 5 s, and one sensor's readings all do (its minutes exist only
 * through revisions). Every late reading is in the late-readings map; with revisions the minutes and the hour of each
 * sensor and place in history equal a computation over all readings, without them a computation over the on-time
 * ones.
 */
@Timeout(180)
class LateRevisionsIT {

    /** Midnight UTC. */
    private static final long DAY0 = 19_676 * 86_400_000L;
    private static final long MINUTE = 60_000;
    private static final long HOUR = 3_600_000;
    private static final long LATE_BY = 2 * MINUTE;
    /** Relative tolerance of averages and standard deviations, in percent: 1e-9. */
    private static final double RELATIVE = 1e-7;

    @RegisterExtension
    final Resources resources = new Resources();

    @Test
    void when_revisionsOn_then_minutesAndHoursOfHistoryCountEveryReading() {
        check(true);
    }

    @Test
    void when_revisionsOff_then_minutesAndHoursOfHistoryCountTheOnTimeReadings() {
        check(false);
    }

    private void check(boolean revisions) {
        HazelcastInstance member = member();
        AggregationSettings settings = AggregationSettings.builder()
                .set(AggregationSettings.EARLY_RESULTS_PERIOD, Duration.ZERO)
                .set(AggregationSettings.QUIET_CLOSE_AFTER, null)
                .set(AggregationSettings.HISTORY_DAY_RETENTION, Duration.ZERO)
                .set(AggregationSettings.HISTORY_REVISIONS, revisions)
                .build();
        List<Reading> onTime = new ArrayList<>();
        List<Reading> late = new ArrayList<>();
        List<Reading> arrival = script(onTime, late);
        submit(member, settings, arrival);

        IMap<String, LateReading> lateMap = member.getMap(settings.lateReadingsMap());
        Set<String> lateKeys = late.stream().map(r -> r.sensor + '@' + r.ts).collect(Collectors.toSet());
        await().atMost(Duration.ofSeconds(90))
               .untilAsserted(() -> assertThat(lateMap.keySet()).as("late readings").isEqualTo(lateKeys));

        List<Reading> counted = new ArrayList<>(onTime);
        if (revisions) {
            counted.addAll(late);
        }
        for (String statsMap : List.of(settings.sensorStatsMap(), settings.placeStatsMap())) {
            Function<Reading, String> keyFn = statsMap.equals(settings.sensorStatsMap()) ? r -> r.sensor : r -> r.place;
            for (HistoryTier tier : List.of(HistoryTier.WINDOW, HistoryTier.HOUR)) {
                long length = tier == HistoryTier.WINDOW ? MINUTE : HOUR;
                Map<String, List<Reading>> expected = byWindow(counted, keyFn, length);
                IMap<String, HistoryBlock> history = member.getMap(tier.mapName(statsMap));
                String what = tier.mapName(statsMap);
                // Revisions come after their window's result: wait for the counts, then compare every statistic.
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(counts(history))
                        .as(what).isEqualTo(expected.entrySet().stream().collect(Collectors.toMap(
                                Map.Entry::getKey, e -> (long) e.getValue().size(), (a, b) -> a, TreeMap::new))));
                Map<String, WindowStats> windows = windows(history);
                expected.forEach((key, readings) -> assertWindow(what + ' ' + key, windows.get(key), readings));
            }
        }
    }

    private static void assertWindow(String what, WindowStats w, List<Reading> readings) {
        assertThat(w.count()).as(what).isEqualTo(readings.size());
        assertMeasure(what + " temperature", w.stats(Measure.TEMPERATURE),
                readings.stream().mapToDouble(r -> r.temperature).toArray());
        assertMeasure(what + " humidity", w.stats(Measure.HUMIDITY),
                readings.stream().mapToDouble(r -> r.humidity).toArray());
        assertThat(w.stats(Measure.PRESSURE)).as(what).isEqualTo(MeasureStats.NONE);
    }

    private static void assertMeasure(String what, MeasureStats s, double[] values) {
        assertThat(s.count()).as(what).isEqualTo(values.length);
        assertThat(s.min()).as(what).isEqualTo(java.util.Arrays.stream(values).min().orElseThrow());
        assertThat(s.max()).as(what).isEqualTo(java.util.Arrays.stream(values).max().orElseThrow());
        assertThat(s.avg()).as(what).isCloseTo(TwoPass.mean(values), withinPercentage(RELATIVE));
        double stddev = (Double) s.value(io.iotgrid.core.Statistic.STDDEV);
        double expected = TwoPass.stddev(values);
        if (expected == 0) {
            assertThat(stddev).as(what).isZero();
        } else {
            assertThat(stddev).as(what).isCloseTo(expected, withinPercentage(RELATIVE));
        }
    }

    /**
     * An hour of readings in arrival order: sensors s-0 and s-1 (place p-0) every 10 s, every seventh of theirs
     * arriving {@value #LATE_BY} ms of event time late, and s-9 (place p-1) every 50 s, all of them that late. Late
     * readings are stamped in the first 55 minutes, so each arrives after readings two minutes newer.
     */
    private static List<Reading> script(List<Reading> onTime, List<Reading> late) {
        List<Reading> all = new ArrayList<>();
        for (int i = 0; i < 360; i++) {
            for (int s = 0; s < 2; s++) {
                long ts = DAY0 + i * 10_000L + s * 1_000;
                all.add(new Reading("s-" + s, "p-0", ts, 15 + (i * 37 % 101) / 8.0 + s, 40 + (i * 13 % 29) / 4.0));
            }
            if (i % 5 == 0) {
                long ts = DAY0 + i * 10_000L + 3_000;
                all.add(new Reading("s-9", "p-1", ts, -5 + (i * 7 % 23) / 2.0, 70 + (i % 11) / 2.0));
            }
        }
        for (int i = 0; i < all.size(); i++) {
            Reading r = all.get(i);
            boolean isLate = r.ts < DAY0 + 55 * MINUTE && (r.sensor.equals("s-9") || i % 7 == 3);
            (isLate ? late : onTime).add(r);
        }
        List<Reading> arrival = new ArrayList<>();
        List<Reading> waiting = new ArrayList<>(late);
        for (Reading r : onTime) {
            arrival.add(r);
            while (!waiting.isEmpty() && waiting.get(0).ts + LATE_BY <= r.ts) {
                arrival.add(waiting.remove(0));
            }
        }
        arrival.addAll(waiting);
        return arrival;
    }

    private void submit(HazelcastInstance member, AggregationSettings settings, List<Reading> readings) {
        List<String> payloads = new ArrayList<>();
        for (Reading r : readings) {
            payloads.add("{\"id\":\"" + r.sensor + "\",\"place_id\":\"" + r.place + "\",\"timestamp\":" + r.ts
                    + ",\"payload\":{\"temperature\":" + r.temperature + ",\"humidity\":" + r.humidity + "}}");
        }
        // Moves event time past the end of the hour, closing every window above; its own stay open.
        payloads.add("{\"id\":\"end\",\"place_id\":\"p-end\",\"timestamp\":" + (DAY0 + 3 * HOUR)
                + ",\"payload\":{\"temperature\":0}}");
        resources.onClose(member.getJet().newJob(AggregationJob.build(ScriptedSource.of(payloads, settings), settings),
                JobSerializers.register(new JobConfig()))::cancel);
    }

    private HazelcastInstance member() {
        Config config = GridConfigs.loopbackMember("revisions-" + UUID.randomUUID(), FreePorts.loopback());
        // One cooperative thread, as in LateAndDuplicatesIT: readings travel one path in the order scripted, so the
        // watermark each meets is the one the script implies; with parallel paths a lagging one holds the coalesced
        // watermark back, and a reading two minutes late may still find its window open.
        config.getJetConfig().setCooperativeThreadCount(1);
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
        resources.onClose(member::shutdown);
        return member;
    }

    /** The windows of every block by {@code id@windowStart}, without the closing reading's. */
    private static Map<String, WindowStats> windows(IMap<String, HistoryBlock> history) {
        Map<String, WindowStats> windows = new TreeMap<>();
        history.values().forEach(b -> b.windows().stream().filter(w -> !w.id().equals("end") && !w.id().equals("p-end"))
                .forEach(w -> windows.put(HistoryTier.key(w.id(), w.windowStart()), w)));
        return windows;
    }

    private static Map<String, Long> counts(IMap<String, HistoryBlock> history) {
        Map<String, Long> counts = new TreeMap<>();
        windows(history).forEach((k, w) -> counts.put(k, w.count()));
        return counts;
    }

    private static Map<String, List<Reading>> byWindow(List<Reading> readings, Function<Reading, String> keyFn,
                                                       long length) {
        Map<String, List<Reading>> byWindow = new HashMap<>();
        for (Reading r : readings) {
            byWindow.computeIfAbsent(HistoryTier.key(keyFn.apply(r), Math.floorDiv(r.ts, length) * length),
                    k -> new ArrayList<>()).add(r);
        }
        return byWindow;
    }

    private record Reading(String sensor, String place, long ts, double temperature, double humidity) {
    }
}
