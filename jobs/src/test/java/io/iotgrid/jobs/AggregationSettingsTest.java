package io.iotgrid.jobs;

import com.hazelcast.jet.pipeline.test.TestSources;
import io.iotgrid.core.DeadLetter;
import io.iotgrid.core.HistoryTier;
import io.iotgrid.core.Measure;
import io.iotgrid.core.PlausibleRange;
import io.iotgrid.core.RawReading;
import io.iotgrid.core.ReadingFormat;
import io.iotgrid.core.ReadingParser;
import io.iotgrid.core.SensorReading;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;

import static io.iotgrid.jobs.AggregationSettings.ALERT_RULES;
import static io.iotgrid.jobs.AggregationSettings.ALLOWED_LATENESS;
import static io.iotgrid.jobs.AggregationSettings.PLAUSIBLE;
import static io.iotgrid.jobs.AggregationSettings.PLACE_STATS_MAP;
import static io.iotgrid.jobs.AggregationSettings.QUIET_CLOSE_AFTER;
import static io.iotgrid.jobs.AggregationSettings.READINGS_RINGBUFFER;
import static io.iotgrid.jobs.AggregationSettings.SENSOR_STATS_MAP;
import static io.iotgrid.jobs.AggregationSettings.WINDOW_SIZE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AggregationSettingsTest {

    private static final ReadingParser PARSER = new ReadingParser(ReadingFormat.nested());

    @Test
    void when_defaults_then_documentedValues() {
        AggregationSettings d = AggregationSettings.defaults();

        assertThat(d.windowSize()).isEqualTo(Duration.ofMinutes(1));
        assertThat(d.allowedLateness()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.earlyResultsPeriod()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.quietCloseAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.alertRules()).isEmpty();
        assertThat(d.sensorStatsMap()).isEqualTo("sensor_stats");
        assertThat(d.placeStatsMap()).isEqualTo("place_stats");
        assertThat(d.readingsRingbuffer()).isEqualTo("sensor_readings");
        assertThat(d.alertsTopic()).isEqualTo("sensor_alerts");
        assertThat(d.deadLettersMap()).isEqualTo("dead_letters");
        assertThat(d.lateReadingsMap()).isEqualTo("late_readings");
        assertThat(d.duplicates()).isEqualTo(AggregationSettings.Duplicates.VALUES);
        assertThat(d.duplicatesMaxPerSensor()).isEqualTo(100_000);
        assertThat(d.liveness()).isTrue();
        assertThat(d.silentIntervals()).isEqualTo(3);
        assertThat(d.silentFloor()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.offlineAfter()).isEqualTo(Duration.ofMinutes(10));
        assertThat(d.statusRefresh()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.sensorStatusMap()).isEqualTo("sensor_status");
        assertThat(d.anomalyStuckReadings()).isEqualTo(10);
        assertThat(d.anomalyStddevs()).isEqualTo(4.0);
        assertThat(d.anomalyMinReadings()).isEqualTo(20);
        assertThat(d.historyRetention(HistoryTier.WINDOW)).isEqualTo(Duration.ofHours(6));
        assertThat(d.historyRetention(HistoryTier.HOUR)).isEqualTo(Duration.ofDays(7));
        assertThat(d.historyRetention(HistoryTier.DAY)).isEqualTo(Duration.ofDays(90));
        assertThat(d.historyTiers()).containsExactly(HistoryTier.WINDOW, HistoryTier.HOUR, HistoryTier.DAY);
    }

    @Test
    void when_duplicateSettingsRead_then_anyCaseAndCapChecked() {
        Properties props = new Properties();
        props.setProperty("duplicates", "Timestamp");
        props.setProperty("duplicates.max.per.sensor", "500");
        props.setProperty("late.readings.map", "late_b");

        AggregationSettings s = AggregationSettings.fromProperties(props);

        assertThat(s.duplicates()).isEqualTo(AggregationSettings.Duplicates.TIMESTAMP);
        assertThat(s.duplicatesMaxPerSensor()).isEqualTo(500);
        assertThat(s.lateReadingsMap()).isEqualTo("late_b");
        assertThatThrownBy(() -> AggregationSettings.builder().set(AggregationSettings.DUPLICATES_MAX_PER_SENSOR, 0))
                .hasMessage("duplicates.max.per.sensor must be at least 1, was '0'");
        props.setProperty("duplicates", "sometimes");
        assertThatThrownBy(() -> AggregationSettings.fromProperties(props)).hasMessageContaining("duplicates")
                .hasMessageContaining("one of values, timestamp, off").hasMessageContaining("sometimes");
    }

    @Test
    void when_livenessBoundsContradict_then_messagesNameTheKeys() {
        Properties props = new Properties();
        props.setProperty("liveness.silent.floor", "1m");
        props.setProperty("liveness.offline.after", "60s");
        assertThatThrownBy(() -> AggregationSettings.fromProperties(props))
                .hasMessage("liveness.offline.after must be longer than liveness.silent.floor (1m), was 1m");

        Properties stuck = new Properties();
        stuck.setProperty("anomaly.stuck.readings", "1");
        assertThatThrownBy(() -> AggregationSettings.fromProperties(stuck))
                .hasMessage("anomaly.stuck.readings must be at least 2, was '1'");
        Properties off = new Properties();
        off.setProperty("anomaly.stuck.readings", "none");
        off.setProperty("anomaly.deviation.stddevs", "none");
        AggregationSettings none = AggregationSettings.fromProperties(off);
        assertThat(none.anomalyStuckReadings()).isNull();
        assertThat(none.anomalyStddevs()).isNull();
        Properties negative = new Properties();
        negative.setProperty("anomaly.deviation.stddevs", "-1");
        assertThatThrownBy(() -> AggregationSettings.fromProperties(negative))
                .hasMessage("anomaly.deviation.stddevs must be a positive number, was '-1'");
    }

    @Test
    void when_retentionZeroOrTierNotLongerThanWindow_then_tierNotWritten() {
        AggregationSettings noMinutes = AggregationSettings.builder()
                .set(AggregationSettings.HISTORY_WINDOW_RETENTION, Duration.ZERO).build();
        AggregationSettings hourWindows = AggregationSettings.builder().set(WINDOW_SIZE, Duration.ofHours(1)).build();

        assertThat(noMinutes.historyTiers()).containsExactly(HistoryTier.HOUR, HistoryTier.DAY);
        assertThat(hourWindows.historyTiers()).containsExactly(HistoryTier.WINDOW, HistoryTier.DAY);
    }

    @Test
    void when_windowDoesNotDivideRollupTier_then_buildRejectsNamingBothKeys() {
        AggregationSettings.Builder b = AggregationSettings.builder().set(WINDOW_SIZE, Duration.ofSeconds(7));

        assertThatThrownBy(b::build)
                .hasMessage("window.size (7s) must divide an hour to roll windows up into history.hour.retention "
                        + "(7d), or set history.hour.retention=0s to keep no hour history");
        assertThatThrownBy(() -> AggregationSettings.builder().set(WINDOW_SIZE, Duration.ofHours(5)).build())
                .hasMessage("window.size (5h) must divide a day to roll windows up into history.day.retention "
                        + "(90d), or set history.day.retention=0s to keep no day history");
        assertThat(b.set(AggregationSettings.HISTORY_HOUR_RETENTION, Duration.ZERO)
                    .set(AggregationSettings.HISTORY_DAY_RETENTION, Duration.ZERO).build().historyTiers())
                .containsExactly(HistoryTier.WINDOW);
    }

    @Test
    void when_valueInvalid_then_messageNamesKeyAndValue() {
        AggregationSettings.Builder b = AggregationSettings.builder();

        assertThatThrownBy(() -> b.set(WINDOW_SIZE, Duration.ZERO))
                .hasMessage("window.size must be at least 1ms, was '0s'");
        assertThatThrownBy(() -> b.set(ALLOWED_LATENESS, Duration.ofSeconds(-1)))
                .hasMessage("allowed.lateness must be zero or positive, was '-1s'");
        assertThatThrownBy(() -> b.set(QUIET_CLOSE_AFTER, Duration.ZERO))
                .hasMessage("quiet.close.after must be at least 1ms, was '0s'");
        assertThatThrownBy(() -> b.set(SENSOR_STATS_MAP, "same").set(PLACE_STATS_MAP, "same").build())
                .hasMessage("sensor.stats.map and place.stats.map must differ, both were 'same'");
        assertThatThrownBy(() -> b.set(READINGS_RINGBUFFER, " "))
                .hasMessage("readings.ringbuffer must be non-blank, was ' '");
        assertThatThrownBy(() -> b.set(ALERT_RULES, null))
                .hasMessage("alert.rules is required: thresholds whose crossings are published as alerts, e.g. "
                        + "`temperature>30;humidity<15`");
    }

    @Test
    void when_earlyResultsNotShorterThanWindow_then_buildRejects() {
        AggregationSettings.Builder b = AggregationSettings.builder().set(WINDOW_SIZE, Duration.ofSeconds(5));

        assertThatThrownBy(b::build)
                .hasMessage("early.results.period must be shorter than window.size (5s) to give any early result, "
                        + "or 0s for final results only, was 5s");
    }

    @Test
    void when_propertiesGiveEarlyResultsNotShorterThanWindow_then_fromPropertiesRejectsNamingBothKeys() {
        Properties props = new Properties();
        props.setProperty("window.size", "5s");

        assertThatThrownBy(() -> AggregationSettings.fromProperties(props))
                .hasMessage("early.results.period must be shorter than window.size (5s) to give any early result, "
                        + "or 0s for final results only, was 5s");
    }

    @Test
    void when_settingsValid_then_pipelineBuildsWithSerializableFunctions() {
        // Jet checks that every function of every stage is serializable while the pipeline is built.
        assertThat(AggregationJob.build(TestSources.itemStream(1,
                        (ts, seq) -> PARSER.parse(new RawReading("t", ts, new byte[0]))),
                AggregationSettings.builder().set(AggregationSettings.ALERT_RULES, java.util.List.of(
                        io.iotgrid.core.AlertRule.parse("temperature>30"))).build()).toDag().vertices())
                .isNotEmpty();
    }

    @Test
    void when_plausibleRangesNotSet_then_eachMeasuresDefaultAndParserUsesThem() {
        AggregationSettings d = AggregationSettings.defaults();

        for (Measure m : Measure.values()) {
            assertThat(d.plausibleRanges()).containsEntry(m, m.defaultPlausibleRange());
            assertThat(PLAUSIBLE.get(m).key()).isEqualTo("plausible." + m.key());
        }
        assertThat(d.plausibleRanges().get(Measure.TEMPERATURE)).hasToString("-60..150");
        assertThat(d.parser().plausibleRanges()).isEqualTo(d.plausibleRanges());
        assertThat(d.parser().format()).isEqualTo(d.format());
    }

    @Test
    void when_plausibleRangeInProperties_then_parserRefusesValuesOutsideIt() {
        Properties props = new Properties();
        props.setProperty("plausible.temperature", "-40..85");
        ReadingParser parser = AggregationSettings.fromProperties(props).parser();

        assertThat(parser.parse(raw("{\"id\":\"s\",\"place_id\":\"p\",\"timestamp\":1,"
                + "\"payload\":{\"temperature\":85}}"))).isInstanceOf(SensorReading.class);
        assertThat(((DeadLetter) parser.parse(raw("{\"id\":\"s\",\"place_id\":\"p\",\"timestamp\":1,"
                + "\"payload\":{\"temperature\":90}}"))).reason())
                .isEqualTo("field 'payload.temperature': temperature 90 is outside the plausible range -40..85");
        assertThat(parser.plausibleRanges().get(Measure.HUMIDITY)).isEqualTo(new PlausibleRange(0, 100));
    }

    @Test
    void when_plausibleRangeInvalid_then_messageNamesKeyAndValue() {
        Properties props = new Properties();
        props.setProperty("plausible.humidity", "100..0");

        assertThatThrownBy(() -> AggregationSettings.fromProperties(props))
                .hasMessage("plausible.humidity must be a range such as -60..150, was '100..0'");
    }

    private static RawReading raw(String json) {
        return new RawReading("t", 1, json.getBytes(StandardCharsets.UTF_8));
    }
}
