package io.iotgrid.core;

import java.util.Arrays;
import java.util.Locale;

/**
 * The statistics of one measure over one window, one value per {@link Statistic}: {@link Statistic#COUNT} a
 * {@code Long}, the others {@code Double}s that are null when no reading in the window carried the measure
 * ({@code count == 0}). Immutable.
 */
public final class MeasureStats {

    private static final Statistic[] STATISTICS = Statistic.values();

    /** Stats of a measure no reading carried. */
    public static final MeasureStats NONE = none();

    private final Object[] values;

    private MeasureStats(Object[] values) {
        this.values = values;
    }

    /**
     * The stats with {@code byStatistic[s.ordinal()]} as the value of each {@link Statistic} {@code s}, e.g.
     * {@code MeasureStats.of(2L, 29.0, 31.0, 30.0)}; each value of the statistic's {@link Statistic#type() type}
     * (a {@code Long} for {@code long}).
     *
     * @throws IllegalArgumentException when there is not one value per statistic or one has the wrong type
     */
    public static MeasureStats of(Object... byStatistic) {
        if (byStatistic.length != STATISTICS.length) {
            throw new IllegalArgumentException("expected one value per statistic " + Arrays.toString(STATISTICS)
                    + ", got " + byStatistic.length + ": " + Arrays.toString(byStatistic));
        }
        for (Statistic s : STATISTICS) {
            Object v = byStatistic[s.ordinal()];
            boolean ok = s.type() == long.class ? v instanceof Long : v == null || s.type().isInstance(v);
            if (!ok) {
                throw new IllegalArgumentException(s + " must be a " + s.type().getSimpleName() + ", was "
                        + (v == null ? "null" : v.getClass().getSimpleName() + ' ' + v));
            }
        }
        return new MeasureStats(byStatistic.clone());
    }

    /** Stats over {@code byStatistic} as is, for {@link WindowStats}, which builds it from its own components. */
    static MeasureStats wrap(Object[] byStatistic) {
        return new MeasureStats(byStatistic);
    }

    /** The value of {@code statistic}, of its {@link Statistic#type() type}: a {@code Long} or a nullable Double. */
    public Object value(Statistic statistic) {
        return values[statistic.ordinal()];
    }

    /** {@link Statistic#COUNT}. */
    public long count() {
        return (Long) values[Statistic.COUNT.ordinal()];
    }

    /** {@link Statistic#MIN}, null when {@code count() == 0}. */
    public Double min() {
        return (Double) values[Statistic.MIN.ordinal()];
    }

    /** {@link Statistic#MAX}, null when {@code count() == 0}. */
    public Double max() {
        return (Double) values[Statistic.MAX.ordinal()];
    }

    /** {@link Statistic#AVG}, null when {@code count() == 0}. */
    public Double avg() {
        return (Double) values[Statistic.AVG.ordinal()];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MeasureStats other && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("MeasureStats[");
        for (Statistic st : STATISTICS) {
            s.append(st.ordinal() == 0 ? "" : ", ").append(st.name().toLowerCase(Locale.ROOT)).append('=')
             .append(values[st.ordinal()]);
        }
        return s.append(']').toString();
    }

    private static MeasureStats none() {
        Object[] values = new Object[STATISTICS.length];
        values[Statistic.COUNT.ordinal()] = 0L;
        return new MeasureStats(values);
    }
}
