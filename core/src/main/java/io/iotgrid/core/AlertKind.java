package io.iotgrid.core;

/**
 * What raised a {@link ThresholdAlert}, so one alerts topic carries every kind and a reader can tell them apart
 * (Compact and SQL see it as the constant's name).
 */
public enum AlertKind {
    /**
     * A reading crossed an {@link AlertRule}: {@code measure} and {@code value} are the reading's, {@code rule} the
     * rule it broke, e.g. {@code temperature>30.0}.
     */
    THRESHOLD,
    /**
     * A sensor's liveness changed ({@link SensorState}): {@code measure} is null, {@code value} the seconds since its
     * last reading, {@code rule} the change, e.g. {@code ONLINE->SILENT}; the timestamp is the event time of its
     * last reading.
     */
    STATUS,
    /**
     * A reading looked wrong for its sensor: its value stuck at the same number, or far from the sensor's recent
     * readings. {@code measure} and {@code value} are the reading's, {@code rule} says which test and why; the
     * reading still counts in every window.
     */
    ANOMALY
}
