package io.iotgrid.jobs;

import io.iotgrid.core.AlertRule;
import io.iotgrid.core.GridNames;
import io.iotgrid.core.HistoryTier;
import io.iotgrid.core.Measure;
import io.iotgrid.core.PlausibleRange;
import io.iotgrid.core.ReadingFormat;
import io.iotgrid.core.ReadingParser;
import io.iotgrid.core.settings.Setting;
import io.iotgrid.core.settings.SettingGroup;
import io.iotgrid.core.settings.Settings;
import io.iotgrid.core.settings.SettingsBuilder;
import io.iotgrid.core.settings.SettingsReader;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Settings of the {@link AggregationJob}. Each is declared once below (key, default, check, meaning); the README's
 * option tables list the same. Build them with {@link #builder()}, or read them from properties or job-jar
 * arguments with {@link #fromProperties} / {@link SettingsReader}; a bad value fails with a message that names
 * its key and the value.
 * <pre>{@code
 * AggregationSettings s = AggregationSettings.builder()
 *         .set(AggregationSettings.WINDOW_SIZE, Duration.ofSeconds(10))
 *         .set(AggregationSettings.EARLY_RESULTS_PERIOD, Duration.ofSeconds(1))
 *         .build();
 * }</pre>
 */
public final class AggregationSettings extends Settings {

    private static final long serialVersionUID = 1L;

    /** Every setting of the aggregation job. */
    public static final SettingGroup GROUP = new SettingGroup("aggregation");

    public static final Setting<ReadingFormat> READING_FORMAT = GROUP.add(Setting.of("reading.format",
            "flat or nested", ReadingFormat.nested(), ReadingFormat::named, AggregationSettings::formatName,
            "where payloads keep each field: `nested` (`{\"id\":…,\"payload\":{…}}`) or `flat`"));
    /**
     * {@code plausible.<measure>} per {@link Measure}, e.g. {@code plausible.temperature=-40..85}: readings with a
     * value outside the range are dead letters; defaults {@link Measure#defaultPlausibleRange()}.
     */
    public static final Map<Measure, Setting<PlausibleRange>> PLAUSIBLE = plausibleSettings();
    public static final Setting<Duration> WINDOW_SIZE = GROUP.add(Setting.duration("window.size",
            Duration.ofMinutes(1), "length of the tumbling windows").require(d -> d.toMillis() >= 1, "at least 1ms"));
    public static final Setting<Duration> ALLOWED_LATENESS = GROUP.add(Setting.duration("allowed.lateness",
            Duration.ofSeconds(5), "how far behind the newest event time a reading may be and still count in its "
                    + "window; later ones go to `late.readings.map`, counted in `lateReadings`").require(d -> !d.isNegative(),
            "zero or positive"));
    public static final Setting<Duration> EARLY_RESULTS_PERIOD = GROUP.add(Setting.duration("early.results.period",
            Duration.ofSeconds(5), "how often an open window's partial aggregates are written; `0s` for final "
                    + "results only").require(d -> !d.isNegative(), "zero or positive"));
    public static final Setting<Duration> QUIET_CLOSE_AFTER = GROUP.add(Setting.duration("quiet.close.after",
            Duration.ofSeconds(30), "when no readings arrive, event time follows the wall clock at this lag so "
                    + "quiet sensors' windows close; `none` for pure event time (replaying history)")
            .require(d -> d.toMillis() >= 1, "at least 1ms").orNone());
    public static final Setting<List<AlertRule>> ALERT_RULES = GROUP.add(Setting.of("alert.rules",
            "rules such as temperature>30, separated by ;", List.of(), AggregationSettings::parseRules,
            rules -> rules.stream().map(AlertRule::toString).collect(Collectors.joining(";")),
            "thresholds whose crossings are published as alerts, e.g. `temperature>30;humidity<15`"));
    public static final Setting<String> SENSOR_STATS_MAP = GROUP.add(Setting.string("sensor.stats.map",
            GridNames.SENSOR_STATS, "IMap of the latest window per sensor, early or final; its last closed window "
                    + "is in `<map>_closed`, its history in `<map>_history`"));
    public static final Setting<String> PLACE_STATS_MAP = GROUP.add(Setting.string("place.stats.map",
            GridNames.PLACE_STATS, "IMap of the latest window per place, early or final; its last closed window "
                    + "is in `<map>_closed`, its history in `<map>_history`"));
    public static final Setting<Duration> HISTORY_WINDOW_RETENTION = GROUP.add(retention(HistoryTier.WINDOW,
            Duration.ofHours(6), "how long each closed window stays in the history maps `<stats map>_history`"));
    public static final Setting<Duration> HISTORY_HOUR_RETENTION = GROUP.add(retention(HistoryTier.HOUR,
            Duration.ofDays(7), "how long each hour rolled up from the closed windows stays in "
                    + "`<stats map>_history_hour`"));
    public static final Setting<Duration> HISTORY_DAY_RETENTION = GROUP.add(retention(HistoryTier.DAY,
            Duration.ofDays(90), "how long each day (UTC) rolled up from the closed windows stays in "
                    + "`<stats map>_history_day`"));
    public static final Setting<Boolean> HISTORY_REVISIONS = GROUP.add(Setting.bool("history.revisions", true,
            "whether each reading too late for its window is also merged into that window's history (and its hour's "
            + "and day's), so history counts every reading even after the latest-window maps moved on"));
    public static final Setting<String> READINGS_RINGBUFFER = GROUP.add(Setting.string("readings.ringbuffer",
            GridNames.READINGS, "Ringbuffer of parsed readings; `none` keeps no readings, only their aggregates, and saves "
                    + "the job writing each one")
            .orNone());
    public static final Setting<String> ALERTS_TOPIC = GROUP.add(Setting.string("alerts.topic",
            GridNames.ALERTS, "ReliableTopic of alerts"));
    public static final Setting<String> DEAD_LETTERS_MAP = GROUP.add(Setting.string("dead.letters.map",
            GridNames.DEAD_LETTERS, "IMap of payloads that could not be parsed"));
    public static final Setting<String> LATE_READINGS_MAP = GROUP.add(Setting.string("late.readings.map",
            GridNames.LATE_READINGS, "IMap of readings too late for their window, keyed `<sensor>@<timestamp>`"));
    public static final Setting<Duplicates> DUPLICATES = GROUP.add(Setting.enumeration("duplicates",
            Duplicates.class, Duplicates.VALUES, "which repeated readings of a sensor count once in its open windows: "
                    + "`values` (same timestamp and values), `timestamp` (same timestamp), `off` (each counts; "
                    + "see docs/delivery.md)"));
    public static final Setting<Integer> DUPLICATES_MAX_PER_SENSOR = GROUP.add(Setting.integer(
            "duplicates.max.per.sensor", 100_000, "readings of one sensor remembered per open window to find "
                    + "duplicates; beyond, readings count unchecked, counted in `duplicateChecksSkipped`")
            .require(n -> n >= 1, "at least 1"));

    public static final Setting<Boolean> LIVENESS = GROUP.add(Setting.bool("liveness", true,
            "whether the job tracks each sensor's liveness in `sensor.status.map` and alerts when one goes quiet "
                    + "and when it comes back; anomaly alerts need it"));
    public static final Setting<Integer> SILENT_INTERVALS = GROUP.add(Setting.integer("liveness.silent.intervals", 3,
            "a sensor is SILENT after this many of its usual intervals without a reading (learned from its event "
                    + "times), and never before `liveness.silent.floor`").require(k -> k >= 1, "at least 1"));
    public static final Setting<Duration> SILENT_FLOOR = GROUP.add(Setting.duration("liveness.silent.floor",
            Duration.ofSeconds(30), "the least wall-clock silence that makes a sensor SILENT, whatever its usual "
                    + "interval").require(d -> d.toMillis() >= 1, "at least 1ms"));
    public static final Setting<Duration> OFFLINE_AFTER = GROUP.add(Setting.duration("liveness.offline.after",
            Duration.ofMinutes(10), "wall-clock silence after which a sensor is OFFLINE (or its silent bound, when "
                    + "that is longer); longer than `liveness.silent.floor`").require(d -> d.toMillis() >= 1,
            "at least 1ms"));
    public static final Setting<Duration> STATUS_REFRESH = GROUP.add(Setting.duration("liveness.status.refresh",
            Duration.ofSeconds(5), "how often at most an ONLINE sensor's entry in `sensor.status.map` is rewritten "
                    + "with its latest reading; changes of state are written at once")
            .require(d -> d.toMillis() >= 1, "at least 1ms"));
    public static final Setting<String> SENSOR_STATUS_MAP = GROUP.add(Setting.string("sensor.status.map",
            GridNames.SENSOR_STATUS, "IMap of each sensor's liveness: state, last reading, usual interval"));
    public static final Setting<Integer> ANOMALY_STUCK_READINGS = GROUP.add(Setting.integer("anomaly.stuck.readings",
            10, "an ANOMALY alert when a measure of a sensor has exactly the same value in this many consecutive "
                    + "readings (once per run of equal values); `none` for no such alert")
            .require(n -> n >= 2, "at least 2").orNone());
    public static final Setting<Double> ANOMALY_STDDEVS = GROUP.add(Setting.of("anomaly.deviation.stddevs",
            "a positive number", 4.0, Double::valueOf, String::valueOf,
            "an ANOMALY alert when a reading's value is more than this many standard deviations from the mean of "
                    + "the sensor's readings in its current and previous window; `none` for no such alert")
            .require(k -> k > 0 && Double.isFinite(k), "a positive number").orNone());
    public static final Setting<Integer> ANOMALY_MIN_READINGS = GROUP.add(Setting.integer("anomaly.deviation.min.readings",
            20, "how many readings of a measure the current and previous window must hold before a reading is "
                    + "judged against them").require(n -> n >= 2, "at least 2"));

    private AggregationSettings(Builder builder) {
        super(builder);
    }

    /** Every setting at its default. */
    public static AggregationSettings defaults() {
        return builder().build();
    }

    /** A builder with every setting at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Settings from properties with the keys of {@link #GROUP}, each absent key keeping its default. */
    public static AggregationSettings fromProperties(Properties props) {
        return builder().read(SettingsReader.of(props)).build();
    }

    /** {@link #READING_FORMAT}. */
    public ReadingFormat format() {
        return get(READING_FORMAT);
    }

    /** {@link #PLAUSIBLE}: the range of each measure. */
    public Map<Measure, PlausibleRange> plausibleRanges() {
        Map<Measure, PlausibleRange> ranges = new EnumMap<>(Measure.class);
        PLAUSIBLE.forEach((m, setting) -> ranges.put(m, get(setting)));
        return ranges;
    }

    /**
     * The parser of the job's payloads: {@link #READING_FORMAT} with the {@link #PLAUSIBLE} ranges, which every
     * source of the job (CoAP, MQTT, Kafka) reads with.
     */
    public ReadingParser parser() {
        return new ReadingParser(format(), plausibleRanges());
    }

    /** {@link #WINDOW_SIZE}. */
    public Duration windowSize() {
        return get(WINDOW_SIZE);
    }

    /** {@link #ALLOWED_LATENESS}. */
    public Duration allowedLateness() {
        return get(ALLOWED_LATENESS);
    }

    /** {@link #EARLY_RESULTS_PERIOD}; {@link Duration#ZERO} for final results only. */
    public Duration earlyResultsPeriod() {
        return get(EARLY_RESULTS_PERIOD);
    }

    /** {@link #QUIET_CLOSE_AFTER}; {@code null} for pure event time. */
    public Duration quietCloseAfter() {
        return get(QUIET_CLOSE_AFTER);
    }

    /** {@link #ALERT_RULES}. */
    public List<AlertRule> alertRules() {
        return get(ALERT_RULES);
    }

    /** {@link #SENSOR_STATS_MAP}. */
    public String sensorStatsMap() {
        return get(SENSOR_STATS_MAP);
    }

    /** {@link #PLACE_STATS_MAP}. */
    public String placeStatsMap() {
        return get(PLACE_STATS_MAP);
    }

    /**
     * How long each window of {@code tier} stays in history ({@link #HISTORY_WINDOW_RETENTION},
     * {@link #HISTORY_HOUR_RETENTION}, {@link #HISTORY_DAY_RETENTION}); {@link Duration#ZERO} when the tier is
     * not kept.
     */
    public Duration historyRetention(HistoryTier tier) {
        return get(retentionSetting(tier));
    }

    /** The retention setting of {@code tier}. */
    public static Setting<Duration> retentionSetting(HistoryTier tier) {
        return switch (tier) {
            case WINDOW -> HISTORY_WINDOW_RETENTION;
            case HOUR -> HISTORY_HOUR_RETENTION;
            case DAY -> HISTORY_DAY_RETENTION;
        };
    }

    /** {@link #HISTORY_REVISIONS}. */
    public boolean historyRevisions() {
        return get(HISTORY_REVISIONS);
    }

    /**
     * The tiers of history this job writes: {@link HistoryTier#WINDOW} when its retention is not zero, and each
     * rollup tier with a retention that is longer than the window size (a tier no longer than a window has nothing
     * to roll up).
     */
    public List<HistoryTier> historyTiers() {
        return Arrays.stream(HistoryTier.values())
                     .filter(t -> !historyRetention(t).isZero())
                     .filter(t -> t.length() == null || t.length().compareTo(windowSize()) > 0)
                     .toList();
    }

    /** {@link #READINGS_RINGBUFFER}; null when the job keeps no readings. */
    public String readingsRingbuffer() {
        return get(READINGS_RINGBUFFER);
    }

    /** {@link #ALERTS_TOPIC}. */
    public String alertsTopic() {
        return get(ALERTS_TOPIC);
    }

    /** {@link #DEAD_LETTERS_MAP}. */
    public String deadLettersMap() {
        return get(DEAD_LETTERS_MAP);
    }

    /** {@link #LIVENESS}. */
    public boolean liveness() {
        return get(LIVENESS);
    }

    /** {@link #SILENT_INTERVALS}. */
    public int silentIntervals() {
        return get(SILENT_INTERVALS);
    }

    /** {@link #SILENT_FLOOR}. */
    public Duration silentFloor() {
        return get(SILENT_FLOOR);
    }

    /** {@link #OFFLINE_AFTER}. */
    public Duration offlineAfter() {
        return get(OFFLINE_AFTER);
    }

    /** {@link #STATUS_REFRESH}. */
    public Duration statusRefresh() {
        return get(STATUS_REFRESH);
    }

    /** {@link #SENSOR_STATUS_MAP}. */
    public String sensorStatusMap() {
        return get(SENSOR_STATUS_MAP);
    }

    /** {@link #ANOMALY_STUCK_READINGS}; {@code null} for no stuck-value alerts. */
    public Integer anomalyStuckReadings() {
        return get(ANOMALY_STUCK_READINGS);
    }

    /** {@link #ANOMALY_STDDEVS}; {@code null} for no deviation alerts. */
    public Double anomalyStddevs() {
        return get(ANOMALY_STDDEVS);
    }

    /** {@link #ANOMALY_MIN_READINGS}. */
    public int anomalyMinReadings() {
        return get(ANOMALY_MIN_READINGS);
    }

    /** {@link #LATE_READINGS_MAP}. */
    public String lateReadingsMap() {
        return get(LATE_READINGS_MAP);
    }

    /** {@link #DUPLICATES}. */
    public Duplicates duplicates() {
        return get(DUPLICATES);
    }

    /** {@link #DUPLICATES_MAX_PER_SENSOR}. */
    public int duplicatesMaxPerSensor() {
        return get(DUPLICATES_MAX_PER_SENSOR);
    }

    /**
     * When two readings are the same, so that the windows count only the first ({@link #DUPLICATES}). A repeat is
     * recognised while its window is open; once the window has closed, a repeat is late like any reading and goes to
     * the late-readings map, where it replaces the first under the same key.
     */
    public enum Duplicates {
        /** Same sensor, event timestamp and measures' values (an absent measure equal to an absent one): the default. */
        VALUES,
        /** Same sensor and event timestamp, whatever the values: the first reading counts. */
        TIMESTAMP,
        /** No check: every reading counts, as often as it is delivered. */
        OFF
    }

    private static Setting<Duration> retention(HistoryTier tier, Duration defaultValue, String doc) {
        return Setting.duration("history." + tier.label() + ".retention", defaultValue, doc + "; `0s` keeps none")
                      .require(d -> !d.isNegative(), "zero or positive");
    }

    private static Map<Measure, Setting<PlausibleRange>> plausibleSettings() {
        Map<Measure, Setting<PlausibleRange>> settings = new EnumMap<>(Measure.class);
        for (Measure m : Measure.values()) {
            settings.put(m, GROUP.add(Setting.of("plausible." + m.key(), "a range such as -60..150",
                    m.defaultPlausibleRange(), PlausibleRange::parse, PlausibleRange::toString,
                    "a reading whose " + m.key() + " (" + m.unit() + ") is outside this range, bounds included, "
                            + "is a dead letter")));
        }
        return Collections.unmodifiableMap(settings);
    }

    private static String formatName(ReadingFormat format) {
        return format.equals(ReadingFormat.flat()) ? "flat" : format.equals(ReadingFormat.nested()) ? "nested"
                : format.toString();
    }

    private static List<AlertRule> parseRules(String text) {
        return Arrays.stream(text.split(";")).map(String::trim).filter(r -> !r.isEmpty()).map(AlertRule::parse)
                     .toList();
    }

    /** Builds {@link AggregationSettings}; {@link #build()} checks the early-results period against the window. */
    public static final class Builder extends SettingsBuilder<AggregationSettings, Builder> {

        private Builder() {
            super(GROUP);
        }

        private Builder(AggregationSettings from) {
            super(GROUP, from);
        }

        @Override
        protected void sanityCheck() {
            Duration early = get(EARLY_RESULTS_PERIOD);
            Duration window = get(WINDOW_SIZE);
            if (!early.isZero() && early.compareTo(window) >= 0) {
                throw new IllegalArgumentException(EARLY_RESULTS_PERIOD.key() + " must be shorter than "
                        + WINDOW_SIZE.key() + " (" + WINDOW_SIZE.format(window) + ") to give any early result, or 0s "
                        + "for final results only, was " + EARLY_RESULTS_PERIOD.format(early));
            }
            for (HistoryTier tier : HistoryTier.values()) {
                Setting<Duration> retention = retentionSetting(tier);
                boolean rolledUp = tier.length() != null && !get(retention).isZero()
                        && tier.length().compareTo(window) > 0;
                if (rolledUp && tier.length().toMillis() % window.toMillis() != 0) {
                    throw new IllegalArgumentException(WINDOW_SIZE.key() + " (" + WINDOW_SIZE.format(window)
                            + ") must divide " + (tier == HistoryTier.DAY ? "a day" : "an hour") + " to roll windows "
                            + "up into " + retention.key() + " (" + retention.format(get(retention)) + "), or set "
                            + retention.key() + "=0s to keep no " + tier.label() + " history");
                }
            }
            if (get(SENSOR_STATS_MAP).equals(get(PLACE_STATS_MAP))) {
                throw new IllegalArgumentException(SENSOR_STATS_MAP.key() + " and " + PLACE_STATS_MAP.key()
                        + " must differ, both were '" + get(SENSOR_STATS_MAP) + "'");
            }
            if (get(OFFLINE_AFTER).compareTo(get(SILENT_FLOOR)) <= 0) {
                throw new IllegalArgumentException(OFFLINE_AFTER.key() + " must be longer than " + SILENT_FLOOR.key()
                        + " (" + SILENT_FLOOR.format(get(SILENT_FLOOR)) + "), was "
                        + OFFLINE_AFTER.format(get(OFFLINE_AFTER)));
            }
        }

        @Override
        protected AggregationSettings create() {
            return new AggregationSettings(this);
        }
    }
}
