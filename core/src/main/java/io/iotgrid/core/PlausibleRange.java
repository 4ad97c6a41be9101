package io.iotgrid.core;

import java.io.Serializable;
import java.math.BigDecimal;

/**
 * The values a measure may plausibly take, bounds included, e.g. {@code -60..150} for temperatures in °C. The
 * {@link ReadingParser} sends a reading with a value outside its measure's range to the dead letters instead of
 * letting one faulty sensor distort the aggregates of its place. Both bounds are finite, so NaN and infinities are
 * never in a range. Immutable.
 *
 * @param min the lowest plausible value
 * @param max the highest plausible value, at least {@code min}
 */
public record PlausibleRange(double min, double max) implements Serializable {

    public PlausibleRange {
        if (!Double.isFinite(min) || !Double.isFinite(max) || min > max) {
            throw new IllegalArgumentException("a plausible range needs finite bounds, min <= max, was "
                    + text(min) + ".." + text(max));
        }
    }

    /** The range written {@code min..max}, e.g. {@code -60..150} or {@code 0..2e5}. */
    public static PlausibleRange parse(String text) {
        int dots = text.indexOf("..");
        if (dots < 0) {
            throw new IllegalArgumentException("expected min..max, was '" + text + "'");
        }
        // Double.parseDouble would also take "NaN", "Infinity" and a trailing 'd': the constructor refuses the first
        // two, and the suffixes are harmless.
        return new PlausibleRange(Double.parseDouble(text.substring(0, dots).trim()),
                Double.parseDouble(text.substring(dots + 2).trim()));
    }

    /** Whether {@code value} is within the bounds; never for NaN or an infinity. */
    public boolean contains(double value) {
        return value >= min && value <= max;
    }

    /** {@code min..max} as {@link #parse} reads it, without needless decimals: {@code -60..150}. */
    @Override
    public String toString() {
        return text(min) + ".." + text(max);
    }

    private static String text(double d) {
        return Double.isFinite(d) ? BigDecimal.valueOf(d).stripTrailingZeros().toPlainString() : Double.toString(d);
    }
}
