package io.iotgrid.jobs.impl;

import com.hazelcast.jet.core.Watermark;
import com.hazelcast.jet.core.test.TestSupport;
import com.hazelcast.jet.impl.JetEvent;
import io.iotgrid.core.LateReading;
import io.iotgrid.core.SensorReading;
import io.iotgrid.jobs.AggregationSettings.Duplicates;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static com.hazelcast.jet.impl.JetEvent.jetEvent;

/**
 * The processor alone under {@link TestSupport}, which also saves and restores it between items (so the remembered
 * readings and the watermark must survive a snapshot) and offers each item again while the outbox is full.
 */
class LateAndDuplicatesPTest {

    @Test
    void when_windowClosed_then_readingBecomesLateReadingWithItsWindowAndLateness() {
        TestSupport.verifyProcessor(() -> new LateAndDuplicatesP(1_000, Duplicates.VALUES, 100))
                .input(List.of(
                        event("a", 100, 20),
                        new Watermark(1_000),
                        event("a", 999, 21),
                        event("a", 1_000, 22),
                        new Watermark(2_500),
                        event("b", 1_999, 23)))
                .disableProgressAssertion()
                .outputChecker(LateAndDuplicatesPTest::sameDescriptions)
                .expectOutput(List.of(
                        event("a", 100, 20),
                        new Watermark(1_000),
                        late("a", 999, 21, 0, 1_000, 1_000),
                        event("a", 1_000, 22),
                        new Watermark(2_500),
                        late("b", 1_999, 23, 1_000, 2_000, 2_500)));
    }

    @Test
    void when_sameReadingAgainInOpenWindow_then_countedOnceAndOtherValuesStillCount() {
        TestSupport.verifyProcessor(() -> new LateAndDuplicatesP(1_000, Duplicates.VALUES, 100))
                .input(List.of(
                        event("a", 100, 20), event("a", 100, 20), event("b", 100, 20), event("a", 100, 21),
                        new Watermark(500),
                        event("a", 100, 20), event("a", 1_100, 20), event("a", 1_100, 20)))
                .disableProgressAssertion()
                .outputChecker(LateAndDuplicatesPTest::sameDescriptions)
                .expectOutput(List.of(
                        event("a", 100, 20), event("b", 100, 20), event("a", 100, 21),
                        new Watermark(500),
                        event("a", 1_100, 20)));
    }

    @Test
    void when_matchingOnTimestamp_then_otherValuesAtTheSameTimeAreDuplicates() {
        TestSupport.verifyProcessor(() -> new LateAndDuplicatesP(1_000, Duplicates.TIMESTAMP, 100))
                .input(List.of(event("a", 100, 20), event("a", 100, 21), event("a", 101, 21)))
                .disableProgressAssertion()
                .outputChecker(LateAndDuplicatesPTest::sameDescriptions)
                .expectOutput(List.of(event("a", 100, 20), event("a", 101, 21)));
    }

    @Test
    void when_off_then_everyReadingCountsButLateOnesStillKept() {
        TestSupport.verifyProcessor(() -> new LateAndDuplicatesP(1_000, Duplicates.OFF, 100))
                .input(List.of(event("a", 100, 20), event("a", 100, 20), new Watermark(1_000), event("a", 100, 20)))
                .disableProgressAssertion()
                .outputChecker(LateAndDuplicatesPTest::sameDescriptions)
                .expectOutput(List.of(event("a", 100, 20), event("a", 100, 20), new Watermark(1_000),
                        late("a", 100, 20, 0, 1_000, 1_000)));
    }

    @Test
    void when_windowClosesAndReopensLater_then_repeatOfItsReadingIsLateNotCountedAgain() {
        // The remembered readings of a closed window are freed: a repeat after the close is late, kept as such.
        TestSupport.verifyProcessor(() -> new LateAndDuplicatesP(1_000, Duplicates.VALUES, 100))
                .input(List.of(event("a", 100, 20), new Watermark(1_000), event("a", 100, 20)))
                .disableProgressAssertion()
                .outputChecker(LateAndDuplicatesPTest::sameDescriptions)
                .expectOutput(List.of(event("a", 100, 20), new Watermark(1_000), late("a", 100, 20, 0, 1_000, 1_000)));
    }

    @Test
    void when_sensorReachesTheCap_then_furtherReadingsPassUnchecked() {
        TestSupport.verifyProcessor(() -> new LateAndDuplicatesP(1_000, Duplicates.VALUES, 2))
                .input(List.of(event("a", 1, 1), event("a", 2, 2), event("a", 3, 3), event("a", 3, 3),
                        event("a", 1, 1), event("b", 1, 1), event("b", 1, 1)))
                .disableProgressAssertion()
                .outputChecker(LateAndDuplicatesPTest::sameDescriptions)
                .expectOutput(List.of(event("a", 1, 1), event("a", 2, 2), event("a", 3, 3), event("a", 3, 3),
                        event("b", 1, 1)));
    }

    private static JetEvent<SensorReading> event(String sensor, long ts, double temperature) {
        return jetEvent(ts, reading(sensor, ts, temperature));
    }

    private static SensorReading reading(String sensor, long ts, double temperature) {
        return new SensorReading(sensor, "p", ts, temperature, Double.NaN, Double.NaN, Double.NaN);
    }

    private static JetEvent<LateReading> late(String sensor, long ts, double temperature, long windowStart,
                                              long windowEnd, long watermark) {
        // The time it was found late is the member's clock: the checker below leaves it out.
        return jetEvent(ts, LateReading.of(reading(sensor, ts, temperature), windowStart, windowEnd, watermark, 0));
    }

    private static boolean sameDescriptions(List<?> expected, List<?> actual) {
        return describe(expected).equals(describe(actual));
    }

    private static List<String> describe(List<?> items) {
        List<String> out = new ArrayList<>();
        for (Object item : items) {
            if (item instanceof JetEvent<?> e && e.payload() instanceof LateReading l) {
                out.add("ts=" + e.timestamp() + " late " + l.reading() + " window=[" + l.windowStart() + ','
                        + l.windowEnd() + ") watermark=" + l.watermark() + " lateBy=" + l.lateBy());
            } else {
                out.add(String.valueOf(item));
            }
        }
        return out;
    }
}
