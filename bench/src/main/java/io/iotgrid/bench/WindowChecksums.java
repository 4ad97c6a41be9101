package io.iotgrid.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Checksums of per-sensor window results, one per window start: the number of sensor windows, the sum of their
 * counts, and per measure (temperature, humidity, pressure, luminosity) the sum of the values (avg × count), the
 * smallest minimum and the largest maximum. Two systems that agree here computed the same windows; counts must match
 * exactly, sums within a relative {@value #TOLERANCE} (summation order differs), minima and maxima exactly.
 * Not thread-safe.
 */
final class WindowChecksums {

    static final int MEASURES = 4;
    static final double TOLERANCE = 1e-9;

    private final TreeMap<Long, Sum> byStart = new TreeMap<>();

    /** Adds one reading of window {@code start}; {@code newWindow} when it is the first of its sensor there. */
    void addReading(long start, boolean newWindow, double[] values) {
        Sum s = byStart.computeIfAbsent(start, k -> new Sum());
        s.windows += newWindow ? 1 : 0;
        s.count++;
        for (int m = 0; m < MEASURES; m++) {
            s.add(m, values[m], values[m], values[m]);
        }
    }

    /** Adds one sensor's window result: {@code count} readings, and per measure its count, min, max and avg. */
    void addWindow(long start, long count, long[] measureCounts, double[] min, double[] max, double[] avg) {
        Sum s = byStart.computeIfAbsent(start, k -> new Sum());
        s.windows++;
        s.count += count;
        for (int m = 0; m < MEASURES; m++) {
            if (measureCounts[m] > 0) {
                s.add(m, avg[m] * measureCounts[m], min[m], max[m]);
            }
        }
    }

    /** Number of sensor windows over all window starts. */
    long windows() {
        return byStart.values().stream().mapToLong(s -> s.windows).sum();
    }

    /**
     * Checks that {@code actual} equals these checksums.
     *
     * @throws IllegalStateException naming {@code what}, with both values of the first differing window starts
     */
    void requireEqual(String expectedName, WindowChecksums actual, String actualName, String what) {
        List<String> differences = new ArrayList<>();
        TreeMap<Long, Sum> all = new TreeMap<>(byStart);
        actual.byStart.forEach(all::putIfAbsent);
        for (Long start : all.keySet()) {
            Sum e = byStart.get(start);
            Sum a = actual.byStart.get(start);
            if (e == null || a == null || !e.matches(a)) {
                differences.add("window " + start + ": " + expectedName + " " + e + " but " + actualName + " " + a);
            }
        }
        if (!differences.isEmpty()) {
            throw new IllegalStateException(what + ": " + differences.size() + " of " + all.size()
                    + " window starts differ; the first: " + String.join("; ", differences.subList(0,
                    Math.min(5, differences.size()))));
        }
    }

    private static final class Sum {
        long windows;
        long count;
        final double[] sum = new double[MEASURES];
        final double[] min = filled(Double.POSITIVE_INFINITY);
        final double[] max = filled(Double.NEGATIVE_INFINITY);

        void add(int m, double value, double minimum, double maximum) {
            sum[m] += value;
            min[m] = Math.min(min[m], minimum);
            max[m] = Math.max(max[m], maximum);
        }

        boolean matches(Sum o) {
            if (windows != o.windows || count != o.count || !Arrays.equals(min, o.min)
                    || !Arrays.equals(max, o.max)) {
                return false;
            }
            for (int m = 0; m < MEASURES; m++) {
                double scale = Math.max(Math.abs(sum[m]), Math.abs(o.sum[m]));
                if (Math.abs(sum[m] - o.sum[m]) > TOLERANCE * scale) {
                    return false;
                }
            }
            return true;
        }

        private static double[] filled(double value) {
            double[] a = new double[MEASURES];
            Arrays.fill(a, value);
            return a;
        }

        @Override
        public String toString() {
            return "{windows=" + windows + ", count=" + count + ", sums=" + Arrays.toString(sum) + ", mins="
                    + Arrays.toString(min) + ", maxes=" + Arrays.toString(max) + '}';
        }
    }

    /**
     * Collects the final windows one system emitted for a {@link KafkaDataset}: each (sensor, window) once, the
     * sentinels' windows left out, repeats and windows outside the data set counted (a correct run has none).
     */
    static final class Collector {
        private final KafkaDataset dataset;
        private final long expected;
        private final BitSet seen;
        private final WindowChecksums sums = new WindowChecksums();
        private long distinct;
        private long repeated;
        private final List<String> unexpected = new ArrayList<>();

        Collector(KafkaDataset dataset, long expected) {
            this.dataset = dataset;
            this.expected = expected;
            this.seen = new BitSet(dataset.windowCount() * dataset.readings().sensors());
        }

        /** Adds the final window of {@code sensorId} starting at {@code start}. */
        void accept(String sensorId, long start, long count, long[] measureCounts, double[] min, double[] max,
                    double[] avg) {
            Objects.requireNonNull(sensorId, "sensorId");
            if (start >= dataset.lastWindowEnd()) {
                return;
            }
            int sensor = sensorIndex(sensorId);
            long offset = start - dataset.firstWindowStart();
            if (sensor < 0 || offset < 0 || offset % dataset.windowMillis() != 0) {
                if (unexpected.size() < 5) {
                    unexpected.add(sensorId + '@' + start);
                }
                return;
            }
            int key = (int) (offset / dataset.windowMillis()) * dataset.readings().sensors() + sensor;
            if (seen.get(key)) {
                repeated++;
                return;
            }
            seen.set(key);
            distinct++;
            sums.addWindow(start, count, measureCounts, min, max, avg);
        }

        private int sensorIndex(String sensorId) {
            if (!sensorId.startsWith("s-")) {
                return -1;
            }
            try {
                int i = Integer.parseInt(sensorId, 2, sensorId.length(), 10);
                return i < dataset.readings().sensors() ? i : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        /** Whether every expected (sensor, window) arrived. */
        boolean complete() {
            return distinct >= expected;
        }

        long distinct() {
            return distinct;
        }

        /** Windows that arrived again (compared by their first arrival only). */
        long repeated() {
            return repeated;
        }

        /** Up to five windows of unknown sensors or misaligned starts, {@code sensor@start}. */
        List<String> unexpected() {
            return List.copyOf(unexpected);
        }

        WindowChecksums sums() {
            return sums;
        }
    }
}
