package io.iotgrid.jobs;

import com.hazelcast.jet.aggregate.AggregateOperation;
import com.hazelcast.jet.aggregate.AggregateOperation1;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.StreamSerializer;
import io.iotgrid.core.Measure;
import io.iotgrid.core.MeasureStats;
import io.iotgrid.core.SensorReading;
import io.iotgrid.core.Statistic;
import io.iotgrid.jobs.impl.RecordSerializers;

import java.io.IOException;

/**
 * Running count, minimum, maximum, sum, mean and sum of squared deviations from the mean (M2) of every measure:
 * the accumulator of {@link #aggregateOperation()}, which the aggregation job applies per sensor and per place.
 * One array of primitives, indexed by {@link Measure#ordinal()}, keeps adding a reading free of allocation and
 * boxing.
 * <p>
 * The average is the sum over the count, so that whole numbers average exactly whatever the order readings come
 * and accumulators combine in. The standard deviation comes from the mean and M2, which Welford's update keeps
 * per reading and Chan et al.'s pairwise formula combines across accumulators: unlike a sum of squares, they
 * stay accurate when the values are large and their spread small (e.g. pressures in Pa).
 * <p>
 * No statistic overflows while the values are finite. A measure's sum, mean and M2 are kept as they are while its
 * values stay within ±2<sup>480</sup> (far beyond any sensor's: the parser's plausible
 * ranges keep readings well inside), where neither a sum nor an M2 of 2<sup>53</sup> values can overflow. From the
 * first value beyond, they are kept scaled by 2<sup>-600</sup> (M2 by its square), where none
 * can overflow either, and the result is scaled back: two readings near {@link Double#MAX_VALUE} average to it, not
 * to infinity. Average and standard deviation are kept within what the minimum and maximum allow, which rounding in
 * the scaled form could otherwise pass by a unit in the last place.
 * <p>
 * Between the two stages of a distributed aggregation and in snapshots it travels with its job-level
 * {@link Serializer} (see {@link JobSerializers}).
 */
public final class StatsAccumulator {

    /** Slots of one measure in {@link #stats}, which holds {@value #SLOTS} per measure in ordinal order. */
    private static final int COUNT = 0;
    private static final int MIN = 1;
    private static final int MAX = 2;
    private static final int SUM = 3;
    private static final int MEAN = 4;
    private static final int M2 = 5;
    private static final int SLOTS = 6;

    /** Beyond ±2^this, a measure's sum, mean and M2 are kept scaled: 2^53 values squared could overflow. */
    static final int PLAIN_LIMIT_EXPONENT = 480;
    private static final double PLAIN_LIMIT = Math.scalb(1.0, PLAIN_LIMIT_EXPONENT);
    /** What scaled values are multiplied by, as a power of two: 2^1024 (beyond any double) becomes 2^424. */
    static final int SCALED_EXPONENT = -600;

    private static final Measure[] MEASURES = Measure.values();
    private static final Statistic[] STATISTICS = Statistic.values();

    long readings;
    /** Bit {@code 1 << ordinal} set when the measure's sum, mean and M2 are kept scaled by 2^SCALED_EXPONENT. */
    int scaled;
    /**
     * The slots of each measure in one array: one object instead of an array per slot saves bytes per open window
     * and key (MemoryBenchmark). Counts are exact as doubles up to 2^53.
     */
    final double[] stats = new double[Measure.count() * SLOTS];

    /** An empty accumulator. */
    public StatsAccumulator() {
        for (int m = 0; m < Measure.count(); m++) {
            stats[m * SLOTS + MIN] = Double.POSITIVE_INFINITY;
            stats[m * SLOTS + MAX] = Double.NEGATIVE_INFINITY;
        }
    }

    /** Every {@link Statistic} of each measure, per sensor or place. */
    public static AggregateOperation1<SensorReading, StatsAccumulator, Result> aggregateOperation() {
        return AggregateOperation
                .withCreate(StatsAccumulator::new)
                .<SensorReading>andAccumulate(StatsAccumulator::add)
                .andCombine(StatsAccumulator::combine)
                .andExportFinish(StatsAccumulator::result);
    }

    /**
     * The accumulators themselves as a window's result, so that windows can be merged into longer ones exactly
     * ({@link #combine}: hours and days of history from closed windows): export copies, so an early result stays
     * as it was while its window fills on.
     */
    public static AggregateOperation1<SensorReading, StatsAccumulator, StatsAccumulator> accumulating() {
        return AggregateOperation
                .withCreate(StatsAccumulator::new)
                .<SensorReading>andAccumulate(StatsAccumulator::add)
                .andCombine(StatsAccumulator::combine)
                .andExport(StatsAccumulator::copy)
                .andFinish(acc -> acc);
    }

    /** A copy, which later additions to this accumulator leave unchanged. */
    public StatsAccumulator copy() {
        StatsAccumulator copy = new StatsAccumulator();
        copy.readings = readings;
        System.arraycopy(stats, 0, copy.stats, 0, stats.length);
        return copy;
    }

    /** Adds one reading. */
    public void add(SensorReading r) {
        readings++;
        for (Measure m : MEASURES) {
            add(m.ordinal(), r.value(m));
        }
    }

    /** Adds everything {@code other} has seen. */
    public void combine(StatsAccumulator other) {
        readings += other.readings;
        for (int m = 0; m < MEASURES.length; m++) {
            int i = m * SLOTS;
            double n1 = stats[i + COUNT];
            double n2 = other.stats[i + COUNT];
            if (n2 == 0) {
                continue;
            }
            int bit = 1 << m;
            if (n1 == 0) {
                // Exactly the other's state: the formula below would round its mean.
                System.arraycopy(other.stats, i, stats, i, SLOTS);
                scaled = (scaled & ~bit) | (other.scaled & bit);
                continue;
            }
            if ((other.scaled & bit) != 0 && (scaled & bit) == 0) {
                scale(m);
            }
            // The other's slots in this one's units; the other is left as it is.
            int by = (scaled & bit) != (other.scaled & bit) ? SCALED_EXPONENT : 0;
            double otherSum = Math.scalb(other.stats[i + SUM], by);
            double otherMean = Math.scalb(other.stats[i + MEAN], by);
            double otherM2 = Math.scalb(other.stats[i + M2], 2 * by);
            double n = n1 + n2;
            double delta = otherMean - stats[i + MEAN];
            stats[i + COUNT] = n;
            stats[i + MIN] = Math.min(stats[i + MIN], other.stats[i + MIN]);
            stats[i + MAX] = Math.max(stats[i + MAX], other.stats[i + MAX]);
            stats[i + SUM] += otherSum;
            stats[i + MEAN] += delta * (n2 / n);
            stats[i + M2] += otherM2 + delta * delta * (n1 * n2 / n);
        }
    }

    /** Number of readings added. */
    public long readings() {
        return readings;
    }

    /** The statistics so far, a copy that later additions leave unchanged. */
    public Result result() {
        MeasureStats[] result = new MeasureStats[MEASURES.length];
        for (int m = 0; m < result.length; m++) {
            int i = m * SLOTS;
            long n = (long) stats[i + COUNT];
            if (n == 0) {
                result[m] = MeasureStats.NONE;
                continue;
            }
            Object[] values = new Object[STATISTICS.length];
            int unscale = (scaled & (1 << m)) != 0 ? -SCALED_EXPONENT : 0;
            for (Statistic s : STATISTICS) {
                values[s.ordinal()] = value(s, i, n, unscale);
            }
            result[m] = MeasureStats.of(values);
        }
        return new Result(readings, result);
    }

    /**
     * How each statistic comes out of a measure's slots from {@code i}, {@code n > 0} readings having carried it,
     * sum, mean and M2 scaled by 2^-{@code unscale}.
     */
    private Object value(Statistic statistic, int i, long n, int unscale) {
        double min = stats[i + MIN];
        double max = stats[i + MAX];
        return switch (statistic) {
            case COUNT -> n;
            case MIN -> min;
            case MAX -> max;
            // The bounds only ever bite on a rounding in the scaled form: an exact average is within them.
            case AVG -> Math.min(max, Math.max(min, Math.scalb(stats[i + SUM] / n, unscale)));
            // Population standard deviation: the window holds all the readings there are of it. It is at most half
            // the range (Popoviciu), which halving each bound computes without overflow.
            case STDDEV -> Math.min(max / 2 - min / 2, Math.scalb(Math.sqrt(stats[i + M2] / n), unscale));
        };
    }

    /**
     * What {@link #aggregateOperation()} gives for a window.
     *
     * @param readings  readings in the window
     * @param byMeasure statistics of each measure, indexed by {@link Measure#ordinal()}
     */
    public record Result(long readings, MeasureStats[] byMeasure) {
    }

    /**
     * The job-level serializer of the accumulator: format version byte, readings, the scaled measures' bits (since
     * version 3), then the slots of each measure. The accumulator sits in snapshots, so its form has a version of
     * its own: 1 held count, min, max and sum per measure; 2, since standard deviations, count, min, max, sum, mean
     * and M2; 3 adds which measures are scaled. Version 2 is read as unscaled throughout, which it was; version 1
     * is refused with what to do: a window's M2 cannot be rebuilt from what it kept.
     */
    public static final class Serializer implements StreamSerializer<StatsAccumulator> {

        /** The format this code writes. */
        static final byte FORMAT_VERSION = 3;
        /** The oldest format this code reads. */
        static final byte OLDEST_READ = 2;

        @Override
        public int getTypeId() {
            return JobSerializers.FIRST_TYPE_ID + 10;
        }

        @Override
        public void write(ObjectDataOutput out, StatsAccumulator acc) throws IOException {
            out.writeByte(FORMAT_VERSION);
            out.writeLong(acc.readings);
            out.writeInt(acc.scaled);
            out.writeDoubleArray(acc.stats);
        }

        @Override
        public StatsAccumulator read(ObjectDataInput in) throws IOException {
            byte version = in.readByte();
            if (version < OLDEST_READ || version > FORMAT_VERSION) {
                throw new IOException("cannot restore window state (StatsAccumulator) saved in format version "
                        + version + ": this iot-grid reads versions " + OLDEST_READ + " to " + FORMAT_VERSION
                        + ". The snapshot was written "
                        + "by another iot-grid version; cancel the job and submit it anew, so that it starts without "
                        + "the old snapshot (the windows open in it are lost)");
            }
            StatsAccumulator acc = new StatsAccumulator();
            acc.readings = in.readLong();
            acc.scaled = version >= 3 ? in.readInt() : 0;
            double[] stats = in.readDoubleArray();
            if (stats.length != acc.stats.length) {
                throw new IOException("StatsAccumulator has " + acc.stats.length + " statistics, the data "
                        + stats.length);
            }
            System.arraycopy(stats, 0, acc.stats, 0, stats.length);
            return acc;
        }
    }

    /** The job-level serializer of {@link Result}: version byte, readings, then each measure's statistics. */
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
                RecordSerializers.writeMeasureStats(out, m);
            }
        }

        @Override
        public Result read(ObjectDataInput in) throws IOException {
            RecordSerializers.readVersion(in, "StatsAccumulator.Result");
            long readings = in.readLong();
            MeasureStats[] byMeasure = new MeasureStats[in.readInt()];
            for (int i = 0; i < byMeasure.length; i++) {
                byMeasure[i] = RecordSerializers.readMeasureStats(in);
            }
            return new Result(readings, byMeasure);
        }
    }

    private void add(int measure, double value) {
        if (Double.isNaN(value)) {
            return;
        }
        int i = measure * SLOTS;
        boolean isScaled = (scaled & (1 << measure)) != 0;
        if (!isScaled && Math.abs(value) > PLAIN_LIMIT) {
            scale(measure);
            isScaled = true;
        }
        double v = isScaled ? Math.scalb(value, SCALED_EXPONENT) : value;
        double n = ++stats[i + COUNT];
        stats[i + SUM] += v;
        double delta = v - stats[i + MEAN];
        stats[i + MEAN] += delta / n;
        stats[i + M2] += delta * (v - stats[i + MEAN]);
        if (value < stats[i + MIN]) {
            stats[i + MIN] = value;
        }
        if (value > stats[i + MAX]) {
            stats[i + MAX] = value;
        }
    }

    /**
     * Switches {@code measure}'s sum, mean and M2 to the scaled form. An M2 small enough to vanish doing so is below
     * a unit in the last place of what the value that made the switch adds to it.
     */
    private void scale(int measure) {
        int i = measure * SLOTS;
        stats[i + SUM] = Math.scalb(stats[i + SUM], SCALED_EXPONENT);
        stats[i + MEAN] = Math.scalb(stats[i + MEAN], SCALED_EXPONENT);
        stats[i + M2] = Math.scalb(stats[i + M2], 2 * SCALED_EXPONENT);
        scaled |= 1 << measure;
    }
}
