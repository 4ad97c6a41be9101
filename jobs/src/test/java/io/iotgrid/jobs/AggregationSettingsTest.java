package io.iotgrid.jobs;

import com.hazelcast.jet.pipeline.test.TestSources;
import io.iotgrid.core.DeadLetter;
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
