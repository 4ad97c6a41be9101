package io.iotgrid.core;

import java.util.Locale;

/**
 * The statistics a window keeps of every {@link Measure}. The matrix measure × statistic is iterated wherever
 * windows are written, read, queried or shown: {@link WindowStats} declares one component per pair, named
 * {@link #component(Measure)}, the SQL mappings one column, named {@link #column(Measure)}, and the window
 * accumulator says how it computes each.
 */
public enum Statistic {
    /** Number of readings in the window that carried the measure; {@code long}, 0 when none did. */
    COUNT(long.class),
    /** Smallest value; {@code Double}, null when no reading carried the measure. */
    MIN(Double.class),
    /** Largest value; {@code Double}, null when no reading carried the measure. */
    MAX(Double.class),
    /** Arithmetic mean; {@code Double}, null when no reading carried the measure. */
    AVG(Double.class),
    /**
     * Population standard deviation (the square root of the mean squared deviation from the average, over all
     * readings of the window); {@code Double}, 0 for a single reading, null when no reading carried the measure.
     */
    STDDEV(Double.class);

    private static final Statistic[] VALUES = values();

    private final Class<?> type;
    private final String[] components;
    private final String[] columns;

    Statistic(Class<?> type) {
        this.type = type;
        String key = name().toLowerCase(Locale.ROOT);
        String suffix = Character.toUpperCase(key.charAt(0)) + key.substring(1);
        Measure[] measures = Measure.values();
        // Built once: serializers and gauges ask for the names per window.
        this.components = new String[measures.length];
        this.columns = new String[measures.length];
        for (Measure m : measures) {
            components[m.ordinal()] = m.key() + suffix;
            columns[m.ordinal()] = key + '_' + m.key();
        }
    }

    /**
     * The type of the statistic's {@link WindowStats} component: {@code long.class} (never null) or
     * {@code Double.class} (null when no reading in the window carried the measure).
     */
    public Class<?> type() {
        return type;
    }

    /** The name of the {@link WindowStats} component, Compact field and gauge, e.g. {@code temperatureAvg}. */
    public String component(Measure measure) {
        return components[measure.ordinal()];
    }

    /** The name of the column in the SQL mappings ({@link SqlMappings}), e.g. {@code avg_temperature}. */
    public String column(Measure measure) {
        return columns[measure.ordinal()];
    }

    /** Number of statistics, for code that keeps one slot per statistic. */
    public static int count() {
        return VALUES.length;
    }
}
