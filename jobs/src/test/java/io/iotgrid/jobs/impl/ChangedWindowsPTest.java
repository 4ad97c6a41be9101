package io.iotgrid.jobs.impl;

import com.hazelcast.jet.core.Watermark;
import com.hazelcast.jet.core.test.TestOutbox;
import com.hazelcast.jet.core.test.TestProcessorContext;
import com.hazelcast.jet.core.test.TestSupport;
import com.hazelcast.jet.datamodel.KeyedWindowResult;
import com.hazelcast.jet.impl.JetEvent;
import io.iotgrid.core.Measure;
import io.iotgrid.core.SensorReading;
import io.iotgrid.jobs.StatsAccumulator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static com.hazelcast.jet.impl.JetEvent.jetEvent;
import static io.iotgrid.jobs.impl.ProcessorDriver.awaitOutput;
import static io.iotgrid.jobs.impl.ProcessorDriver.process;
import static org.assertj.core.api.Assertions.assertThat;

class ChangedWindowsPTest {

    @Test
    void when_watermarkPassesWindowEnd_then_partsCombinedIntoFinalResultsAndLatePartsDropped() {
        // An early period of 0: final results only. Snapshots need the job-level serializers TestSupport does not
        // have: KafkaExactlyOnceIT restores this processor after a member is lost.
        TestSupport.verifyProcessor(() -> new ChangedWindowsP<String>(1_000, 0))
                .input(List.of(
                        part("a", 0, 1_000, 1, 20), part("b", 0, 1_000, 1, 5), part("a", 0, 1_000, 1, 22),
                        new Watermark(1_000),
                        part("a", 0, 1_000, 3, 99),
                        part("a", 1_000, 1_000, 1, 30),
                        new Watermark(2_000)))
                .disableProgressAssertion()
                .disableSnapshots()
                .outputChecker((expected, actual) -> describe(expected).equals(describe(actual)))
                .expectOutput(List.of(
                        result("a", 0, false, 2, 21.0), result("b", 0, false, 1, 5.0),
                        new Watermark(1_000),
                        result("a", 1_000, false, 1, 30.0),
                        new Watermark(2_000)));
    }

    @Test
    void when_earlyPeriodPasses_then_onlyWindowsThatChangedAreEmitted() throws Exception {
        ChangedWindowsP<String> p = new ChangedWindowsP<>(60_000, 1);
        TestOutbox outbox = new TestOutbox(1_024);
        p.init(outbox, new TestProcessorContext());

        process(p, part("a", 0, 60_000, 1, 20), part("b", 0, 60_000, 1, 5));
        List<Object> first = awaitOutput(p, outbox);
        process(p, part("a", 0, 60_000, 1, 22));
        List<Object> second = awaitOutput(p, outbox);

        // Described only now: an early result is a copy, which the window's later parts leave as it was.
        assertThat(describe(first)).containsExactlyInAnyOrder(describe(result("a", 0, true, 1, 20.0)),
                describe(result("b", 0, true, 1, 5.0)));
        assertThat(describe(second)).containsExactly(describe(result("a", 0, true, 2, 21.0)));
    }



    /** A part of {@code key}'s window of {@code count} readings of {@code temperature}, stamped as the sender does. */
    private static JetEvent<WindowPartial> part(String key, long start, long size, int count, double temperature) {
        return jetEvent(start + size - 1, new WindowPartial(key, start, accumulator(key, start, count, temperature)));
    }

    private static StatsAccumulator accumulator(String key, long start, long count, double temperature) {
        StatsAccumulator acc = new StatsAccumulator();
        for (int i = 0; i < count; i++) {
            acc.add(new SensorReading(key, "p", start, temperature, Double.NaN, Double.NaN, Double.NaN));
        }
        return acc;
    }

    private static JetEvent<KeyedWindowResult<String, StatsAccumulator>> result(
            String key, long start, boolean early, long count, double avgTemperature) {
        // Readings whose average is the given one: count times the average itself.
        StatsAccumulator acc = accumulator(key, start, count, avgTemperature);
        // The early test uses 1-minute windows, the final one 1-second windows; results are stamped end - 1.
        long end = start + (early ? 60_000 : 1_000);
        return jetEvent(end - 1, new KeyedWindowResult<>(start, end, key, acc, early));
    }

    private static List<String> describe(List<?> items) {
        List<String> out = new ArrayList<>();
        for (Object item : items) {
            out.add(describe(item));
        }
        out.sort(null);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static String describe(Object item) {
        if (!(item instanceof JetEvent<?> e)) {
            return item.toString();
        }
        KeyedWindowResult<String, StatsAccumulator> r = (KeyedWindowResult<String, StatsAccumulator>) e.payload();
        StatsAccumulator.Result result = r.result().result();
        return "ts=" + e.timestamp() + " key=" + r.key() + " [" + r.start() + "," + r.end() + ") early=" + r.isEarly()
                + " readings=" + result.readings()
                + " avgTemperature=" + result.byMeasure()[Measure.TEMPERATURE.ordinal()].avg();
    }
}
