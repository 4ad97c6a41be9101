package io.iotgrid.jobs.impl;

import com.hazelcast.jet.core.Watermark;
import com.hazelcast.jet.core.test.TestSupport;
import com.hazelcast.jet.datamodel.KeyedWindowResult;
import com.hazelcast.jet.impl.JetEvent;
import io.iotgrid.core.Measure;
import io.iotgrid.core.MeasureStats;
import io.iotgrid.core.SensorReading;
import io.iotgrid.jobs.StatsAccumulator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static com.hazelcast.jet.impl.JetEvent.jetEvent;

class RollupPTest {

    private static final long MINUTE = 60_000;
    private static final long HOUR = 3_600_000;

    @Test
    void when_watermarkPassesTierEnd_then_mergedWindowsOfEachKeyEmittedOnce() {
        // Snapshots need the job-level serializers TestSupport does not have: WindowHistoryIT runs the processor
        // in jobs.
        TestSupport.verifyProcessor(() -> new RollupP<String>(HOUR, 2 * HOUR))
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
                        rolled("a", 0, HOUR, 20, 22, 30), rolled("b", 0, HOUR, 5),
                        new Watermark(HOUR),
                        rolled("a", HOUR, HOUR, 10, 14),
                        rolled("a", 0, 2 * HOUR, 20, 22, 30, 10, 14), rolled("b", 0, 2 * HOUR, 5),
                        new Watermark(2 * HOUR)));
    }

    private static JetEvent<KeyedWindowResult<String, StatsAccumulator>> closed(String key, long start,
                                                                               double... temperatures) {
        return jetEvent(start + MINUTE - 1, new KeyedWindowResult<>(start, start + MINUTE, key,
                accumulator(key, start, temperatures)));
    }

    private static JetEvent<KeyedWindowResult<String, StatsAccumulator>> rolled(String key, long start, long length,
                                                                               double... temperatures) {
        return jetEvent(start + length - 1, new KeyedWindowResult<>(start, start + length, key,
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
                @SuppressWarnings("unchecked")
                KeyedWindowResult<String, StatsAccumulator> r =
                        (KeyedWindowResult<String, StatsAccumulator>) e.payload();
                MeasureStats t = r.result().result().byMeasure()[Measure.TEMPERATURE.ordinal()];
                // Standard deviations are checked against the input in WindowHistoryIT, to a relative 1e-9: merged
                // and sequential updates may differ in their last bits.
                out.add("ts=" + e.timestamp() + " key=" + r.key() + " [" + r.start() + "," + r.end() + ") early="
                        + r.isEarly() + " count=" + t.count() + " min=" + t.min() + " max=" + t.max() + " avg="
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
