package io.iotgrid.core;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One change to a window's slot in its {@link HistoryBlock}, run on the block's owner (and backups) as an entry
 * processor under {@link #key()} in the history map of its {@link #tier()}: {@link #replace} puts a window's final
 * result (or a rolled-up hour or day) in its slot, {@link #revise} merges a revision (e.g. one late reading, as a
 * window of its own) into the slot, creating the slot, and the block, when there is none.
 * <p>
 * <b>Retention:</b> each change sets the block's time to live to the tier's retention, counted on the member's
 * clock from the write: a block leaves the grid once its newest window has been there for the retention (a window
 * is written when it closes, so for a live stream that is about the retention after the block's end), and no window
 * leaves before it has been kept that long. The time to live sits in the entry's record: no extra state per window
 * and no periodic scan, unlike a removal task, and no reset on reads, unlike max-idle. Counting from the window's
 * event time instead would make a replay of older data expire at once.
 * <p>
 * <b>Delivery:</b> a replacement is idempotent (the same window written twice gives the same block), a revision is
 * not: a revision sent again after a job restore is merged again.
 * <p>
 * A member runs it from its own classpath, never from a job's jar: members of the distribution need the core jar in
 * their {@code lib/} (or on {@code CLASSPATH}).
 */
public final class HistoryUpdate implements EntryProcessor<String, HistoryBlock, Void>, DataSerializable {

    private static final Measure[] MEASURES = Measure.values();

    private HistoryTier tier;
    private WindowStats window;
    private boolean revision;
    private long ttlMillis;

    /** For deserialization only. */
    public HistoryUpdate() {
    }

    private HistoryUpdate(HistoryTier tier, WindowStats window, boolean revision, Duration retention) {
        this.tier = tier;
        this.window = window;
        this.revision = revision;
        this.ttlMillis = retention.toMillis();
        if (ttlMillis <= 0) {
            throw new IllegalArgumentException("the retention of a kept tier is positive, was " + retention);
        }
    }

    /**
     * Puts {@code window}, a final result of {@code tier}, in its slot, replacing what was there.
     *
     * @param retention the tier's retention, positive
     */
    public static HistoryUpdate replace(HistoryTier tier, WindowStats window, Duration retention) {
        return new HistoryUpdate(tier, window, false, retention);
    }

    /**
     * Merges {@code revision}, statistics of readings the slot's window has not counted (e.g. a late reading:
     * count 1, its value as min, max and average, stddev 0), into its slot, or puts it there when the slot is empty.
     * See {@link #merge} for the arithmetic.
     *
     * @param retention the tier's retention, positive
     */
    public static HistoryUpdate revise(HistoryTier tier, WindowStats revision, Duration retention) {
        return new HistoryUpdate(tier, revision, true, retention);
    }

    /** The tier whose history map this update goes to. */
    public HistoryTier tier() {
        return tier;
    }

    /** The key of the block it changes: {@link HistoryTier#key HistoryTier.key(id, blockStart)}. */
    public String key() {
        return HistoryTier.key(window.id(), HistoryBlock.blockStart(tier, window.windowStart()));
    }

    /** The window it puts or merges in. */
    public WindowStats window() {
        return window;
    }

    /** Whether it merges ({@link #revise}) rather than replaces. */
    public boolean revision() {
        return revision;
    }

    @Override
    public Void process(Map.Entry<String, HistoryBlock> entry) {
        HistoryBlock block = entry.getValue();
        WindowStats slot = window;
        if (revision && block != null) {
            WindowStats old = block.window(window.windowStart());
            slot = old == null ? window : merge(old, window);
        }
        HistoryBlock updated = block == null
                ? HistoryBlock.of(window.id(), HistoryBlock.blockStart(tier, window.windowStart()), List.of(slot))
                : block.with(slot);
        ((ExtendedMapEntry<String, HistoryBlock>) entry).setValue(updated, ttlMillis, TimeUnit.MILLISECONDS);
        return null;
    }

    /**
     * The statistics of the readings of {@code a} and of {@code b} together, two sets of readings of the same window:
     * counts add up, min and max of both, the average and the population standard deviation by Chan et al.'s
     * pairwise formulas, with each side's sum of squared deviations taken as {@code stddev² × count}. Exact for
     * counts, min and max; the average and stddev are within a few ulps of a computation over all readings (the
     * square and square root of the stored stddev round twice), relative errors about 1e-15 per merge.
     *
     * @throws IllegalArgumentException when the two are not the same id and window
     */
    public static WindowStats merge(WindowStats a, WindowStats b) {
        if (!a.id().equals(b.id()) || a.windowStart() != b.windowStart() || a.windowEnd() != b.windowEnd()) {
            throw new IllegalArgumentException("cannot merge " + a.id() + '@' + a.windowStart() + ".." + a.windowEnd()
                    + " with " + b.id() + '@' + b.windowStart() + ".." + b.windowEnd());
        }
        MeasureStats[] byMeasure = new MeasureStats[MEASURES.length];
        for (Measure m : MEASURES) {
            MeasureStats x = a.stats(m);
            MeasureStats y = b.stats(m);
            if (y.count() == 0 || x.count() == 0) {
                byMeasure[m.ordinal()] = y.count() == 0 ? x : y;
                continue;
            }
            long n = x.count() + y.count();
            double delta = y.avg() - x.avg();
            double avg = x.avg() + delta * y.count() / n;
            double sx = stddev(x);
            double sy = stddev(y);
            double m2 = sx * sx * x.count() + sy * sy * y.count() + delta * delta * x.count() * y.count() / n;
            byMeasure[m.ordinal()] = statistics(n, Math.min(x.min(), y.min()), Math.max(x.max(), y.max()), avg,
                    Math.sqrt(m2 / n));
        }
        return WindowStats.of(a.id(), a.windowStart(), a.windowEnd(), false, a.count() + b.count(), byMeasure);
    }

    /**
     * A revision of one reading: {@code reading} as the statistics of the window {@code [windowStart, windowEnd)} of
     * {@code id} (count 1; each measure it carries, i.e. not NaN, with its value as min, max and average, stddev 0).
     */
    public static WindowStats oneReading(String id, long windowStart, long windowEnd, SensorReading reading) {
        MeasureStats[] byMeasure = new MeasureStats[MEASURES.length];
        for (Measure m : MEASURES) {
            double v = reading.value(m);
            byMeasure[m.ordinal()] = Double.isNaN(v) ? MeasureStats.NONE : statistics(1, v, v, v, 0.0);
        }
        return WindowStats.of(id, windowStart, windowEnd, false, 1, byMeasure);
    }

    private static double stddev(MeasureStats s) {
        return (Double) s.value(Statistic.STDDEV);
    }

    private static MeasureStats statistics(long count, double min, double max, double avg, double stddev) {
        Object[] values = new Object[Statistic.count()];
        values[Statistic.COUNT.ordinal()] = count;
        values[Statistic.MIN.ordinal()] = min;
        values[Statistic.MAX.ordinal()] = max;
        values[Statistic.AVG.ordinal()] = avg;
        values[Statistic.STDDEV.ordinal()] = stddev;
        return MeasureStats.of(values);
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeByte(tier.ordinal());
        out.writeBoolean(revision);
        out.writeLong(ttlMillis);
        // The window as a block of one, not as a WindowStats object: a member of the distribution would resolve
        // WindowStats' Compact type name to whichever class loader saw it first (a job's or its own), and an entry
        // processor from its own classpath must not meet a job's class.
        HistoryBlock one = HistoryBlock.of(window.id(), HistoryBlock.blockStart(tier, window.windowStart()),
                List.of(window));
        out.writeString(one.id());
        out.writeLong(one.blockStart());
        out.writeIntArray(one.windowOffsets());
        out.writeIntArray(one.windowLengths());
        out.writeLongArray(one.counts());
        out.writeDoubleArray(one.values());
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        tier = HistoryTier.values()[in.readByte()];
        revision = in.readBoolean();
        ttlMillis = in.readLong();
        window = new HistoryBlock(in.readString(), in.readLong(), in.readIntArray(), in.readIntArray(),
                in.readLongArray(), in.readDoubleArray()).windows().get(0);
    }

    @Override
    public String toString() {
        return (revision ? "revise " : "replace ") + tier.label() + ' ' + window.id() + '@' + window.windowStart();
    }
}
