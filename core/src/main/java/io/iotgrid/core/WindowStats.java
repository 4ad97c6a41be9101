package io.iotgrid.core;

/**
 * Aggregates of one tumbling window for one sensor or one place: the value type of the
 * {@value GridNames#SENSOR_STATS} and {@value GridNames#PLACE_STATS} maps.
 * <p>
 * The record is flat (one component per measure and statistic) because Hazelcast stores it with zero-config
 * Compact serialization, which makes every component a column for SQL and for clients in other languages,
 * without registering anything on the members. Use {@link #stats(Measure)} for a per-measure view.
 *
 * @param id          sensor id or place id, the map key
 * @param windowStart inclusive start of the window, epoch milliseconds
 * @param windowEnd   exclusive end of the window, epoch milliseconds
 * @param early       {@code true} for an early result of a window still open, {@code false} for the final one
 * @param count       number of readings in the window
 */
public record WindowStats(
        String id,
        long windowStart,
        long windowEnd,
        boolean early,
        long count,
        long temperatureCount, Double temperatureMin, Double temperatureMax, Double temperatureAvg,
        long humidityCount, Double humidityMin, Double humidityMax, Double humidityAvg,
        long pressureCount, Double pressureMin, Double pressureMax, Double pressureAvg,
        long luminosityCount, Double luminosityMin, Double luminosityMax, Double luminosityAvg
) {

    /** Builds the record from one {@link MeasureStats} per measure, indexed by {@link Measure#ordinal()}. */
    public static WindowStats of(String id, long windowStart, long windowEnd, boolean early, long count,
                                 MeasureStats[] byMeasure) {
        MeasureStats t = byMeasure[Measure.TEMPERATURE.ordinal()];
        MeasureStats h = byMeasure[Measure.HUMIDITY.ordinal()];
        MeasureStats p = byMeasure[Measure.PRESSURE.ordinal()];
        MeasureStats l = byMeasure[Measure.LUMINOSITY.ordinal()];
        return new WindowStats(id, windowStart, windowEnd, early, count,
                t.count(), t.min(), t.max(), t.avg(),
                h.count(), h.min(), h.max(), h.avg(),
                p.count(), p.min(), p.max(), p.avg(),
                l.count(), l.min(), l.max(), l.avg());
    }

    /** The statistics of {@code measure} in this window. */
    public MeasureStats stats(Measure measure) {
        return switch (measure) {
            case TEMPERATURE -> new MeasureStats(temperatureCount, temperatureMin, temperatureMax, temperatureAvg);
            case HUMIDITY -> new MeasureStats(humidityCount, humidityMin, humidityMax, humidityAvg);
            case PRESSURE -> new MeasureStats(pressureCount, pressureMin, pressureMax, pressureAvg);
            case LUMINOSITY -> new MeasureStats(luminosityCount, luminosityMin, luminosityMax, luminosityAvg);
        };
    }
}
