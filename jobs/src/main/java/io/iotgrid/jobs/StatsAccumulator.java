package io.iotgrid.jobs;

import com.hazelcast.jet.aggregate.AggregateOperation;
import com.hazelcast.jet.aggregate.AggregateOperation1;
import io.iotgrid.core.Measure;
import io.iotgrid.core.MeasureStats;
import io.iotgrid.core.SensorReading;

import java.util.Arrays;

/**
 * Running count, minimum, maximum and sum of every measure: the accumulator of {@link #aggregateOperation()},
 * which the aggregation job applies per sensor and per place. Arrays indexed by {@link Measure#ordinal()}
 * keep adding a reading free of allocation and boxing.
 * <p>
 * Public with a no-argument constructor and plain fields so Hazelcast's zero-config Compact serialization can
 * carry it between the two stages of a distributed aggregation and into snapshots.
 */
public final class StatsAccumulator {

    long readings;
    long[] counts = new long[Measure.count()];
    double[] mins = filled(Double.POSITIVE_INFINITY);
    double[] maxs = filled(Double.NEGATIVE_INFINITY);
    double[] sums = new double[Measure.count()];

    /** An empty accumulator. */
    public StatsAccumulator() {
    }

    /** Count, min, max and average of each measure, per sensor or place, with averages as doubles. */
    public static AggregateOperation1<SensorReading, StatsAccumulator, Result> aggregateOperation() {
        return AggregateOperation
                .withCreate(StatsAccumulator::new)
                .<SensorReading>andAccumulate(StatsAccumulator::add)
                .andCombine(StatsAccumulator::combine)
                .andExportFinish(StatsAccumulator::result);
    }

    /** Adds one reading. */
    public void add(SensorReading r) {
        readings++;
        add(Measure.TEMPERATURE.ordinal(), r.temperature());
        add(Measure.HUMIDITY.ordinal(), r.humidity());
        add(Measure.PRESSURE.ordinal(), r.pressure());
        add(Measure.LUMINOSITY.ordinal(), r.luminosity());
    }

    /** Adds everything {@code other} has seen. */
    public void combine(StatsAccumulator other) {
        readings += other.readings;
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
            mins[i] = Math.min(mins[i], other.mins[i]);
            maxs[i] = Math.max(maxs[i], other.maxs[i]);
            sums[i] += other.sums[i];
        }
    }

    /** Number of readings added. */
    public long readings() {
        return readings;
    }

    /** The statistics so far, a copy that later additions leave unchanged. */
    public Result result() {
        MeasureStats[] result = new MeasureStats[counts.length];
        for (int i = 0; i < counts.length; i++) {
            long n = counts[i];
            result[i] = n == 0 ? MeasureStats.NONE : new MeasureStats(n, mins[i], maxs[i], sums[i] / n);
        }
        return new Result(readings, result);
    }

    /**
     * What {@link #aggregateOperation()} gives for a window.
     *
     * @param readings  readings in the window
     * @param byMeasure statistics of each measure, indexed by {@link Measure#ordinal()}
     */
    public record Result(long readings, MeasureStats[] byMeasure) {
    }

    private void add(int measure, double value) {
        if (Double.isNaN(value)) {
            return;
        }
        counts[measure]++;
        sums[measure] += value;
        if (value < mins[measure]) {
            mins[measure] = value;
        }
        if (value > maxs[measure]) {
            maxs[measure] = value;
        }
    }

    private static double[] filled(double value) {
        double[] a = new double[Measure.count()];
        Arrays.fill(a, value);
        return a;
    }
}
