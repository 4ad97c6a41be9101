package io.iotgrid.jobs;

import com.hazelcast.jet.aggregate.AggregateOperation;
import com.hazelcast.jet.aggregate.AggregateOperation1;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.StreamSerializer;
import io.iotgrid.core.Measure;
import io.iotgrid.core.MeasureStats;
import io.iotgrid.core.SensorReading;
import io.iotgrid.jobs.impl.RecordSerializers;

import java.io.IOException;

import java.util.Arrays;

/**
 * Running count, minimum, maximum and sum of every measure: the accumulator of {@link #aggregateOperation()},
 * which the aggregation job applies per sensor and per place. Arrays indexed by {@link Measure#ordinal()}
 * keep adding a reading free of allocation and boxing.
 * <p>
 * Between the two stages of a distributed aggregation and in snapshots it travels with its job-level
 * {@link Serializer} (see {@link JobSerializers}).
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

    /** The job-level serializer of the accumulator: version byte, readings, then the four arrays. */
    public static final class Serializer implements StreamSerializer<StatsAccumulator> {

        @Override
        public int getTypeId() {
            return JobSerializers.FIRST_TYPE_ID + 10;
        }

        @Override
        public void write(ObjectDataOutput out, StatsAccumulator acc) throws IOException {
            out.writeByte(RecordSerializers.VERSION);
            out.writeLong(acc.readings);
            out.writeLongArray(acc.counts);
            out.writeDoubleArray(acc.mins);
            out.writeDoubleArray(acc.maxs);
            out.writeDoubleArray(acc.sums);
        }

        @Override
        public StatsAccumulator read(ObjectDataInput in) throws IOException {
            RecordSerializers.readVersion(in, "StatsAccumulator");
            StatsAccumulator acc = new StatsAccumulator();
            acc.readings = in.readLong();
            acc.counts = in.readLongArray();
            acc.mins = in.readDoubleArray();
            acc.maxs = in.readDoubleArray();
            acc.sums = in.readDoubleArray();
            return acc;
        }
    }

    /** The job-level serializer of {@link Result}: version byte, readings, then each measure's stats. */
    public static final class ResultSerializer implements StreamSerializer<Result> {

        @Override
        public int getTypeId() {
            return JobSerializers.FIRST_TYPE_ID + 11;
        }

        @Override
        public void write(ObjectDataOutput out, Result result) throws IOException {
            out.writeByte(RecordSerializers.VERSION);
            out.writeLong(result.readings());
            out.writeInt(result.byMeasure().length);
            for (MeasureStats m : result.byMeasure()) {
                out.writeLong(m.count());
                RecordSerializers.writeNullable(out, m.min());
                RecordSerializers.writeNullable(out, m.max());
                RecordSerializers.writeNullable(out, m.avg());
            }
        }

        @Override
        public Result read(ObjectDataInput in) throws IOException {
            RecordSerializers.readVersion(in, "StatsAccumulator.Result");
            long readings = in.readLong();
            MeasureStats[] byMeasure = new MeasureStats[in.readInt()];
            for (int i = 0; i < byMeasure.length; i++) {
                byMeasure[i] = new MeasureStats(in.readLong(), RecordSerializers.readNullable(in),
                        RecordSerializers.readNullable(in), RecordSerializers.readNullable(in));
            }
            return new Result(readings, byMeasure);
        }
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
