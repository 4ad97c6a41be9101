package io.iotgrid.core;

import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlMappingsTest {

    private static final Pattern EXTERNAL = Pattern.compile("EXTERNAL NAME \"this\\.(\\w+)\"");

    @Test
    void when_windowStatsMapping_then_everyFieldOfTheRecordIsAColumn() {
        String ddl = SqlMappings.windowStats("place_stats");

        List<String> fields = EXTERNAL.matcher(ddl).results().map(m -> m.group(1)).toList();
        assertThat(fields).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(WindowStats.class.getRecordComponents()).map(RecordComponent::getName).toList());
        assertThat(ddl).startsWith("CREATE OR REPLACE MAPPING \"place_stats\" (")
                       .contains("avg_temperature DOUBLE EXTERNAL NAME \"this.temperatureAvg\"")
                       .contains("'valueCompactTypeName' = 'io.iotgrid.core.WindowStats'");
    }

    @Test
    void when_deadLettersMapping_then_keyAndEveryFieldButTheBytesAreColumns() {
        String ddl = SqlMappings.deadLetters("dead_letters");

        Matcher m = EXTERNAL.matcher(ddl);
        assertThat(m.results().map(r -> r.group(1)).toList()).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(DeadLetter.class.getRecordComponents()).filter(c -> c.getType() != byte[].class)
                      .map(RecordComponent::getName).toList());
        assertThat(ddl).contains("__key VARCHAR,")
                       .contains("topic VARCHAR EXTERNAL NAME \"this.topic\"")
                       .contains("kafka_partition INTEGER EXTERNAL NAME \"this.partition\"")
                       .contains("kafka_offset BIGINT EXTERNAL NAME \"this.offset\"")
                       .contains("'valueCompactTypeName' = 'io.iotgrid.core.DeadLetter'");
    }

    @Test
    void when_lateReadingsMapping_then_keyAndEveryFieldAreColumns() {
        String ddl = SqlMappings.lateReadings("late_readings");

        assertThat(EXTERNAL.matcher(ddl).results().map(r -> r.group(1)).toList()).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(LateReading.class.getRecordComponents()).map(RecordComponent::getName).toList());
        assertThat(ddl).contains("__key VARCHAR,")
                       .contains("reading_time BIGINT EXTERNAL NAME \"this.timestamp\"")
                       .contains("temperature DOUBLE EXTERNAL NAME \"this.temperature\"")
                       .contains("late_by_ms BIGINT EXTERNAL NAME \"this.lateBy\"")
                       .contains("'valueCompactTypeName' = 'io.iotgrid.core.LateReading'");
    }

    @Test
    void when_sensorStatusMapping_then_everyFieldOfTheRecordIsAColumn_stateAsText() {
        String ddl = SqlMappings.sensorStatus("sensor_status");

        assertThat(EXTERNAL.matcher(ddl).results().map(m -> m.group(1)).toList()).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(SensorStatus.class.getRecordComponents()).map(RecordComponent::getName).toList());
        assertThat(ddl).contains("state VARCHAR EXTERNAL NAME \"this.state\"")
                       .contains("last_seen_at BIGINT EXTERNAL NAME \"this.lastSeenAt\"")
                       .contains("'valueCompactTypeName' = 'io.iotgrid.core.SensorStatus'");
    }

    @Test
    void when_mapNameIsNotAPlainIdentifier_then_rejectedNamingIt() {
        assertThatThrownBy(() -> SqlMappings.windowStats("x\" (a INT) --"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("plain name")
                .hasMessageContaining("x\" (a INT) --");
    }
}
