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
    void when_historyMapping_then_theHistoryConnectorWithItsTier() {
        assertThat(SqlMappings.history("place_stats_history_hour", HistoryTier.HOUR)).isEqualTo(
                "CREATE OR REPLACE MAPPING \"place_stats_history_hour\" TYPE IotGridHistory OPTIONS ('tier' = 'hour')");
        assertThatThrownBy(() -> SqlMappings.history("a-b", HistoryTier.DAY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a-b'");
    }

    @Test
    void when_windowColumns_then_oneForEveryStatisticOfWindowStats_readingIt() {
        WindowStats w = new WindowStats("s-1", 60_000, 120_000, true, 3, 3, -1.5, 22.0, 10.25, 9.75,
                0, null, null, null, null, 2, 1000.0, 1013.0, 1006.5, 6.5, 1, 0.0, 0.0, 0.0, 0.0, null);

        // Every component but the last, the place stats map's own silent count, which its mapping adds.
        RecordComponent[] all = WindowStats.class.getRecordComponents();
        assertThat(all[all.length - 1].getName()).isEqualTo("silentSensors");
        RecordComponent[] components = Arrays.copyOf(all, all.length - 1);
        assertThat(WindowColumn.all()).extracting(WindowColumn::component)
                .containsExactly(Arrays.stream(components).map(RecordComponent::getName).toArray(String[]::new));
        for (int i = 0; i < components.length; i++) {
            WindowColumn c = WindowColumn.all().get(i);
            assertThat(c.value(w)).as(c.name()).isEqualTo(value(components[i], w));
        }
        assertThat(WindowColumn.all().get(4)).extracting(WindowColumn::name, WindowColumn::sqlType)
                                             .containsExactly("readings", "BIGINT");
    }

    private static Object value(RecordComponent component, WindowStats w) {
        try {
            return component.getAccessor().invoke(w);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
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
