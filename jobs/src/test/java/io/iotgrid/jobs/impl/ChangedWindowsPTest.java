package io.iotgrid.jobs.impl;

import com.hazelcast.jet.core.Watermark;
import com.hazelcast.jet.core.test.TestInbox;
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
import java.util.concurrent.TimeUnit;

import static com.hazelcast.jet.impl.JetEvent.jetEvent;
import static org.assertj.core.api.Assertions.assertThat;

class ChangedWindowsPTest {

    @Test
    void when_watermarkPassesWindowEnd_then_finalResultsAndLateReadingsDropped() {
        // An early period of an hour: only final results in this test, whatever the machine's speed. Snapshots
        // need the job-level serializers TestSupport does not have: KafkaExactlyOnceIT restores this processor
        // after a member is lost.
        TestSupport.verifyProcessor(() -> new ChangedWindowsP<>(SensorReading::sensorId, 1_000, 3_600_000))
                .input(List.of(
                        event("a", 100, 20), event("a", 200, 22), event("b", 300, 5),
                        new Watermark(1_000),
                        event("a", 500, 99),
                        event("a", 1_500, 30),
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
        ChangedWindowsP<String> p = new ChangedWindowsP<>(SensorReading::sensorId, 60_000, 1);
        TestOutbox outbox = new TestOutbox(1_024);
        p.init(outbox, new TestProcessorContext());

        process(p, event("a", 100, 20), event("b", 200, 5));
        List<Object> first = awaitEarly(p, outbox);
        process(p, event("a", 300, 22));
        List<Object> second = awaitEarly(p, outbox);

        // Described only now: an early result is a copy, which the window's later readings leave as it was.
        assertThat(describe(first)).containsExactlyInAnyOrder(describe(result("a", 0, true, 1, 20.0)),
                describe(result("b", 0, true, 1, 5.0)));
        assertThat(describe(second)).containsExactly(describe(result("a", 0, true, 2, 21.0)));
    }

    private static void process(ChangedWindowsP<String> p, Object... items) {
        TestInbox inbox = new TestInbox();
        inbox.addAll(List.of(items));
        p.process(0, inbox);
        assertThat(inbox).isEmpty();
    }

    /** Calls {@code tryProcess()} as Jet does when the inbox is empty, until early results come out. */
    private static List<Object> awaitEarly(ChangedWindowsP<String> p, TestOutbox outbox) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<Object> out = new ArrayList<>();
        while (out.isEmpty() && System.nanoTime() < deadline) {
            assertThat(p.tryProcess()).isTrue();
            outbox.drainQueueAndReset(0, out, false);
        }
        return out;
    }

    private static JetEvent<SensorReading> event(String sensor, long ts, double temperature) {
        return jetEvent(ts, new SensorReading(sensor, "p", ts, temperature, Double.NaN, Double.NaN, Double.NaN));
    }

    private static JetEvent<KeyedWindowResult<String, StatsAccumulator>> result(
            String key, long start, boolean early, long count, double avgTemperature) {
        StatsAccumulator acc = new StatsAccumulator();
        for (int i = 0; i < count; i++) {
            // Readings whose average is the given one: count times the average itself.
            acc.add(new SensorReading(key, "p", start, avgTemperature, Double.NaN, Double.NaN, Double.NaN));
        }
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
