package io.iotgrid.core;

/**
 * The liveness of one sensor: the value type of the {@value GridNames#SENSOR_STATUS} map, keyed by sensor id,
 * written by the aggregation job when the sensor's state changes and at most once per its silent bound while it
 * reports. Stored with Compact serialization ({@link SensorStatusSerializer}, the same schema as zero-config: the
 * state as its name), so SQL ({@link SqlMappings}) and clients in other languages read every field.
 *
 * @param sensorId     the sensor, the map key
 * @param placeId      its place, from its last reading
 * @param state        whether it still reports
 * @param lastEventAt  event time of its last reading, epoch ms
 * @param lastSeenAt   wall-clock time its last reading reached the job, epoch ms
 * @param intervalMs   its usual interval between readings in event time, learned from its readings (an
 *                     exponentially weighted mean); 0 until it has sent two
 * @param silentAfterMs how long it may be quiet before it is {@link SensorState#SILENT}: the larger of a number of
 *                     its usual intervals and a floor
 * @param stateSince   wall-clock time of the last change of {@code state}, epoch ms
 */
public record SensorStatus(String sensorId, String placeId, SensorState state, long lastEventAt, long lastSeenAt,
                           long intervalMs, long silentAfterMs, long stateSince) {
}
