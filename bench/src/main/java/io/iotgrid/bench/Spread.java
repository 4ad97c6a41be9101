package io.iotgrid.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * The median and the range of one figure over the runs of a benchmark, the form every figure in BENCHMARKS.md
 * takes: {@code median (min–max)}.
 *
 * @param name   what was measured, with its unit, e.g. {@code readings/s}
 * @param median middle value; the mean of the two middle ones for an even number of runs
 * @param min    lowest value
 * @param max    highest value
 * @param runs   number of values
 */
public record Spread(String name, double median, double min, double max, int runs) {

    /** The spread of {@code values}, one per run; at least one. */
    public static Spread of(String name, double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("values of '" + name + "' must not be empty");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Spread(name, median, sorted[0], sorted[n - 1], n);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: %s (%s–%s) over %d runs", name, format(median), format(min),
                format(max), runs);
    }

    private static String format(double v) {
        if (v != 0 && Math.abs(v) < 10) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
        return String.format(Locale.ROOT, "%,.0f", v);
    }
}
