package io.iotgrid.jobs.impl;

import com.hazelcast.jet.core.Watermark;
import com.hazelcast.jet.core.test.TestSupport;
import com.hazelcast.jet.datamodel.KeyedWindowResult;
import com.hazelcast.jet.impl.JetEvent;
import io.iotgrid.core.HistoryTier;
import io.iotgrid.core.HistoryUpdate;
import io.iotgrid.core.LateReading;
import io.iotgrid.core.Measure;
import io.iotgrid.core.MeasureStats;
import io.iotgrid.core.SensorReading;
import io.iotgrid.core.WindowStats;
import io.iotgrid.jobs.StatsAccumulator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.hazelcast.jet.impl.JetEvent.jetEvent;
import static io.iotgrid.core.HistoryTier.WINDOW;

class RollupPTest {

    private static final long MINUTE = 60_000;
    private static final long HOUR = 3_600_000;
    private static final HistoryTier HOUR_TIER = HistoryTier.HOUR;

    @Test
    void when_watermarkPassesTierEnd_then_mergedWindowsOfEachKeyEmittedOnceAfterEachWindowsOwnSlot() {
        // Snapshots need the job-level serializers TestSupport does not have: WindowHistoryIT runs the processor
        // in jobs.
        TestSupport.verifyProcessor(() -> new RollupP(Map.of(HistoryTier.WINDOW, Duration.ofHours(6),
                        HistoryTier.HOUR, Duration.ofDays(7)), LateReading::sensorId))
                .input(List.of(
                        closed("a", 0, 20, 22), closed("a", MINUTE, 30), closed("b", 59 * MINUTE, 5),
                        closed("a", HOUR, 10),
                        new Watermark(HOUR),
                        closed("a", HOUR + MINUTE, 14),
                        new Watermark(2 * HOUR)))
                .disableProgressAssertion()
                .disableSnapshots()
                .outputChecker((expected, actual) -> describe(expected).equals(describe(actual)))
                .expectOutput(List.of(
                        update(WINDOW, false, "a", 0, MINUTE, 20, 22), update(WINDOW, false, "a", MINUTE, MINUTE, 30),
                        update(WINDOW, false, "b", 59 * MINUTE, MINUTE, 5),
                        update(WINDOW, false, "a", HOUR, MINUTE, 10),
                        update(HOUR_TIER, false, "a", 0, HOUR, 20, 22, 30), update(HOUR_TIER, false, "b", 0, HOUR, 5),
                        new Watermark(HOUR),
                        update(WINDOW, false, "a", HOUR + MINUTE, MINUTE, 14),
                        update(HOUR_TIER, false, "a", HOUR, HOUR, 10, 14),
                        new Watermark(2 * HOUR)));
    }

    @Test
    void when_lateReadings_then_revisionAfterItsWindowAndInTheOpenHourOrARevisionOfTheClosedOne() {
        TestSupport.verifyProcessor(() -> new RollupP(Map.of(HistoryTier.WINDOW, Duration.ofHours(6),
                        HistoryTier.HOUR, Duration.ofDays(7)), LateReading::placeId))
                .input(List.of(
                        late("a", 30_000, 25),
                        closed("p", 0, 20, 22),
                        new Watermark(2 * MINUTE),
                        new Watermark(HOUR),
                        late("a", 2 * MINUTE + 5, 40)))
                .disableProgressAssertion()
                .disableSnapshots()
                .outputChecker((expected, actual) -> describe(expected).equals(describe(actual)))
                .expectOutput(List.of(
                        update(WINDOW, false, "p", 0, MINUTE, 20, 22),
                        // The late reading waited for the watermark to pass its minute, after the minute's result.
                        update(WINDOW, true, "p", 0, MINUTE, 25),
                        new Watermark(2 * MINUTE),
                        update(HOUR_TIER, false, "p", 0, HOUR, 20, 22, 25),
                        new Watermark(HOUR),
                        update(WINDOW, true, "p", 2 * MINUTE, MINUTE, 40),
                        update(HOUR_TIER, true, "p", 0, HOUR, 40)));
    }

    private static JetEvent<LateReading> late(String sensor, long ts, double temperature) {
        long start = ts / MINUTE * MINUTE;
        return jetEvent(ts, LateReading.of(new SensorReading(sensor, "p", ts, temperature, Double.NaN, Double.NaN,
                Double.NaN), start, start + MINUTE, start + 2 * MINUTE, 0));
    }

    private static JetEvent<HistoryUpdate> update(HistoryTier tier, boolean revision, String key, long start,
                                                  long length, double... temperatures) {
        StatsAccumulator.Result r = accumulator(key, start, temperatures).result();
        WindowStats w = WindowStats.of(key, start, start + length, false, r.readings(), r.byMeasure());
        return jetEvent(start + length - 1, revision ? HistoryUpdate.revise(tier, w, Duration.ofHours(1))
                : HistoryUpdate.replace(tier, w, Duration.ofHours(1)));
    }

    private static JetEvent<KeyedWindowResult<String, StatsAccumulator>> closed(String key, long start,
                                                                               double... temperatures) {
        return jetEvent(start + MINUTE - 1, new KeyedWindowResult<>(start, start + MINUTE, key,
                accumulator(key, start, temperatures)));
    }

    private static StatsAccumulator accumulator(String key, long ts, double... temperatures) {
        StatsAccumulator acc = new StatsAccumulator();
        for (double t : temperatures) {
            acc.add(new SensorReading(key, "p", ts, t, Double.NaN, Double.NaN, Double.NaN));
        }
        return acc;
    }

    private static List<String> describe(List<?> items) {
        List<String> out = new ArrayList<>();
        for (Object item : items) {
            if (item instanceof JetEvent<?> e) {
                HistoryUpdate u = (HistoryUpdate) e.payload();
                WindowStats w = u.window();
                MeasureStats t = w.stats(Measure.TEMPERATURE);
                // Standard deviations are checked against the input in WindowHistoryIT, to a relative 1e-9: merged
                // and sequential updates may differ in their last bits.
                out.add("ts=" + e.timestamp() + " " + u + " key=" + u.key() + " [" + w.windowStart() + ","
                        + w.windowEnd() + ") count=" + t.count() + " min=" + t.min() + " max=" + t.max() + " avg="
                        + t.avg());
            } else {
                out.add(item.toString());
            }
        }
        // Within a watermark's results the order of keys and tiers is a hash map's.
        List<String> sorted = new ArrayList<>();
        List<String> group = new ArrayList<>();
        for (String s : out) {
            if (s.startsWith("ts=")) {
                group.add(s);
            } else {
                group.sort(null);
                sorted.addAll(group);
                group.clear();
                sorted.add(s);
            }
        }
        group.sort(null);
        sorted.addAll(group);
        return sorted;
    }
}
