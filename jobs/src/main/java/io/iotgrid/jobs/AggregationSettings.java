package io.iotgrid.jobs;

import io.iotgrid.core.AlertRule;
import io.iotgrid.core.GridNames;
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
                    + "window; later ones are counted in `lateEventsDropped`").require(d -> !d.isNegative(),
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
            GridNames.SENSOR_STATS, "IMap of the latest window per sensor"));
    public static final Setting<String> PLACE_STATS_MAP = GROUP.add(Setting.string("place.stats.map",
            GridNames.PLACE_STATS, "IMap of the latest window per place"));
    public static final Setting<String> READINGS_RINGBUFFER = GROUP.add(Setting.string("readings.ringbuffer",
            GridNames.READINGS, "Ringbuffer of parsed readings"));
    public static final Setting<String> ALERTS_TOPIC = GROUP.add(Setting.string("alerts.topic",
            GridNames.ALERTS, "ReliableTopic of alerts"));
    public static final Setting<String> DEAD_LETTERS_MAP = GROUP.add(Setting.string("dead.letters.map",
            GridNames.DEAD_LETTERS, "IMap of payloads that could not be parsed"));

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

    /** {@link #READINGS_RINGBUFFER}. */
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
            if (get(SENSOR_STATS_MAP).equals(get(PLACE_STATS_MAP))) {
                throw new IllegalArgumentException(SENSOR_STATS_MAP.key() + " and " + PLACE_STATS_MAP.key()
                        + " must differ, both were '" + get(SENSOR_STATS_MAP) + "'");
            }
        }

        @Override
        protected AggregationSettings create() {
            return new AggregationSettings(this);
        }
    }
}
