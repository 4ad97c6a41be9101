package io.iotgrid.core;

import java.util.Objects;

/**
 * One parsed sensor reading. A measure the payload did not carry is {@link Double#NaN}; use
 * {@link #has(Measure)} to ask. Primitive fields keep the per-reading hot path free of boxing.
 *
 * @param sensorId    the sensor, never empty
 * @param placeId     the place the sensor is in, never empty
 * @param timestamp   event time from the payload, epoch milliseconds
 * @param temperature degrees, or NaN
 * @param humidity    percent, or NaN
 * @param pressure    hPa, or NaN
 * @param luminosity  lux, or NaN
 */
public record SensorReading(
        String sensorId,
        String placeId,
        long timestamp,
        double temperature,
        double humidity,
        double pressure,
        double luminosity
) implements Decoded {

    public SensorReading {
        Objects.requireNonNull(sensorId, "sensorId");
        Objects.requireNonNull(placeId, "placeId");
    }

    /**
     * The reading with {@code byMeasure[m.ordinal()]} as the value of each {@link Measure} {@code m}, NaN when
     * absent; the array is read, not kept.
     */
    public static SensorReading of(String sensorId, String placeId, long timestamp, double[] byMeasure) {
        return new SensorReading(sensorId, placeId, timestamp, byMeasure[Measure.TEMPERATURE.ordinal()],
                byMeasure[Measure.HUMIDITY.ordinal()], byMeasure[Measure.PRESSURE.ordinal()],
                byMeasure[Measure.LUMINOSITY.ordinal()]);
    }

    /** The value of {@code measure}, NaN when absent. */
    public double value(Measure measure) {
        return switch (measure) {
            case TEMPERATURE -> temperature;
            case HUMIDITY -> humidity;
            case PRESSURE -> pressure;
            case LUMINOSITY -> luminosity;
        };
    }

    /** Whether the payload carried {@code measure}. */
    public boolean has(Measure measure) {
        return !Double.isNaN(value(measure));
    }
}
