package io.iotgrid.core;

/**
 * An alert: the message type of the {@value GridNames#ALERTS} topic. Most come from a reading that crossed an
 * {@link AlertRule}; {@link #kind()} says which of {@link AlertKind} raised it, and what the other fields then hold.
 *
 * @param sensorId  the sensor
 * @param placeId   its place
 * @param timestamp event time of the reading (for a status change, of the sensor's last reading), epoch ms
 * @param measure   the measure's key, e.g. {@code temperature}; null for a {@link AlertKind#STATUS} alert
 * @param value     the value read; for a {@link AlertKind#STATUS} alert, the seconds since the last reading
 * @param rule      the rule it broke, e.g. {@code temperature>30.0}, or the change, e.g. {@code ONLINE->SILENT}
 * @param kind      what raised it
 */
public record ThresholdAlert(String sensorId, String placeId, long timestamp, String measure, double value,
                             String rule, AlertKind kind) {

    /** A {@link AlertKind#THRESHOLD} alert. */
    public ThresholdAlert(String sensorId, String placeId, long timestamp, String measure, double value,
                          String rule) {
        this(sensorId, placeId, timestamp, measure, value, rule, AlertKind.THRESHOLD);
    }
}
