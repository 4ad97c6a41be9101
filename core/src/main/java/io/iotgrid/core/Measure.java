package io.iotgrid.core;

import java.util.Locale;

/**
 * The quantities a sensor reading may carry. Every aggregate is computed per measure, so code that
 * handles "each measure" loops over {@link #values()} instead of naming the four fields.
 */
public enum Measure {
    TEMPERATURE,
    HUMIDITY,
    PRESSURE,
    LUMINOSITY;

    private static final Measure[] VALUES = values();

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
