package io.iotgrid.core;

import java.io.Serializable;

/**
 * A threshold on one measure, written {@code temperature>30} or {@code humidity<15}: a reading whose value is
 * strictly above (or below) the limit raises a {@link ThresholdAlert}.
 *
 * @param measure the measure watched
 * @param above   {@code true} for {@code >}, {@code false} for {@code <}
 * @param limit   the threshold
 */
public record AlertRule(Measure measure, boolean above, double limit) implements Serializable {

    public AlertRule {
        if (measure == null) {
            throw new IllegalArgumentException("alert rule needs a measure");
        }
        if (!Double.isFinite(limit)) {
            throw new IllegalArgumentException("alert rule limit must be a finite number, was " + limit);
        }
    }

    /** Parses {@code temperature>30}, {@code luminosity<5.5}; white space around the parts is ignored. */
    public static AlertRule parse(String text) {
        int gt = text.indexOf('>');
        int lt = text.indexOf('<');
        int op = gt >= 0 ? gt : lt;
        if (op <= 0 || (gt >= 0 && lt >= 0) || text.indexOf(text.charAt(op), op + 1) >= 0) {
            throw new IllegalArgumentException("alert rule '" + text + "' must look like temperature>30 or humidity<15");
        }
        Measure measure = Measure.ofKey(text.substring(0, op).trim());
        String limit = text.substring(op + 1).trim();
        try {
            return new AlertRule(measure, text.charAt(op) == '>', Double.parseDouble(limit));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("alert rule '" + text + "' has no number after '" + text.charAt(op)
                    + "': '" + limit + "'");
        }
    }

    /** The alert for {@code reading}, or {@code null} when it keeps to the rule or lacks the measure. */
    public ThresholdAlert check(SensorReading reading) {
        double v = reading.value(measure);
        if (Double.isNaN(v) || (above ? v <= limit : v >= limit)) {
            return null;
        }
        return new ThresholdAlert(reading.sensorId(), reading.placeId(), reading.timestamp(), measure.key(), v,
                toString());
    }

    @Override
    public String toString() {
        return measure.key() + (above ? '>' : '<') + limit;
    }
}
