package io.iotgrid.core;

import java.time.Duration;
import java.util.Locale;

/**
 * The tiers of window history the aggregation job keeps per sensor and per place: every closed window of the job
 * ({@link #WINDOW}, e.g. a minute), and its rollups into {@link #HOUR}s and {@link #DAY}s (UTC). Each tier is an
 * IMap of {@link HistoryBlock}s, one entry per id and block of windows, named after the stats map it belongs to:
 * {@code sensor_stats_history}, {@code sensor_stats_history_hour}, {@code sensor_stats_history_day} (and the
 * same for {@code place_stats}), keyed by {@link #key(String, long)} with the block's start. Only final results
 * enter history, never early ones; a window written again (after a restore) replaces its slot in its block.
 */
public enum HistoryTier {

    /** Every closed window of the job's window size. */
    WINDOW(null),
    /** Hours of event time, rolled up from the closed windows (exact: accumulators merged, not averages). */
    HOUR(Duration.ofHours(1)),
    /** Days of event time (UTC), rolled up like hours. */
    DAY(Duration.ofDays(1));

    private final Duration length;

    HistoryTier(Duration length) {
        this.length = length;
    }

    /** The length of this tier's windows; {@code null} for {@link #WINDOW}, whose length is the job's window size. */
    public Duration length() {
        return length;
    }

    /** The tier's name as settings and command lines write it: {@code window}, {@code hour}, {@code day}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The history IMap of this tier for the stats map {@code statsMap}, e.g. {@code place_stats_history_hour}. */
    public String mapName(String statsMap) {
        return statsMap + "_history" + (this == WINDOW ? "" : "_" + label());
    }

    /**
     * The key of a history entry: {@code id@blockStart}, e.g. {@code p-3@1764806400000}, so a block is addressable
     * by id and start ({@link HistoryBlock#blockStart(HistoryTier, long)}), and a late update of a window goes
     * into its block.
     */
    public static String key(String id, long blockStart) {
        return id + '@' + blockStart;
    }

    /** The tier labelled {@code label} ({@link #label()}), ignoring case. */
    public static HistoryTier of(String label) {
        for (HistoryTier t : values()) {
            if (t.label().equalsIgnoreCase(label)) {
                return t;
            }
        }
        throw new IllegalArgumentException("a history tier is window, hour or day, was '" + label + "'");
    }
}
