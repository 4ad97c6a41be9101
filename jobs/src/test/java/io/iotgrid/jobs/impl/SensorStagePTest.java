package io.iotgrid.jobs.impl;

import com.hazelcast.jet.core.Outbox;
import com.hazelcast.jet.core.Watermark;
import com.hazelcast.jet.core.test.TestInbox;
import com.hazelcast.jet.core.test.TestOutbox;
import com.hazelcast.jet.core.test.TestProcessorContext;
import com.hazelcast.jet.core.test.TestSupport;
import com.hazelcast.jet.datamodel.KeyedWindowResult;
import com.hazelcast.jet.impl.JetEvent;
import io.iotgrid.core.AlertKind;
import io.iotgrid.core.LateReading;
import io.iotgrid.core.Measure;
import io.iotgrid.core.SensorReading;
import io.iotgrid.core.SensorState;
import io.iotgrid.core.SensorStatus;
import io.iotgrid.core.ThresholdAlert;
import io.iotgrid.jobs.AggregationSettings.Duplicates;
import io.iotgrid.jobs.StatsAccumulator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static com.hazelcast.jet.impl.JetEvent.jetEvent;
import static io.iotgrid.jobs.impl.ProcessorDriver.awaitOutput;
import static io.iotgrid.jobs.impl.ProcessorDriver.process;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The processor alone, under {@link TestSupport} (which also offers each item again while the outbox is full) and by
 * hand for the wall clock and a snapshot. TestSupport's own snapshots are off: the window state needs the job-level
 * serializers, which it does not have; {@link #when_savedAndRestored_then_windowsRememberedReadingsWatermarkAndPartsSurvive}
 * saves and restores by hand, and {@code KafkaExactlyOnceIT} and {@code LateAndDuplicatesIT} in a job.
 */
class SensorStagePTest {

    private static final long SIZE = 1_000;

    @Test
    void when_watermarkPassesWindowEnd_then_finalResultsAndPlacePartsBeforeIt_andLaterReadingsLate() {
        TestSupport.verifyProcessor(() -> stage(Duplicates.VALUES, 100))
                .input(List.of(
                        event("a", 100, 20), event("a", 200, 22), event("b", 300, 6),
                        new Watermark(1_000),
                        event("a", 999, 21),
                        event("a", 1_000, 30),
                        new Watermark(2_500),
                        event("b", 1_999, 23)))
                .disableProgressAssertion()
                .disableSnapshots()
                .outputChecker(SensorStagePTest::sameDescriptions)
                .expectOutput(List.of(
                        result("a", 0, 2, 21.0), result("b", 0, 1, 6.0), part("p", 0, 3, 16.0),
                        new Watermark(1_000),
                        late("a", 999, 0, 1_000, 1_000),
                        result("a", 1_000, 1, 30.0), part("p", 1_000, 1, 30.0),
                        new Watermark(2_500),
                        late("b", 1_999, 1_000, 2_000, 2_500)));
    }

    @Test
    void when_sameReadingAgainInOpenWindow_then_countedOnceAndOtherValuesStillCount() {
        TestSupport.verifyProcessor(() -> stage(Duplicates.VALUES, 100))
                .input(List.of(
                        event("a", 100, 20), event("a", 100, 20), event("b", 100, 20), event("a", 100, 23),
                        new Watermark(1_000)))
                .disableProgressAssertion()
                .disableSnapshots()
                .outputChecker(SensorStagePTest::sameDescriptions)
                .expectOutput(List.of(result("a", 0, 2, 21.5), result("b", 0, 1, 20.0), part("p", 0, 3, 21.0),
                        new Watermark(1_000)));
    }

    @Test
    void when_matchingOnTimestamp_then_otherValuesAtTheSameTimeAreDuplicates() {
        TestSupport.verifyProcessor(() -> stage(Duplicates.TIMESTAMP, 100))
                .input(List.of(event("a", 100, 20), event("a", 100, 21), event("a", 101, 22), new Watermark(1_000)))
                .disableProgressAssertion()
                .disableSnapshots()
                .outputChecker(SensorStagePTest::sameDescriptions)
                .expectOutput(List.of(result("a", 0, 2, 21.0), part("p", 0, 2, 21.0), new Watermark(1_000)));
    }

    @Test
    void when_off_then_everyReadingCountsButLateOnesStillKept() {
        TestSupport.verifyProcessor(() -> stage(Duplicates.OFF, 100))
                .input(List.of(event("a", 100, 20), event("a", 100, 20), new Watermark(1_000), event("a", 100, 20)))
                .disableProgressAssertion()
                .disableSnapshots()
                .outputChecker(SensorStagePTest::sameDescriptions)
                .expectOutput(List.of(result("a", 0, 2, 20.0), part("p", 0, 2, 20.0), new Watermark(1_000),
                        late("a", 100, 0, 1_000, 1_000)));
    }

    @Test
    void when_sensorReachesTheCap_then_furtherReadingsPassUnchecked() {
        TestSupport.verifyProcessor(() -> stage(Duplicates.VALUES, 2))
                .input(List.of(event("a", 1, 1), event("a", 2, 2), event("a", 3, 3), event("a", 3, 3),
                        event("a", 1, 1), event("b", 1, 1), event("b", 1, 1), new Watermark(1_000)))
                .disableProgressAssertion()
                .disableSnapshots()
                .outputChecker(SensorStagePTest::sameDescriptions)
                // a: 1 and 2 remembered, 3 twice unchecked, the repeat of 1 still found; b: its repeat found.
                .expectOutput(List.of(result("a", 0, 4, 9.0 / 4), result("b", 0, 1, 1.0), part("p", 0, 5, 10.0 / 5),
                        new Watermark(1_000)));
    }

    @Test
    void when_earlyPeriodPasses_then_changedSensorWindowsAndThePlacePartSinceTheLastPeriod() {
        SensorStageP p = new SensorStageP(60_000, 1, Duplicates.VALUES, 100, null, System::currentTimeMillis);
        TestOutbox outbox = init(p);

        process(p, event("a", 100, 20), event("b", 200, 6));
        List<Object> first = awaitOutput(p, outbox);
        process(p, event("a", 300, 22));
        List<Object> second = awaitOutput(p, outbox);

        // Described only now: an early result is a copy, which the window's later readings leave as it was.
        assertThat(describe(first)).containsExactlyInAnyOrder("early a [0,60000) readings=1 avgTemperature=20.0",
                "early b [0,60000) readings=1 avgTemperature=6.0", "part p [0,60000) readings=2 avgTemperature=13.0");
        // The place part holds only what came since the last one: ChangedWindowsP adds the parts up.
        assertThat(describe(second)).containsExactlyInAnyOrder("early a [0,60000) readings=2 avgTemperature=21.0",
                "part p [0,60000) readings=1 avgTemperature=22.0");
    }

    @Test
    void when_sensorFallsSilentOnTheWallClock_then_statusAndAlertWithoutAnyInput() {
        AtomicLong clock = new AtomicLong(1_000_000);
        LivenessRules rules = new LivenessRules(3, 40, 10_000, 5_000, 0, 0, 20, 60_000);
        SensorStageP p = new SensorStageP(60_000, 0, Duplicates.VALUES, 100, rules, clock::get);
        TestOutbox outbox = init(p);

        process(p, event("a", 100, 20));
        List<Object> first = new ArrayList<>();
        outbox.drainQueueAndReset(0, first, false);
        clock.addAndGet(1_000);
        List<Object> later = awaitOutput(p, outbox);

        assertThat(first).singleElement().satisfies(e -> assertThat(((JetEvent<?>) e).payload())
                .isInstanceOfSatisfying(SensorStatus.class, s -> assertThat(s.state()).isEqualTo(SensorState.ONLINE)));
        assertThat(later).extracting(e -> ((JetEvent<?>) e).payload()).anySatisfy(o -> assertThat(o)
                        .isInstanceOfSatisfying(SensorStatus.class,
                                s -> assertThat(s.state()).isEqualTo(SensorState.SILENT)))
                .anySatisfy(o -> assertThat(o).isInstanceOfSatisfying(ThresholdAlert.class,
                        a -> assertThat(a.kind()).isEqualTo(AlertKind.STATUS)));
    }

    @Test
    void when_savedAndRestored_then_windowsRememberedReadingsWatermarkAndPartsSurvive() throws Exception {
        SensorStageP before = stage(Duplicates.VALUES, 100);
        SnapshotOutbox saved = new SnapshotOutbox();
        before.init(saved, new TestProcessorContext());
        process(before, event("a", 100, 20), event("b", 200, 6));
        assertThat(before.tryProcessWatermark(new Watermark(-1))).isTrue();
        assertThat(before.saveToSnapshot()).isTrue();

        SensorStageP after = stage(Duplicates.VALUES, 100);
        TestOutbox afterOutbox = init(after);
        TestInbox snapshot = new TestInbox();
        snapshot.addAll(saved.entries);
        after.restoreFromSnapshot(snapshot);
        assertThat(after.finishSnapshotRestore()).isTrue();
        process(after, event("a", 100, 20), event("a", 300, 22), event("c", 1_500, 9));
        assertThat(after.tryProcessWatermark(new Watermark(1_000))).isTrue();
        process(after, event("c", 500, 1));
        List<Object> out = new ArrayList<>();
        afterOutbox.drainQueueAndReset(0, out, false);

        // a's repeat of 100 was remembered; the part of p not handed on before the snapshot is handed on now.
        assertThat(describe(out)).containsExactly(
                result("a", 0, 2, 21.0),
                result("b", 0, 1, 6.0),
                part("p", 0, 3, 16.0),
                "[" + new Watermark(1_000) + "]",
                late("c", 500, 0, 1_000, 1_000));
    }

    /**
     * An outbox that keeps the snapshot entries as they are: TestOutbox serializes them, without the job-level
     * serializers the window state needs.
     */
    private static final class SnapshotOutbox implements Outbox {
        final List<Map.Entry<Object, Object>> entries = new ArrayList<>();

        @Override
        public int bucketCount() {
            return 1;
        }

        @Override
        public boolean offer(int ordinal, Object item) {
            return true;
        }

        @Override
        public boolean offer(int[] ordinals, Object item) {
            return true;
        }

        @Override
        public boolean offerToSnapshot(Object key, Object value) {
            entries.add(Map.entry(key, value));
            return true;
        }

        @Override
        public boolean hasUnfinishedItem() {
            return false;
        }
    }

    private static SensorStageP stage(Duplicates duplicates, int maxPerSensor) {
        return new SensorStageP(SIZE, 0, duplicates, maxPerSensor, null, System::currentTimeMillis);
    }

    private static TestOutbox init(SensorStageP p) {
        TestOutbox outbox = new TestOutbox(new int[]{1_024}, 1_024);
        try {
            p.init(outbox, new TestProcessorContext());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return outbox;
    }



    private static JetEvent<SensorReading> event(String sensor, long ts, double temperature) {
        return jetEvent(ts, reading(sensor, ts, temperature));
    }

    private static SensorReading reading(String sensor, long ts, double temperature) {
        return new SensorReading(sensor, "p", ts, temperature, Double.NaN, Double.NaN, Double.NaN);
    }

    /** A final sensor window of {@code count} readings averaging {@code avg}, as the processor describes it. */
    private static String result(String sensor, long start, long count, double avg) {
        return "final " + sensor + " [" + start + ',' + (start + SIZE) + ") readings=" + count + " avgTemperature=" + avg;
    }

    private static String part(String place, long start, long count, double avg) {
        return "part " + place + " [" + start + ',' + (start + SIZE) + ") readings=" + count + " avgTemperature=" + avg;
    }

    private static String late(String sensor, long ts, long windowStart, long windowEnd, long watermark) {
        return "late " + sensor + " ts=" + ts + " window=[" + windowStart + ',' + windowEnd + ") watermark=" + watermark;
    }

    /** Expected items are descriptions or watermarks already; actual ones are described. */
    private static boolean sameDescriptions(List<?> expected, List<?> actual) {
        List<String> e = new ArrayList<>();
        for (Object item : expected) {
            e.add(item instanceof String s ? s : "[" + item + "]");
        }
        return e.equals(describe(actual));
    }

    @SuppressWarnings("unchecked")
    private static List<String> describe(List<?> items) {
        List<String> out = new ArrayList<>();
        for (Object item : items) {
            if (!(item instanceof JetEvent<?> e)) {
                out.add("[" + item + "]");
            } else if (e.payload() instanceof LateReading l) {
                out.add(late(l.sensorId(), l.reading().timestamp(), l.windowStart(),
                        l.windowEnd(), l.watermark()));
            } else if (e.payload() instanceof KeyedWindowResult<?, ?> w) {
                assertThat(e.timestamp()).isEqualTo(w.end() - 1);
                out.add((w.isEarly() ? "early " : "final ") + w.key() + " [" + w.start() + ',' + w.end() + ") "
                        + stats((StatsAccumulator) w.result()));
            } else if (e.payload() instanceof WindowPartial part) {
                out.add("part " + part.key() + " [" + part.windowStart() + ',' + (e.timestamp() + 1) + ") "
                        + stats(part.acc()));
            } else {
                out.add(String.valueOf(e.payload()));
            }
        }
        return out;
    }

    private static String stats(StatsAccumulator acc) {
        StatsAccumulator.Result r = acc.result();
        return "readings=" + r.readings() + " avgTemperature=" + r.byMeasure()[Measure.TEMPERATURE.ordinal()].avg();
    }
}
