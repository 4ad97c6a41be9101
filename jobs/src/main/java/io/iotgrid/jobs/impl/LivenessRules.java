package io.iotgrid.jobs.impl;

import io.iotgrid.jobs.AggregationSettings;

import java.io.Serializable;

/**
 * The bounds of {@link SensorStageP}, in milliseconds, from {@link AggregationSettings}: taken out once, so the
 * processor reads plain fields per reading.
 *
 * @param silentIntervals how many usual intervals of silence make a sensor SILENT
 * @param silentFloorMs   the least silence that makes it SILENT
 * @param offlineAfterMs  the silence that makes it OFFLINE (or its silent bound, when longer)
 * @param refreshMs       how often at most an ONLINE sensor's status is rewritten
 * @param stuckReadings   equal consecutive values that raise an anomaly; 0 for none
 * @param stddevs         standard deviations from the recent mean that raise an anomaly; 0 for none
 * @param minReadings     readings of a measure the recent windows must hold before a reading is judged
 * @param windowMs        length of the windows the recent mean is taken over
 */
public record LivenessRules(int silentIntervals, long silentFloorMs, long offlineAfterMs, long refreshMs,
                            int stuckReadings, double stddevs, int minReadings, long windowMs)
        implements Serializable {

    /** The rules of {@code settings}. */
    public static LivenessRules of(AggregationSettings settings) {
        Integer stuck = settings.anomalyStuckReadings();
        Double stddevs = settings.anomalyStddevs();
        return new LivenessRules(settings.silentIntervals(), settings.silentFloor().toMillis(),
                settings.offlineAfter().toMillis(), settings.statusRefresh().toMillis(), stuck == null ? 0 : stuck,
                stddevs == null ? 0 : stddevs, settings.anomalyMinReadings(), settings.windowSize().toMillis());
    }
}
