package io.iotgrid.core;

/**
 * A reading that crossed an {@link AlertRule}: the message type of the {@value GridNames#ALERTS} topic.
 *
 * @param sensorId  the sensor
 * @param placeId   its place
 * @param timestamp event time of the reading, epoch milliseconds
 * @param measure   the measure's key, e.g. {@code temperature}
 * @param value     the value read
 * @param rule      the rule it broke, e.g. {@code temperature>30.0}
 */
public record ThresholdAlert(String sensorId, String placeId, long timestamp, String measure, double value,
                             String rule) {
}
