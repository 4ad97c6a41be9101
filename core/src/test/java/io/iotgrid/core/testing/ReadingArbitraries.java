package io.iotgrid.core.testing;

import io.iotgrid.core.DeadLetter;
import io.iotgrid.core.Decoded;
import io.iotgrid.core.Measure;
import io.iotgrid.core.PlausibleRange;
import io.iotgrid.core.SensorReading;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** jqwik generators of readings, and the check every parse result must pass, for the property tests of parsers. */
public final class ReadingArbitraries {

    private ReadingArbitraries() {
    }

    /**
     * Valid readings: ids of letters, digits and {@code -_.:éü€} (no separator of the text format), a positive
     * timestamp up to {@link Long#MAX_VALUE}, each measure absent or any double of its default plausible range, at
     * least one present.
     */
    public static Arbitrary<SensorReading> validReadings() {
        Arbitrary<String> ids = Arbitraries.strings().alpha().numeric().withChars("-_.:éü€").ofMinLength(1)
                .ofMaxLength(12);
        Arbitrary<Long> timestamps = Arbitraries.longs().between(1, Long.MAX_VALUE);
        List<Arbitrary<Double>> measures = new ArrayList<>();
        for (Measure m : Measure.values()) {
            measures.add(plausible(m.defaultPlausibleRange()).injectNull(0.25).map(d -> d == null ? Double.NaN : d));
        }
        return Combinators.combine(ids, ids, timestamps, measures.get(0), measures.get(1), measures.get(2),
                        measures.get(3))
                .as(SensorReading::new)
                .filter(r -> r.has(Measure.TEMPERATURE) || r.has(Measure.HUMIDITY) || r.has(Measure.PRESSURE)
                        || r.has(Measure.LUMINOSITY));
    }

    /**
     * Any double of {@code range}: decimals, both bounds, and doubles picked by their bits, which reach every
     * exponent (tiny, subnormal, -0.0) and every last digit.
     */
    public static Arbitrary<Double> plausible(PlausibleRange range) {
        List<Arbitrary<Double>> choices = new ArrayList<>();
        choices.add(Arbitraries.doubles().between(range.min(), range.max()).ofScale(6));
        choices.add(Arbitraries.of(range.min(), range.max()));
        if (range.max() >= 0) {
            choices.add(byBits(Math.max(range.min(), 0), range.max()));
        }
        if (range.min() < 0) {
            choices.add(byBits(Math.max(-range.max(), 0), -range.min()).map(d -> -d));
        }
        return Arbitraries.oneOf(choices);
    }

    /**
     * Asserts that {@code d} is what a parser may give: a reading with non-blank ids whose measures are absent or
     * within their default plausible ranges (so finite), or a dead letter with a reason.
     */
    public static void assertWellFormed(Decoded d) {
        assertThat(d).isNotNull();
        if (d instanceof SensorReading r) {
            assertThat(r.sensorId()).isNotBlank();
            assertThat(r.placeId()).isNotBlank();
            for (Measure m : Measure.values()) {
                double v = r.value(m);
                assertThat(Double.isNaN(v) || m.defaultPlausibleRange().contains(v)).as("%s of %s", m, r).isTrue();
            }
        } else {
            assertThat(d).isInstanceOf(DeadLetter.class);
            assertThat(((DeadLetter) d).reason()).isNotBlank();
        }
    }

    /** Doubles from {@code from} to {@code to}, both at least 0: their bits are ordered as they are. */
    private static Arbitrary<Double> byBits(double from, double to) {
        return Arbitraries.longs().between(Double.doubleToLongBits(from), Double.doubleToLongBits(to))
                .map(Double::longBitsToDouble);
    }
}
