package io.iotgrid.jobs;

import io.iotgrid.core.AlertRule;
import io.iotgrid.core.Durations;
import io.iotgrid.core.GridNames;
import io.iotgrid.core.ReadingFormat;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Settings of the {@link AggregationJob}, validated when built: a bad value fails with a message that names
 * its key. Start from {@link #defaults()} and change what differs with the {@code with...} methods. Checks
 * that relate two settings run in {@link AggregationJob#build}, so a chain of {@code with...} calls may pass
 * through a combination that is not valid yet.
 *
 * @param format             where payloads keep each field; default {@link ReadingFormat#nested()}
 * @param windowSize         length of the tumbling windows; default 1 minute
 * @param allowedLateness    how far behind the newest event time a reading may be and still count in its
 *                           window; default 5 s. Later readings stay in the readings Ringbuffer but are left
 *                           out of the aggregates (Jet counts them in its {@code lateEventsDropped} metric)
 * @param earlyResultsPeriod how often an open window's partial aggregates are written; default 5 s,
 *                           {@link Duration#ZERO} for final results only; otherwise shorter than the window
 * @param quietCloseAfter    when no readings arrive, event time follows the wall clock at this lag, so the
 *                           windows of sensors that went quiet still close; default 30 s. Readings stamped
 *                           more than this (plus the allowed lateness) behind the wall clock count as late.
 *                           {@code null} for pure event time, e.g. when replaying history from Kafka
 * @param alertRules         thresholds whose crossings are published as alerts; default none
 * @param sensorStatsMap     IMap of the latest window per sensor; default {@value GridNames#SENSOR_STATS}
 * @param placeStatsMap      IMap of the latest window per place; default {@value GridNames#PLACE_STATS}
 * @param readingsRingbuffer Ringbuffer of parsed readings; default {@value GridNames#READINGS}
 * @param alertsTopic        ReliableTopic of alerts; default {@value GridNames#ALERTS}
 * @param deadLettersMap     IMap of payloads that could not be parsed; default {@value GridNames#DEAD_LETTERS}
 */
public record AggregationSettings(
        ReadingFormat format,
        Duration windowSize,
        Duration allowedLateness,
        Duration earlyResultsPeriod,
        Duration quietCloseAfter,
        List<AlertRule> alertRules,
        String sensorStatsMap,
        String placeStatsMap,
        String readingsRingbuffer,
        String alertsTopic,
        String deadLettersMap
) implements Serializable {

    public AggregationSettings {
        if (format == null) {
            throw new IllegalArgumentException("format must not be null");
        }
        requirePositive("windowSize", windowSize);
        requireNotNegative("allowedLateness", allowedLateness);
        requireNotNegative("earlyResultsPeriod", earlyResultsPeriod);
        if (quietCloseAfter != null) {
            requirePositive("quietCloseAfter", quietCloseAfter);
        }
        if (alertRules == null) {
            throw new IllegalArgumentException("alertRules must not be null; use an empty list for no alerts");
        }
        alertRules = List.copyOf(alertRules);
        requireName("sensorStatsMap", sensorStatsMap);
        requireName("placeStatsMap", placeStatsMap);
        requireName("readingsRingbuffer", readingsRingbuffer);
        requireName("alertsTopic", alertsTopic);
        requireName("deadLettersMap", deadLettersMap);
        if (sensorStatsMap.equals(placeStatsMap)) {
            throw new IllegalArgumentException("sensorStatsMap and placeStatsMap must differ, both were '"
                    + sensorStatsMap + "'");
        }
    }

    /** The defaults listed on the record's components. */
    public static AggregationSettings defaults() {
        return new AggregationSettings(ReadingFormat.nested(), Duration.ofMinutes(1), Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofSeconds(30), List.of(), GridNames.SENSOR_STATS,
                GridNames.PLACE_STATS, GridNames.READINGS, GridNames.ALERTS, GridNames.DEAD_LETTERS);
    }

    /**
     * Settings from properties, each absent key keeping its default: {@code reading.format} ({@code nested} or
     * {@code flat}), {@code window.size}, {@code allowed.lateness}, {@code early.results.period},
     * {@code quiet.close.after} (durations such as {@code 500ms}, {@code 90s}, {@code 5m}, {@code 1h} or ISO-8601;
     * {@code none} for pure event time), {@code alert.rules} ({@code ;}-separated, e.g.
     * {@code temperature>30;humidity<15}), and the structure names {@code sensor.stats.map},
     * {@code place.stats.map}, {@code readings.ringbuffer}, {@code alerts.topic}, {@code dead.letters.map}.
     * Unlike the {@code with...} copies, the result is checked whole ({@link #requireConsistent()}), since every
     * value is known here: a job jar then rejects a bad pair of keys before it connects.
     */
    public static AggregationSettings fromProperties(Properties props) {
        AggregationSettings d = defaults();
        String quiet = props.getProperty("quiet.close.after");
        List<AlertRule> rules = new ArrayList<>();
        String ruleText = props.getProperty("alert.rules", "");
        for (String rule : ruleText.split(";")) {
            if (!rule.isBlank()) {
                rules.add(AlertRule.parse(rule.trim()));
            }
        }
        AggregationSettings settings = new AggregationSettings(
                ReadingFormat.named(props.getProperty("reading.format", "nested").trim()),
                duration(props, "window.size", d.windowSize()),
                duration(props, "allowed.lateness", d.allowedLateness()),
                duration(props, "early.results.period", d.earlyResultsPeriod()),
                "none".equals(quiet == null ? null : quiet.trim()) ? null
                        : duration(props, "quiet.close.after", d.quietCloseAfter()),
                rules,
                props.getProperty("sensor.stats.map", d.sensorStatsMap()).trim(),
                props.getProperty("place.stats.map", d.placeStatsMap()).trim(),
                props.getProperty("readings.ringbuffer", d.readingsRingbuffer()).trim(),
                props.getProperty("alerts.topic", d.alertsTopic()).trim(),
                props.getProperty("dead.letters.map", d.deadLettersMap()).trim());
        try {
            return settings.requireConsistent();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("early.results.period and window.size: " + e.getMessage(), e);
        }
    }

    /**
     * Checks what no single {@code with...} copy can, because a chain of them may pass through a transient
     * combination: an early-results period shorter than the window (or zero). Jobs call it when they are built.
     *
     * @return these settings
     * @throws IllegalArgumentException naming both values
     */
    public AggregationSettings requireConsistent() {
        if (!earlyResultsPeriod.isZero() && earlyResultsPeriod.compareTo(windowSize) >= 0) {
            throw new IllegalArgumentException("earlyResultsPeriod must be shorter than windowSize (" + windowSize
                    + ") to give any early result, was " + earlyResultsPeriod);
        }
        return this;
    }

    /**
     * The duration at {@code key}, or {@code defaultValue} when absent: {@code 500ms}, {@code 90s}, {@code 5m},
     * {@code 1h}, or ISO-8601 such as {@code PT2M}.
     */
    static Duration duration(Properties props, String key, Duration defaultValue) {
        String value = props.getProperty(key);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        return Durations.parse(key, value.trim());
    }

    public AggregationSettings withFormat(ReadingFormat value) {
        return new AggregationSettings(value, windowSize, allowedLateness, earlyResultsPeriod, quietCloseAfter,
                alertRules, sensorStatsMap, placeStatsMap, readingsRingbuffer, alertsTopic, deadLettersMap);
    }

    public AggregationSettings withWindowSize(Duration value) {
        return new AggregationSettings(format, value, allowedLateness, earlyResultsPeriod, quietCloseAfter,
                alertRules, sensorStatsMap, placeStatsMap, readingsRingbuffer, alertsTopic, deadLettersMap);
    }

    public AggregationSettings withAllowedLateness(Duration value) {
        return new AggregationSettings(format, windowSize, value, earlyResultsPeriod, quietCloseAfter,
                alertRules, sensorStatsMap, placeStatsMap, readingsRingbuffer, alertsTopic, deadLettersMap);
    }

    public AggregationSettings withEarlyResultsPeriod(Duration value) {
        return new AggregationSettings(format, windowSize, allowedLateness, value, quietCloseAfter,
                alertRules, sensorStatsMap, placeStatsMap, readingsRingbuffer, alertsTopic, deadLettersMap);
    }

    public AggregationSettings withQuietCloseAfter(Duration value) {
        return new AggregationSettings(format, windowSize, allowedLateness, earlyResultsPeriod, value,
                alertRules, sensorStatsMap, placeStatsMap, readingsRingbuffer, alertsTopic, deadLettersMap);
    }

    public AggregationSettings withAlertRules(List<AlertRule> value) {
        return new AggregationSettings(format, windowSize, allowedLateness, earlyResultsPeriod, quietCloseAfter,
                value, sensorStatsMap, placeStatsMap, readingsRingbuffer, alertsTopic, deadLettersMap);
    }

    /** All five structure names at once, in the order of the record's components. */
    public AggregationSettings withNames(String sensorStats, String placeStats, String readings, String alerts,
                                         String deadLetters) {
        return new AggregationSettings(format, windowSize, allowedLateness, earlyResultsPeriod, quietCloseAfter,
                alertRules, sensorStats, placeStats, readings, alerts, deadLetters);
    }

    private static void requirePositive(String key, Duration d) {
        if (d == null || d.isNegative() || d.isZero() || d.toMillis() == 0) {
            throw new IllegalArgumentException(key + " must be at least 1 ms, was " + d);
        }
    }

    private static void requireNotNegative(String key, Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(key + " must be zero or positive, was " + d);
        }
    }

    private static void requireName(String key, String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(key + " must be a structure name, was '" + name + "'");
        }
    }
}
