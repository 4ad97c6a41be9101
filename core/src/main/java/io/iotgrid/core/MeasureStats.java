package io.iotgrid.core;

/**
 * Count, minimum, maximum and average of one measure over one window. Min, max and average are {@code null}
 * when no reading in the window carried the measure ({@code count == 0}).
 */
public record MeasureStats(long count, Double min, Double max, Double avg) {

    /** Stats of a measure no reading carried. */
    public static final MeasureStats NONE = new MeasureStats(0, null, null, null);
}
