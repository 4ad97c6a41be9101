package io.iotgrid.core;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;

/**
 * Aggregates of one tumbling window for one sensor or one place: the value type of the
 * {@value GridNames#SENSOR_STATS} and {@value GridNames#PLACE_STATS} maps.
 * <p>
 * The record is flat (one component per measure and statistic) because Hazelcast stores it with zero-config
 * Compact serialization, which makes every component a column for SQL and for clients in other languages,
 * without registering anything on the members. Its components are {@link Statistic#component(Measure)} for
 * every {@link Measure} and {@link Statistic}, measure by measure, in declaration order, between the header
 * ({@code id} to {@code count}) and {@link #silentSensors()}, which stays last; use
 * {@link #stats(Measure)} or {@link #value(Measure, Statistic)} rather than naming them, so code keeps working when
 * a statistic is added.
 *
 * @param id          sensor id or place id, the map key
 * @param windowStart inclusive start of the window, epoch milliseconds
 * @param windowEnd   exclusive end of the window, epoch milliseconds
 * @param early       {@code true} for an early result of a window still open, {@code false} for the final one
 * @param count       number of readings in the window
 * @param silentSensors for a place window in {@value GridNames#PLACE_STATS}, when the job tracks sensor liveness:
 *                    how many of the place's sensors were {@link SensorState#SILENT} or {@link SensorState#OFFLINE}
 *                    when this result was written (the entry is written again when that number changes); null for
 *                    sensor windows, without liveness, and in the closed and history maps
 */
public record WindowStats(
        String id,
        long windowStart,
        long windowEnd,
        boolean early,
        long count,
        long temperatureCount, Double temperatureMin, Double temperatureMax,
        Double temperatureAvg, Double temperatureStddev,
        long humidityCount, Double humidityMin, Double humidityMax,
        Double humidityAvg, Double humidityStddev,
        long pressureCount, Double pressureMin, Double pressureMax,
        Double pressureAvg, Double pressureStddev,
        long luminosityCount, Double luminosityMin, Double luminosityMax,
        Double luminosityAvg, Double luminosityStddev,
        Integer silentSensors
) {

    /** Components before the measure × statistic matrix: id, windowStart, windowEnd, early, count. */
    private static final int HEADER = 5;
    /** Components after the matrix: silentSensors. */
    private static final int TRAILER = 1;
    private static final Measure[] MEASURES = Measure.values();
    private static final Statistic[] STATISTICS = Statistic.values();
    /** The canonical constructor, taking its arguments as one array. */
    private static final MethodHandle CONSTRUCTOR;
    /** The accessor of each matrix component, {@code (WindowStats) Object}, at [measure][statistic]. */
    private static final MethodHandle[][] ACCESSORS = new MethodHandle[MEASURES.length][STATISTICS.length];

    static {
        // The record is the one place that spells the matrix out (zero-config Compact needs real components);
        // everything else derives from Measure × Statistic, so the two must agree: a mismatch fails here, on the
        // first use of the class, naming the component.
        RecordComponent[] components = WindowStats.class.getRecordComponents();
        if (components.length != HEADER + MEASURES.length * STATISTICS.length + TRAILER) {
            throw new IllegalStateException("WindowStats has " + components.length + " components, expected "
                    + HEADER + ", one per measure and statistic, and " + TRAILER);
        }
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        try {
            for (Measure m : MEASURES) {
                for (Statistic s : STATISTICS) {
                    RecordComponent c = components[index(m, s)];
                    if (!c.getName().equals(s.component(m)) || c.getType() != s.type()) {
                        throw new IllegalStateException("WindowStats component " + index(m, s) + " is "
                                + c.getType().getSimpleName() + ' ' + c.getName() + ", expected "
                                + s.type().getSimpleName() + ' ' + s.component(m));
                    }
                    ACCESSORS[m.ordinal()][s.ordinal()] = lookup.unreflect(c.getAccessor())
                            .asType(MethodType.methodType(Object.class, WindowStats.class));
                }
            }
            Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
            CONSTRUCTOR = lookup.findConstructor(WindowStats.class, MethodType.methodType(void.class, types))
                                .asSpreader(Object[].class, types.length);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Builds the record from one {@link MeasureStats} per measure, indexed by {@link Measure#ordinal()}. */
    public static WindowStats of(String id, long windowStart, long windowEnd, boolean early, long count,
                                 MeasureStats[] byMeasure) {
        return of(id, windowStart, windowEnd, early, count, byMeasure, null);
    }

    /** As {@link #of(String, long, long, boolean, long, MeasureStats[])}, with a place's silent sensors. */
    public static WindowStats of(String id, long windowStart, long windowEnd, boolean early, long count,
                                 MeasureStats[] byMeasure, Integer silentSensors) {
        Object[] args = new Object[HEADER + MEASURES.length * STATISTICS.length + TRAILER];
        args[0] = id;
        args[1] = windowStart;
        args[2] = windowEnd;
        args[3] = early;
        args[4] = count;
        for (Measure m : MEASURES) {
            MeasureStats stats = byMeasure[m.ordinal()];
            for (Statistic s : STATISTICS) {
                args[index(m, s)] = stats.value(s);
            }
        }
        args[args.length - 1] = silentSensors;
        try {
            return (WindowStats) CONSTRUCTOR.invokeExact(args);
        } catch (Throwable e) {
            throw unchecked(e);
        }
    }

    /** This window with {@link #silentSensors()} set to {@code silentSensors}. */
    public WindowStats withSilentSensors(Integer silentSensors) {
        MeasureStats[] byMeasure = new MeasureStats[MEASURES.length];
        for (Measure m : MEASURES) {
            byMeasure[m.ordinal()] = stats(m);
        }
        return of(id, windowStart, windowEnd, early, count, byMeasure, silentSensors);
    }

    /** The statistics of {@code measure} in this window. */
    public MeasureStats stats(Measure measure) {
        Object[] values = new Object[STATISTICS.length];
        for (Statistic s : STATISTICS) {
            values[s.ordinal()] = value(measure, s);
        }
        return MeasureStats.wrap(values);
    }

    /**
     * The component of {@code statistic} of {@code measure}, e.g. {@code value(TEMPERATURE, AVG)} is
     * {@link #temperatureAvg()}: a {@code Long} for {@link Statistic#COUNT}, else a {@code Double} or null.
     */
    public Object value(Measure measure, Statistic statistic) {
        try {
            return (Object) ACCESSORS[measure.ordinal()][statistic.ordinal()].invokeExact(this);
        } catch (Throwable e) {
            throw unchecked(e);
        }
    }

    private static int index(Measure m, Statistic s) {
        return HEADER + m.ordinal() * STATISTICS.length + s.ordinal();
    }

    private static RuntimeException unchecked(Throwable e) {
        if (e instanceof Error error) {
            throw error;
        }
        // Neither the constructor nor an accessor declares a checked exception.
        return e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
}
