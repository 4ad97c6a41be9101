package io.iotgrid.core;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * The quantities a sensor reading may carry. Every aggregate is computed per measure, so code that
 * handles "each measure" loops over {@link #values()} instead of naming the four fields.
 */
public enum Measure {
    /** Degrees Celsius, shown with 2 decimals; plausible from -60 to 150. */
    TEMPERATURE("°C", 2, -60, 150),
    /** Relative humidity in percent, shown with 1 decimal; plausible from 0 to 100. */
    HUMIDITY("%", 1, 0, 100),
    /** Hectopascals, shown with 1 decimal; plausible from 300 to 1100. */
    PRESSURE("hPa", 1, 300, 1100),
    /** Lux, shown as whole numbers; plausible from 0 to 200 000 (direct sunlight is about 100 000). */
    LUMINOSITY("lx", 0, 0, 200_000);

    private static final Measure[] VALUES = values();

    private final String unit;
    private final int decimals;
    private final PlausibleRange plausibleRange;

    Measure(String unit, int decimals, double plausibleMin, double plausibleMax) {
        this.unit = unit;
        this.decimals = decimals;
        this.plausibleRange = new PlausibleRange(plausibleMin, plausibleMax);
    }

    /** The unit values are in, e.g. {@code °C} or {@code hPa}. */
    public String unit() {
        return unit;
    }

    /**
     * The values a working sensor can give, by default: what the {@link ReadingParser} accepts unless configured
     * otherwise (the jobs' {@code plausible.<measure>} settings).
     */
    public PlausibleRange defaultPlausibleRange() {
        return plausibleRange;
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
