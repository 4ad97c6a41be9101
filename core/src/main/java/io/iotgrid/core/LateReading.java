package io.iotgrid.core;

import java.util.Objects;

/**
 * A reading that came after its window had closed, kept instead of dropped. The aggregation job writes it to an
 * IMap (default name {@value GridNames#LATE_READINGS}) under {@link #key()}; its window's aggregates do not count it.
 * A window closes when the job's watermark (the newest event time less {@code allowed.lateness}, the least over
 * the source's partitions or resources) reaches its end.
 *
 * @param sensorId    the reading's sensor
 * @param placeId     the reading's place
 * @param timestamp   the reading's event time, epoch milliseconds
 * @param temperature the reading's temperature, or NaN
 * @param humidity    the reading's humidity, or NaN
 * @param pressure    the reading's pressure, or NaN
 * @param luminosity  the reading's luminosity, or NaN
 * @param windowStart start of the window it missed, epoch milliseconds
 * @param windowEnd   end of the window it missed (exclusive), epoch milliseconds
 * @param watermark   the watermark when it came: event time up to which windows had closed
 * @param lateBy      how far behind the watermark it was, ms: {@code watermark - timestamp}
 * @param receivedAt  when the job found it late, epoch milliseconds of the member's clock
 */
public record LateReading(String sensorId, String placeId, long timestamp, double temperature, double humidity,
                          double pressure, double luminosity, long windowStart, long windowEnd, long watermark,
                          long lateBy, long receivedAt) {

    public LateReading {
        Objects.requireNonNull(sensorId, "sensorId");
        Objects.requireNonNull(placeId, "placeId");
    }

    /** {@code reading}, late for the window {@code [windowStart, windowEnd)} once the watermark was at {@code watermark}. */
    public static LateReading of(SensorReading reading, long windowStart, long windowEnd, long watermark,
                                 long receivedAt) {
        return new LateReading(reading.sensorId(), reading.placeId(), reading.timestamp(), reading.temperature(),
                reading.humidity(), reading.pressure(), reading.luminosity(), windowStart, windowEnd, watermark,
                watermark - reading.timestamp(), receivedAt);
    }

    /** The late reading itself. */
    public SensorReading reading() {
        return new SensorReading(sensorId, placeId, timestamp, temperature, humidity, pressure, luminosity);
    }

    /**
     * Its key in the late-readings map, {@code <sensor>@<timestamp>}: the same reading delivered late twice is kept
     * once.
     */
    public String key() {
        return sensorId + '@' + timestamp;
    }
}
