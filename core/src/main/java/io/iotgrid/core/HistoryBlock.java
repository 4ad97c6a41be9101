package io.iotgrid.core;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The closed windows of one sensor or place in one block of a {@link HistoryTier}, packed: the value type of the
 * history maps ({@code sensor_stats_history}, {@code ..._history_hour}, {@code ..._history_day}), one entry per
 * id and block under {@link HistoryTier#key HistoryTier.key(id, blockStart)}. A block holds the windows that start
 * in it ({@link #blockStart(HistoryTier, long)}): a UTC hour of windows (e.g. 60 minutes), a UTC day of hours, a UTC
 * calendar month of days.
 * <p>
 * Why packed: an IMap entry costs about 320 bytes of its own (record, key, index entry) beside its value, more than a
 * window's statistics; a block spreads that over its windows, and stores their statistics in primitive arrays
 * instead of a {@link WindowStats} of boxed nullable fields each. Per window it keeps the start and the length (as
 * unsigned 32-bit offsets from the block start: a month is below 2<sup>32</sup> ms), the count and each
 * {@link Measure}'s count, and the {@code Double} statistics ({@link Statistic#MIN}, {@link Statistic#MAX},
 * {@link Statistic#AVG}, {@link Statistic#STDDEV}) of each measure some reading carried; a measure no reading carried
 * has null statistics in a {@link WindowStats} and takes no room here. So a minute of a sensor reporting all four
 * measures takes 176 bytes of arrays.
 * <p>
 * {@link #windows()} gives back exactly the {@link WindowStats} that went in, every component bit for bit.
 * Immutable; {@link #with(WindowStats)} makes a changed copy. Hazelcast stores it with Compact serialization: the
 * schema is the zero-config one of this class's fields, which {@link HistoryBlockSerializer} writes without
 * reflection ({@link GridConfigs} registers it), so members and clients with or without it read each other's blocks.
 * A further per-window component goes in as one more array (a nullable {@code Integer} as an {@code int[]} with a
 * value no window can have for null): {@link #encode}, {@link #decode} and the serializer.
 */
public final class HistoryBlock {

    private static final Measure[] MEASURES = Measure.values();
    /** The statistics of a measure other than its count: {@code Double}s, all null or none. */
    private static final Statistic[] DOUBLES = Arrays.stream(Statistic.values())
                                                     .filter(s -> s.type() == Double.class).toArray(Statistic[]::new);
    /** Counts per window: the window's, then each measure's. */
    static final int COUNTS = 1 + MEASURES.length;
    private static final long UNSIGNED_INT = 0xFFFF_FFFFL;
    private static final long HOUR = 3_600_000;
    private static final long DAY = 86_400_000;

    // Field names and types are the Compact schema (HistoryBlockSerializer writes the same).
    private final String id;
    private final long blockStart;
    /** Per window, ascending: its start less the block start, ms, unsigned. */
    private final int[] windowOffsets;
    /** Per window: its length, ms, unsigned. */
    private final int[] windowLengths;
    /** Per window, {@link #COUNTS} each: the count, then each measure's count. */
    private final long[] counts;
    /** Per window, per measure whose count is not 0: its {@link #DOUBLES}. */
    private final double[] values;

    HistoryBlock(String id, long blockStart, int[] windowOffsets, int[] windowLengths, long[] counts,
                 double[] values) {
        this.id = Objects.requireNonNull(id, "id");
        this.blockStart = blockStart;
        this.windowOffsets = windowOffsets;
        this.windowLengths = windowLengths;
        this.counts = counts;
        this.values = values;
        if (windowLengths.length != windowOffsets.length || counts.length != windowOffsets.length * COUNTS) {
            throw new IllegalArgumentException("a history block needs a length and " + COUNTS + " counts per window, "
                    + "had " + windowOffsets.length + " windows, " + windowLengths.length + " lengths, "
                    + counts.length + " counts");
        }
    }

    /**
     * The start of the block of {@code tier} that holds the window starting at {@code windowStart} (epoch ms):
     * for {@link HistoryTier#WINDOW} the UTC hour containing it, for {@link HistoryTier#HOUR} the UTC day, for
     * {@link HistoryTier#DAY} the UTC calendar month (its 1st, 00:00 UTC).
     */
    public static long blockStart(HistoryTier tier, long windowStart) {
        return switch (tier) {
            case WINDOW -> Math.floorDiv(windowStart, HOUR) * HOUR;
            case HOUR -> Math.floorDiv(windowStart, DAY) * DAY;
            case DAY -> Instant.ofEpochMilli(windowStart).atZone(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1)
                               .atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        };
    }

    /**
     * The exclusive end of the block of {@code tier} starting at {@code blockStart} (a {@link #blockStart} of the
     * tier): an hour, a day or a calendar month later. No window of the block starts at or after it.
     */
    public static long blockEnd(HistoryTier tier, long blockStart) {
        return switch (tier) {
            case WINDOW -> blockStart + HOUR;
            case HOUR -> blockStart + DAY;
            case DAY -> ZonedDateTime.ofInstant(Instant.ofEpochMilli(blockStart), ZoneOffset.UTC).plusMonths(1)
                                     .toInstant().toEpochMilli();
        };
    }

    /**
     * The block of {@code id} starting at {@code blockStart} holding {@code windows}, in any order, e.g.
     * {@code HistoryBlock.of("s-1", HistoryBlock.blockStart(HistoryTier.WINDOW, w.windowStart()), List.of(w))}.
     *
     * @param windows final results ({@code early} false) of {@code id}, at least one, no two with the same start;
     *                each starts in the block (less than 2<sup>32</sup> ms after {@code blockStart}) and is shorter
     *                than 2<sup>32</sup> ms; a measure's statistics are null exactly when its count is 0, as the job
     *                writes them
     * @throws IllegalArgumentException naming the window and what is wrong with it
     */
    public static HistoryBlock of(String id, long blockStart, List<WindowStats> windows) {
        Objects.requireNonNull(id, "id");
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("a history block holds at least one window, " + id + '@' + blockStart
                    + " had none");
        }
        List<WindowStats> sorted = new ArrayList<>(windows);
        sorted.sort(Comparator.comparingLong(WindowStats::windowStart));
        for (int i = 0; i < sorted.size(); i++) {
            check(id, blockStart, sorted.get(i));
            if (i > 0 && sorted.get(i).windowStart() == sorted.get(i - 1).windowStart()) {
                throw new IllegalArgumentException("two windows of " + id + " start at "
                        + sorted.get(i).windowStart() + " in the block " + blockStart);
            }
        }
        return encode(id, blockStart, sorted);
    }

    /**
     * A copy with {@code window} in its slot: replacing the window with the same start, or added in order. Writing
     * the same window again gives an equal block.
     *
     * @throws IllegalArgumentException as {@link #of} for a window that does not belong in this block
     */
    public HistoryBlock with(WindowStats window) {
        check(id, blockStart, window);
        int slot = slot(window.windowStart());
        boolean replace = slot >= 0;
        int at = replace ? slot : -slot - 1;
        int size = size();
        int newSize = replace ? size : size + 1;
        int skip = replace ? 1 : 0;

        HistoryBlock one = encode(id, blockStart, List.of(window));
        int[] offsets = splice(windowOffsets, at, skip, one.windowOffsets, newSize);
        int[] lengths = splice(windowLengths, at, skip, one.windowLengths, newSize);
        long[] newCounts = new long[newSize * COUNTS];
        System.arraycopy(counts, 0, newCounts, 0, at * COUNTS);
        System.arraycopy(one.counts, 0, newCounts, at * COUNTS, COUNTS);
        System.arraycopy(counts, (at + skip) * COUNTS, newCounts, (at + 1) * COUNTS, (size - at - skip) * COUNTS);
        int from = valueOffset(at);
        int to = replace ? valueOffset(at + 1) : from;
        double[] newValues = new double[values.length - (to - from) + one.values.length];
        System.arraycopy(values, 0, newValues, 0, from);
        System.arraycopy(one.values, 0, newValues, from, one.values.length);
        System.arraycopy(values, to, newValues, from + one.values.length, values.length - to);
        return new HistoryBlock(id, blockStart, offsets, lengths, newCounts, newValues);
    }

    /** The sensor or place id, the same for every window of the block. */
    public String id() {
        return id;
    }

    /** The start of the block, epoch ms: {@link #blockStart(HistoryTier, long)} of each of its windows. */
    public long blockStart() {
        return blockStart;
    }

    /** Number of windows in the block. */
    public int size() {
        return windowOffsets.length;
    }

    /** The windows of the block, ascending by start: exactly those that went in, every component bit for bit. */
    public List<WindowStats> windows() {
        List<WindowStats> windows = new ArrayList<>(size());
        int v = 0;
        for (int i = 0; i < size(); i++) {
            windows.add(decode(i, v));
            v += present(i) * DOUBLES.length;
        }
        return windows;
    }

    /** The window of the block starting at {@code windowStart} (epoch ms), or null when the block has none. */
    public WindowStats window(long windowStart) {
        int slot = slot(windowStart);
        return slot < 0 ? null : decode(slot, valueOffset(slot));
    }

    // The packed form, for HistoryBlockSerializer.
    int[] windowOffsets() {
        return windowOffsets;
    }

    int[] windowLengths() {
        return windowLengths;
    }

    long[] counts() {
        return counts;
    }

    double[] values() {
        return values;
    }

    private static void check(String id, long blockStart, WindowStats w) {
        String what = "window " + w.id() + '@' + w.windowStart() + " in the block " + id + '@' + blockStart;
        if (!w.id().equals(id)) {
            throw new IllegalArgumentException(what + ": not of " + id);
        }
        if (w.early()) {
            throw new IllegalArgumentException(what + ": an early result; history holds final ones only");
        }
        if (w.silentSensors() != null) {
            // Only the place stats map's newest entry carries it (the liveness stage adds it there).
            throw new IllegalArgumentException(what + ": carries a count of silent sensors; history holds the "
                    + "windows' statistics only");
        }
        long offset = w.windowStart() - blockStart;
        long length = w.windowEnd() - w.windowStart();
        if (offset < 0 || offset > UNSIGNED_INT) {
            throw new IllegalArgumentException(what + ": does not start in the block");
        }
        if (length <= 0 || length > UNSIGNED_INT) {
            throw new IllegalArgumentException(what + ": length " + length + " ms is not between 1 and 2^32 - 1");
        }
        for (Measure m : MEASURES) {
            boolean carried = (Long) w.value(m, Statistic.COUNT) != 0;
            for (Statistic s : DOUBLES) {
                if ((w.value(m, s) != null) != carried) {
                    throw new IllegalArgumentException(what + ": " + s.component(m) + " is " + w.value(m, s)
                            + " with " + Statistic.COUNT.component(m) + ' ' + w.value(m, Statistic.COUNT)
                            + " (null exactly when the count is 0)");
                }
            }
        }
    }

    /** The block of {@code windows}, checked and in ascending order of start. */
    private static HistoryBlock encode(String id, long blockStart, List<WindowStats> windows) {
        int n = windows.size();
        int[] offsets = new int[n];
        int[] lengths = new int[n];
        long[] counts = new long[n * COUNTS];
        int doubles = 0;
        for (WindowStats w : windows) {
            for (Measure m : MEASURES) {
                doubles += (Long) w.value(m, Statistic.COUNT) == 0 ? 0 : DOUBLES.length;
            }
        }
        double[] values = new double[doubles];
        int v = 0;
        for (int i = 0; i < n; i++) {
            WindowStats w = windows.get(i);
            offsets[i] = (int) (w.windowStart() - blockStart);
            lengths[i] = (int) (w.windowEnd() - w.windowStart());
            counts[i * COUNTS] = w.count();
            for (Measure m : MEASURES) {
                long count = (Long) w.value(m, Statistic.COUNT);
                counts[i * COUNTS + 1 + m.ordinal()] = count;
                if (count != 0) {
                    for (Statistic s : DOUBLES) {
                        values[v++] = (Double) w.value(m, s);
                    }
                }
            }
        }
        return new HistoryBlock(id, blockStart, offsets, lengths, counts, values);
    }

    /** Window {@code i}, whose statistics start at {@code values[v]}. */
    private WindowStats decode(int i, int v) {
        MeasureStats[] byMeasure = new MeasureStats[MEASURES.length];
        for (Measure m : MEASURES) {
            long count = counts[i * COUNTS + 1 + m.ordinal()];
            if (count == 0) {
                byMeasure[m.ordinal()] = MeasureStats.NONE;
            } else {
                Object[] stats = new Object[Statistic.count()];
                stats[Statistic.COUNT.ordinal()] = count;
                for (Statistic s : DOUBLES) {
                    stats[s.ordinal()] = values[v++];
                }
                byMeasure[m.ordinal()] = MeasureStats.wrap(stats);
            }
        }
        long start = blockStart + Integer.toUnsignedLong(windowOffsets[i]);
        return WindowStats.of(id, start, start + Integer.toUnsignedLong(windowLengths[i]), false, counts[i * COUNTS],
                byMeasure);
    }

    /** Measures window {@code i} has statistics of. */
    private int present(int i) {
        int present = 0;
        for (int m = 0; m < MEASURES.length; m++) {
            present += counts[i * COUNTS + 1 + m] == 0 ? 0 : 1;
        }
        return present;
    }

    /** Where the statistics of window {@code slot} start in {@link #values}. */
    private int valueOffset(int slot) {
        int v = 0;
        for (int i = 0; i < slot; i++) {
            v += present(i) * DOUBLES.length;
        }
        return v;
    }

    /** The index of the window starting at {@code windowStart}, or {@code -(insertion point) - 1}. */
    private int slot(long windowStart) {
        long offset = windowStart - blockStart;
        if (offset < 0 || offset > UNSIGNED_INT) {
            return offset < 0 ? -1 : -size() - 1;
        }
        int key = (int) offset;
        int low = 0;
        int high = size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int c = Integer.compareUnsigned(windowOffsets[mid], key);
            if (c < 0) {
                low = mid + 1;
            } else if (c > 0) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -low - 1;
    }

    private static int[] splice(int[] array, int at, int skip, int[] insert, int newSize) {
        int[] result = new int[newSize];
        System.arraycopy(array, 0, result, 0, at);
        result[at] = insert[0];
        System.arraycopy(array, at + skip, result, at + 1, array.length - at - skip);
        return result;
    }

    @Override
    public boolean equals(Object o) {
        // Arrays.equals on double[] compares bits, as the round trip promises.
        return o instanceof HistoryBlock b && id.equals(b.id) && blockStart == b.blockStart
                && Arrays.equals(windowOffsets, b.windowOffsets) && Arrays.equals(windowLengths, b.windowLengths)
                && Arrays.equals(counts, b.counts) && Arrays.equals(values, b.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, blockStart, Arrays.hashCode(windowOffsets), Arrays.hashCode(counts),
                Arrays.hashCode(values));
    }

    @Override
    public String toString() {
        return "HistoryBlock[" + id + '@' + blockStart + ", " + size() + " windows]";
    }
}
