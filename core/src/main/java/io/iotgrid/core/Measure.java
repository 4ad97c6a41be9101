package io.iotgrid.core;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * The quantities a sensor reading may carry. Every aggregate is computed per measure, so code that
 * handles "each measure" loops over {@link #values()} instead of naming the four fields.
 */
public enum Measure {
    /** Degrees Celsius, shown with 2 decimals. */
    TEMPERATURE(2),
    /** Relative humidity in percent, shown with 1 decimal. */
    HUMIDITY(1),
    /** Hectopascals, shown with 1 decimal. */
    PRESSURE(1),
    /** Lux, shown as whole numbers. */
    LUMINOSITY(0);

    private static final Measure[] VALUES = values();

    private final int decimals;

    Measure(int decimals) {
        this.decimals = decimals;
    }

    /**
     * How many decimals of the measure are worth showing: digits beyond them are below what a sensor resolves
     * (an average of 23.1, 23.05 and 23.12 is shown as 23.09, not 23.089999999999996).
     */
    public int decimals() {
        return decimals;
    }

    /**
     * A value of the measure, or a statistic of its values (min, max, average, standard deviation), rounded half
     * up to {@link #decimals()} as plain text, e.g. {@code 23.09} or {@code 1013.0}; {@code NaN} or infinities as
     * Java prints them.
     */
    public String format(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).toPlainString();
    }

    /** The lower-case name used in JSON payloads, alert rules and column names, e.g. {@code temperature}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The measure whose {@link #key()} is {@code key}, ignoring case. */
    public static Measure ofKey(String key) {
        for (Measure m : VALUES) {
            if (m.key().equalsIgnoreCase(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown measure '" + key + "', expected one of temperature, humidity, "
                + "pressure, luminosity");
    }

    /** Number of measures, for code that keeps one slot per measure. */
    public static int count() {
        return VALUES.length;
    }
}
