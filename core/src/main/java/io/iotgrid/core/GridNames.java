package io.iotgrid.core;

/**
 * Default names of the grid structures the jobs write, shared by jobs, clients and {@code cluster-config/}
 * (which tunes structures by these names). Every job lets you choose other names.
 */
public final class GridNames {

    /**
     * IMap: sensor id to the {@link WindowStats} of its latest window, early (filling) or final; its last closed
     * window is in {@link #closed(String) sensor_stats_closed}, every closed one in its {@link HistoryTier history}.
     */
    public static final String SENSOR_STATS = "sensor_stats";
    /** IMap: place id to the {@link WindowStats} of its latest window, early or final, as {@link #SENSOR_STATS}. */
    public static final String PLACE_STATS = "place_stats";
    /** Ringbuffer of every parsed {@link SensorReading}, oldest overwritten first. */
    public static final String READINGS = "sensor_readings";
    /** ReliableTopic of {@link ThresholdAlert}s of every {@link AlertKind}. */
    public static final String ALERTS = "sensor_alerts";
    /** IMap: sensor id to its {@link SensorStatus} (liveness). */
    public static final String SENSOR_STATUS = "sensor_status";
    /** IMap: random UUID to {@link DeadLetter}. */
    public static final String DEAD_LETTERS = "dead_letters";
    /** IMap: {@code <sensor>@<timestamp>} to {@link LateReading}, readings too late for their window. */
    public static final String LATE_READINGS = "late_readings";

    private GridNames() {
    }

    /**
     * The IMap of each key's last closed window (final result) beside the stats map {@code statsMap}, which shows
     * the window filling up: {@code sensor_stats_closed}, {@code place_stats_closed}.
     */
    public static String closed(String statsMap) {
        return statsMap + "_closed";
    }
}
