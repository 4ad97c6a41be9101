package io.iotgrid.jobs;

import com.hazelcast.jet.pipeline.test.TestSources;
import io.iotgrid.core.RawReading;
import io.iotgrid.core.ReadingFormat;
import io.iotgrid.core.ReadingParser;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Properties;

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
        AggregationSettings d = AggregationSettings.defaults();

        assertThatThrownBy(() -> d.withWindowSize(Duration.ZERO))
                .hasMessage("windowSize must be at least 1 ms, was PT0S");
        assertThatThrownBy(() -> d.withAllowedLateness(Duration.ofSeconds(-1)))
                .hasMessage("allowedLateness must be zero or positive, was PT-1S");
        assertThatThrownBy(() -> d.withQuietCloseAfter(Duration.ZERO))
                .hasMessage("quietCloseAfter must be at least 1 ms, was PT0S");
        assertThatThrownBy(() -> d.withNames("same", "same", "r", "a", "d"))
                .hasMessage("sensorStatsMap and placeStatsMap must differ, both were 'same'");
        assertThatThrownBy(() -> d.withNames("s", "p", " ", "a", "d"))
                .hasMessage("readingsRingbuffer must be a structure name, was ' '");
        assertThatThrownBy(() -> d.withAlertRules(null))
                .hasMessage("alertRules must not be null; use an empty list for no alerts");
    }

    @Test
    void when_earlyResultsNotShorterThanWindow_then_buildRejects() {
        AggregationSettings s = AggregationSettings.defaults().withWindowSize(Duration.ofSeconds(5));

        assertThatThrownBy(() -> AggregationJob.build(TestSources.itemStream(1, (ts, seq) ->
                PARSER.parse(new RawReading("t", ts, new byte[0]))), s))
                .hasMessage("earlyResultsPeriod must be shorter than windowSize (PT5S) to give any early result, "
                        + "was PT5S");
    }

    @Test
    void when_propertiesGiveEarlyResultsNotShorterThanWindow_then_fromPropertiesRejectsNamingBothKeys() {
        Properties props = new Properties();
        props.setProperty("window.size", "5s");

        assertThatThrownBy(() -> AggregationSettings.fromProperties(props))
                .hasMessage("early.results.period and window.size: earlyResultsPeriod must be shorter than windowSize"
                        + " (PT5S) to give any early result, was PT5S");
    }

    @Test
    void when_settingsValid_then_pipelineBuildsWithSerializableFunctions() {
        // Jet checks that every function of every stage is serializable while the pipeline is built.
        assertThat(AggregationJob.build(TestSources.itemStream(1,
                        (ts, seq) -> PARSER.parse(new RawReading("t", ts, new byte[0]))),
                AggregationSettings.defaults().withAlertRules(java.util.List.of(
                        io.iotgrid.core.AlertRule.parse("temperature>30")))).toDag().vertices())
                .isNotEmpty();
    }
}
