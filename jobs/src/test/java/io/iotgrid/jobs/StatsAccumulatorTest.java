package io.iotgrid.jobs;

import com.hazelcast.internal.nio.BufferObjectDataOutput;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import io.iotgrid.core.Measure;
import io.iotgrid.core.MeasureStats;
import io.iotgrid.core.SensorReading;
import io.iotgrid.core.Statistic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

class StatsAccumulatorTest {

    private static final InternalSerializationService SERIALIZATION = new DefaultSerializationServiceBuilder().build();

    @Test
    void when_snapshotHoldsVersion1Accumulator_then_restoreFailsSayingVersionsAndWhatToDo() throws IOException {
        // What the accumulator's serializer wrote before standard deviations: version 1, the readings, then count,
        // min, max and sum of each measure.
        BufferObjectDataOutput out = SERIALIZATION.createObjectDataOutput();
        out.writeByte(1);
        out.writeLong(2);
        double[] slots = new double[Measure.count() * 4];
        slots[0] = 2;
        slots[1] = 20;
        slots[2] = 22;
        slots[3] = 42;
        out.writeDoubleArray(slots);

        assertThatThrownBy(() -> new StatsAccumulator.Serializer().read(
                SERIALIZATION.createObjectDataInput(out.toByteArray())))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("saved in format version 1")
                .hasMessageContaining("this iot-grid reads versions 2 to " + StatsAccumulator.Serializer.FORMAT_VERSION)
                .hasMessageContaining("cancel the job and submit it anew")
                .hasMessageContaining("without the old snapshot");
    }

    /**
     * Random windows split at random points into up to four accumulators, combined the way Jet's second stage
     * does (into an empty one, then one by one), against a two-pass standard deviation of the raw values computed
     * exactly. The tolerance grows with the condition number (offset over spread): the running mean is accurate
     * to a rounding of the offset, which is small against a spread of 1 000 and not against a spread of 1. A sum
     * of squares would lose every digit at an offset of 1e9 (its square is 1e18, a double's unit there 128).
     */
    @ParameterizedTest(name = "offset {0}, spread {1}")
    @CsvSource({"20, 10, 1e-12", "0, 1e-3, 1e-12", "1e5, 0.01, 1e-8", "1e9, 1000, 1e-9", "1e9, 1, 1e-6"})
    void when_addedAndCombined_then_stddevMatchesTwoPassOfRawValues(double offset, double spread,
                                                                    double relativeTolerance) {
        Random random = new Random(12);
        for (int window = 0; window < 200; window++) {
            int n = 1 + random.nextInt(2_000);
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                values[i] = offset + random.nextGaussian() * spread;
            }
            List<StatsAccumulator> parts = new ArrayList<>();
            StatsAccumulator part = new StatsAccumulator();
            for (double v : values) {
                if (random.nextInt(n) < 3) {
                    parts.add(part);
                    part = new StatsAccumulator();
                }
                part.add(new SensorReading("s", "p", 1, v, Double.NaN, Double.NaN, Double.NaN));
            }
            parts.add(part);
            StatsAccumulator combined = new StatsAccumulator();
            parts.forEach(combined::combine);

            MeasureStats stats = combined.result().byMeasure()[Measure.TEMPERATURE.ordinal()];
            double expected = TwoPass.stddev(values);
            assertThat(stats.count()).isEqualTo(n);
            double actual = (Double) stats.value(Statistic.STDDEV);
            if (expected == 0) {
                assertThat(actual).isZero();
            } else {
                assertThat(actual).as("window %d of %d values in %d parts", window, n, parts.size())
                                  .isCloseTo(expected, withinPercentage(relativeTolerance * 100));
            }
        }
    }

    @Test
    void when_combinedWithEmptyOrAbsentMeasure_then_statsUnchangedAndAbsentMeasureNone() {
        StatsAccumulator acc = new StatsAccumulator();
        acc.add(new SensorReading("s", "p", 1, 20.0, Double.NaN, Double.NaN, Double.NaN));
        acc.add(new SensorReading("s", "p", 2, 23.0, Double.NaN, Double.NaN, Double.NaN));
        StatsAccumulator empty = new StatsAccumulator();
        StatsAccumulator combined = new StatsAccumulator();
        combined.combine(acc);
        combined.combine(empty);

        MeasureStats t = combined.result().byMeasure()[Measure.TEMPERATURE.ordinal()];
        assertThat(t).isEqualTo(acc.result().byMeasure()[Measure.TEMPERATURE.ordinal()]);
        assertThat(t.value(Statistic.STDDEV)).isEqualTo(1.5);
        assertThat(t.avg()).isEqualTo(21.5);
        assertThat(combined.result().byMeasure()[Measure.HUMIDITY.ordinal()]).isEqualTo(MeasureStats.NONE);
    }

    @Test
    void when_valuesNearDoubleMax_then_noStatisticOverflows() {
        double max = Double.MAX_VALUE;
        StatsAccumulator twoNearMax = accumulate(max, Math.nextDown(max));
        MeasureStats t = temperature(twoNearMax);
        assertThat(t.avg()).isBetween(Math.nextDown(max), max);
        assertThat((Double) t.value(Statistic.STDDEV)).isFinite().isLessThan(1e293);

        MeasureStats three = temperature(accumulate(max, max, max));
        assertThat(three.avg()).isEqualTo(max);
        assertThat(three.value(Statistic.STDDEV)).isEqualTo(0.0);

        MeasureStats opposite = temperature(accumulate(max, -max));
        assertThat(opposite.avg()).isEqualTo(0.0);
        assertThat(opposite.value(Statistic.STDDEV)).isEqualTo(max);
        assertThat(opposite.min()).isEqualTo(-max);
        assertThat(opposite.max()).isEqualTo(max);
    }

    @Test
    void when_hugeAndOrdinaryValuesMixedAcrossAccumulators_then_sameAsOneAccumulator() {
        double[] values = {20, 1e300, 22, -3e307, 1e-3, 5e307};
        StatsAccumulator plainThenHuge = accumulate(20, 22, 1e-3);
        plainThenHuge.combine(accumulate(1e300, -3e307, 5e307));
        StatsAccumulator hugeThenPlain = accumulate(1e300, -3e307, 5e307);
        hugeThenPlain.combine(accumulate(20, 22, 1e-3));

        for (StatsAccumulator acc : List.of(plainThenHuge, hugeThenPlain)) {
            MeasureStats t = temperature(acc);
            assertThat(t.count()).isEqualTo(values.length);
            assertThat(t.avg()).isCloseTo(TwoPass.mean(values), withinPercentage(1e-10));
            assertThat((Double) t.value(Statistic.STDDEV)).isCloseTo(TwoPass.stddev(values), withinPercentage(1e-10));
        }
    }

    @Test
    void when_wholeNumbers_then_averageExactAsBefore() {
        MeasureStats t = temperature(accumulate(21, 22, 22, 24));

        assertThat(t.avg()).isEqualTo(22.25);
        assertThat((Double) t.value(Statistic.STDDEV)).isCloseTo(TwoPass.stddev(21, 22, 22, 24),
                withinPercentage(1e-12));
    }

    @Test
    void when_scaledAccumulatorSerialized_then_restoredWithTheSameResult() throws IOException {
        StatsAccumulator acc = accumulate(1e308, -1e308, 3);
        BufferObjectDataOutput out = SERIALIZATION.createObjectDataOutput();
        new StatsAccumulator.Serializer().write(out, acc);

        StatsAccumulator back = new StatsAccumulator.Serializer().read(
                SERIALIZATION.createObjectDataInput(out.toByteArray()));

        assertThat(back.result().byMeasure()).isEqualTo(acc.result().byMeasure());
        assertThat(back.scaled).isEqualTo(acc.scaled).isNotZero();
    }

    @Test
    void when_snapshotHoldsVersion2Accumulator_then_restoredUnscaled() throws IOException {
        StatsAccumulator acc = accumulate(20, 23);
        BufferObjectDataOutput out = SERIALIZATION.createObjectDataOutput();
        out.writeByte(2);
        out.writeLong(acc.readings);
        out.writeDoubleArray(acc.stats);

        StatsAccumulator back = new StatsAccumulator.Serializer().read(
                SERIALIZATION.createObjectDataInput(out.toByteArray()));

        assertThat(back.result().byMeasure()).isEqualTo(acc.result().byMeasure());
        assertThat(temperature(back).avg()).isEqualTo(21.5);
    }

    private static StatsAccumulator accumulate(double... temperatures) {
        StatsAccumulator acc = new StatsAccumulator();
        for (double t : temperatures) {
            acc.add(new SensorReading("s", "p", 1, t, Double.NaN, Double.NaN, Double.NaN));
        }
        return acc;
    }

    private static MeasureStats temperature(StatsAccumulator acc) {
        return acc.result().byMeasure()[Measure.TEMPERATURE.ordinal()];
    }
}
