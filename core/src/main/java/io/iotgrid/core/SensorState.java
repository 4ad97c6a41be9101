package io.iotgrid.core;

/** The liveness of a sensor in {@link SensorStatus}: whether it still reports as usual. */
public enum SensorState {
    /** Its last reading arrived within its silent bound. */
    ONLINE,
    /** No reading for longer than its silent bound: several of its usual intervals, and at least a floor. */
    SILENT,
    /** No reading for longer than the offline bound, longer than the silent one. */
    OFFLINE
}
