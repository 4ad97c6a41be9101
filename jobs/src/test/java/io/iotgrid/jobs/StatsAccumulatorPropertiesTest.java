package io.iotgrid.jobs;

import io.iotgrid.core.Measure;
import io.iotgrid.core.MeasureStats;
import io.iotgrid.core.SensorReading;
import io.iotgrid.core.Statistic;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever finite values of whatever magnitude a window gets, however they are split over accumulators, its
 * statistics are finite and consistent: the average between minimum and maximum, the standard deviation at most half
 * the range.
 */
class StatsAccumulatorPropertiesTest {

    @Property
    void finiteValues_giveFiniteConsistentStatistics(@ForAll("windows") List<Double> values,
                                                     @ForAll @IntRange(min = 1, max = 4) int parts) {
        StatsAccumulator[] accs = new StatsAccumulator[parts];
        for (int i = 0; i < parts; i++) {
            accs[i] = new StatsAccumulator();
        }
        for (int i = 0; i < values.size(); i++) {
            accs[i % parts].add(new SensorReading("s", "p", 1, values.get(i), Double.NaN, Double.NaN, Double.NaN));
        }
        StatsAccumulator all = new StatsAccumulator();
        for (StatsAccumulator acc : accs) {
            all.combine(acc);
        }

        MeasureStats t = all.result().byMeasure()[Measure.TEMPERATURE.ordinal()];
        assertThat(t.count()).isEqualTo(values.size());
        double min = t.min();
        double max = t.max();
        double stddev = (Double) t.value(Statistic.STDDEV);
        assertThat(min).isEqualTo(values.stream().mapToDouble(Double::doubleValue).min().orElseThrow());
        assertThat(max).isEqualTo(values.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
        assertThat(t.avg()).isFinite().isBetween(min, max);
        assertThat(stddev).isFinite().isBetween(0.0, max / 2 - min / 2);
    }

    /** Windows of 1 to 50 finite doubles of any exponent, both signs, the extremes included. */
    @Provide
    Arbitrary<List<Double>> windows() {
        Arbitrary<Double> anyFinite = Arbitraries.longs().map(Double::longBitsToDouble).filter(Double::isFinite);
        Arbitrary<Double> extremes = Arbitraries.of(Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, 0.0,
                0x1p480, -0x1p480, Math.nextUp(0x1p480));
        Arbitrary<Double> ordinary = Arbitraries.doubles().between(-100, 1100);
        return Arbitraries.frequencyOf(Tuple.of(3, anyFinite), Tuple.of(1, extremes), Tuple.of(2, ordinary))
                .list().ofMinSize(1).ofMaxSize(50);
    }
}
