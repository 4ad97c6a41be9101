package io.iotgrid.kcql;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotgrid.kcql.impl.RecordPaths;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.iotgrid.kcql.SampleRecords.KEY;
import static io.iotgrid.kcql.SampleRecords.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Statements from stream-reactor's documentation, its Hazelcast sink's tests and the seed articles: what each
 * parses to and what it makes of the sample reading, given as JSON and as Avro.
 */
class KcqlStatementTableTest {

    private static final String ALL = "{\"sensor_id\":\"s1\",\"place_id\":\"p2\",\"timestamp\":1486997194029,"
            + "\"temperature\":23.6,\"payload\":{\"sensorId\":\"Sensor4\",\"message\":\"Sensor message 98\"}}";

    /**
     * One statement and what it should give.
     *
     * @param projected what {@code project} gives, as JSON
     * @param formatted what {@code formatRecord} gives for JSON and TEXT; {@code null} for AVRO, whose bytes are
     *                  decoded and compared with {@code projected}
     */
    record Row(String kcql, String target, String source, List<FieldSelection> fields, List<String> ignored,
               OutputFormat format, StoreAs storeAs, List<String> primaryKeys, Duration ttl, Integer batchSize,
               String projected, Object key, String formatted) {
    }

    static Stream<Named<Row>> statements() {
        return Stream.of(
                // The sink's section of the seed articles.
                new Row("INSERT INTO sensor_ringbuffer SELECT sensor_id, timestamp, temperature FROM "
                        + "coap_sensor_topic WITHFORMAT JSON STOREAS RING_BUFFER",
                        "sensor_ringbuffer", TOPIC,
                        List.of(field("sensor_id"), field("timestamp"), field("temperature")), List.of(),
                        OutputFormat.JSON, StoreAs.RING_BUFFER, List.of(), null, null,
                        "{\"sensor_id\":\"s1\",\"timestamp\":1486997194029,\"temperature\":23.6}", KEY,
                        "{\"sensor_id\":\"s1\",\"timestamp\":1486997194029,\"temperature\":23.6}"),
                // connect.hazelcast.kcql of the seed's walk-through.
                new Row("INSERT INTO dev SELECT * FROM coap_sensor_topic WITHFORMAT JSON STOREAS QUEUE",
                        "dev", TOPIC, List.of(), List.of(), OutputFormat.JSON, StoreAs.QUEUE, List.of(), null, null,
                        ALL, KEY, ALL),
                // Keywords and names in lower case, as stream-reactor's own tests write them.
                new Row("insert into dev select * from coap_sensor_topic withformat json storeas queue",
                        "dev", TOPIC, List.of(), List.of(), OutputFormat.JSON, StoreAs.QUEUE, List.of(), null, null,
                        ALL, KEY, ALL),
                // No WITHFORMAT, no STOREAS: JSON to a reliable topic.
                new Row("INSERT INTO readings SELECT sensor_id, temperature AS temp FROM coap_sensor_topic",
                        "readings", TOPIC, List.of(field("sensor_id"), new FieldSelection("temperature", "temp")),
                        List.of(), OutputFormat.JSON, StoreAs.RELIABLE_TOPIC, List.of(), null, null,
                        "{\"sensor_id\":\"s1\",\"temp\":23.6}", KEY, "{\"sensor_id\":\"s1\",\"temp\":23.6}"),
                new Row("INSERT INTO readings SELECT * FROM coap_sensor_topic IGNORE payload, place_id STOREAS SET",
                        "readings", TOPIC, List.of(), List.of("payload", "place_id"), OutputFormat.JSON,
                        StoreAs.SET, List.of(), null, null,
                        "{\"sensor_id\":\"s1\",\"timestamp\":1486997194029,\"temperature\":23.6}", KEY,
                        "{\"sensor_id\":\"s1\",\"timestamp\":1486997194029,\"temperature\":23.6}"),
                new Row("INSERT INTO messages SELECT payload.sensorId, payload.message AS msg FROM coap_sensor_topic "
                        + "STOREAS LIST",
                        "messages", TOPIC,
                        List.of(field("payload.sensorId"), new FieldSelection("payload.message", "msg")), List.of(),
                        OutputFormat.JSON, StoreAs.LIST, List.of(), null, null,
                        "{\"sensorId\":\"Sensor4\",\"msg\":\"Sensor message 98\"}", KEY,
                        "{\"sensorId\":\"Sensor4\",\"msg\":\"Sensor message 98\"}"),
                new Row("INSERT INTO sensor_latest SELECT sensor_id, place_id, temperature FROM coap_sensor_topic "
                        + "PK sensor_id, place_id STOREAS IMAP TTL = 60000",
                        "sensor_latest", TOPIC, List.of(field("sensor_id"), field("place_id"), field("temperature")),
                        List.of(), OutputFormat.JSON, StoreAs.IMAP, List.of("sensor_id", "place_id"),
                        Duration.ofMinutes(1), null,
                        "{\"sensor_id\":\"s1\",\"place_id\":\"p2\",\"temperature\":23.6}", "s1-p2",
                        "{\"sensor_id\":\"s1\",\"place_id\":\"p2\",\"temperature\":23.6}"),
                // The PK need not be selected, and a nested field can be one.
                new Row("INSERT INTO by_sensor SELECT temperature FROM coap_sensor_topic PK payload.sensorId "
                        + "STOREAS MULTI_MAP",
                        "by_sensor", TOPIC, List.of(field("temperature")), List.of(), OutputFormat.JSON,
                        StoreAs.MULTI_MAP, List.of("payload.sensorId"), null, null,
                        "{\"temperature\":23.6}", "Sensor4", "{\"temperature\":23.6}"),
                // stream-reactor's KCQL_MAP_JSON_ICACHE: no PK, so the record's key.
                new Row("INSERT INTO table1_icache SELECT * FROM sink_test WITHFORMAT json STOREAS ICACHE",
                        "table1_icache", "sink_test", List.of(), List.of(), OutputFormat.JSON, StoreAs.ICACHE,
                        List.of(), null, null, ALL, KEY, ALL),
                new Row("INSERT INTO sensor_queue SELECT * FROM coap_sensor_topic IGNORE payload BATCH = 500 "
                        + "WITHFORMAT JSON STOREAS QUEUE",
                        "sensor_queue", TOPIC, List.of(), List.of("payload"), OutputFormat.JSON, StoreAs.QUEUE,
                        List.of(), null, 500,
                        "{\"sensor_id\":\"s1\",\"place_id\":\"p2\",\"timestamp\":1486997194029,\"temperature\":23.6}",
                        KEY,
                        "{\"sensor_id\":\"s1\",\"place_id\":\"p2\",\"timestamp\":1486997194029,\"temperature\":23.6}"),
                // stream-reactor's KCQL_MAP: AVRO into the default reliable topic.
                new Row("INSERT INTO table1_avro SELECT * FROM sink_test WITHFORMAT avro",
                        "table1_avro", "sink_test", List.of(), List.of(), OutputFormat.AVRO, StoreAs.RELIABLE_TOPIC,
                        List.of(), null, null, ALL, KEY, null),
                new Row("INSERT INTO sensor_avro SELECT sensor_id, temperature AS temp, payload FROM coap_sensor_topic "
                        + "WITHFORMAT AVRO STOREAS RING_BUFFER",
                        "sensor_avro", TOPIC, List.of(field("sensor_id"), new FieldSelection("temperature", "temp"),
                        field("payload")), List.of(), OutputFormat.AVRO, StoreAs.RING_BUFFER, List.of(), null, null,
                        "{\"sensor_id\":\"s1\",\"temp\":23.6,"
                                + "\"payload\":{\"sensorId\":\"Sensor4\",\"message\":\"Sensor message 98\"}}",
                        KEY, null),
                new Row("INSERT INTO temperatures SELECT temperature FROM coap_sensor_topic WITHFORMAT TEXT "
                        + "STOREAS QUEUE",
                        "temperatures", TOPIC, List.of(field("temperature")), List.of(), OutputFormat.TEXT,
                        StoreAs.QUEUE, List.of(), null, null, "{\"temperature\":23.6}", KEY, "23.6"),
                new Row("INSERT INTO names SELECT payload.message FROM coap_sensor_topic WITHFORMAT TEXT",
                        "names", TOPIC, List.of(field("payload.message")), List.of(), OutputFormat.TEXT,
                        StoreAs.RELIABLE_TOPIC, List.of(), null, null, "{\"message\":\"Sensor message 98\"}", KEY,
                        "Sensor message 98"),
                new Row("INSERT INTO texts SELECT sensor_id, temperature FROM coap_sensor_topic WITHFORMAT TEXT",
                        "texts", TOPIC, List.of(field("sensor_id"), field("temperature")), List.of(),
                        OutputFormat.TEXT, StoreAs.RELIABLE_TOPIC, List.of(), null, null,
                        "{\"sensor_id\":\"s1\",\"temperature\":23.6}", KEY,
                        "{\"sensor_id\":\"s1\",\"temperature\":23.6}"),
                new Row("INSERT INTO `sensor-map` SELECT sensor_id FROM `coap.sensors-1` PK sensor_id STOREAS imap",
                        "sensor-map", "coap.sensors-1", List.of(field("sensor_id")), List.of(), OutputFormat.JSON,
                        StoreAs.IMAP, List.of("sensor_id"), null, null, "{\"sensor_id\":\"s1\"}", "s1",
                        "{\"sensor_id\":\"s1\"}")
        ).map(row -> Named.of(row.kcql(), row));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statements")
    void when_parsed_then_componentsAreTheClauses(Row row) {
        KcqlStatement statement = KcqlStatement.parse(row.kcql());

        assertThat(statement.text()).isEqualTo(row.kcql());
        assertThat(statement.target()).isEqualTo(row.target());
        assertThat(statement.source()).isEqualTo(row.source());
        assertThat(statement.fields()).isEqualTo(row.fields());
        assertThat(statement.selectAll()).isEqualTo(row.fields().isEmpty());
        assertThat(statement.ignoredFields()).isEqualTo(row.ignored());
        assertThat(statement.format()).isEqualTo(row.format());
        assertThat(statement.storeAs()).isEqualTo(row.storeAs());
        assertThat(statement.primaryKeys()).isEqualTo(row.primaryKeys());
        assertThat(statement.ttl()).isEqualTo(row.ttl());
        assertThat(statement.batchSize()).isEqualTo(row.batchSize());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statements")
    void when_projected_then_selectedFieldsInOrder_forJsonAndAvro(Row row) throws Exception {
        KcqlStatement statement = KcqlStatement.parse(row.kcql());
        Map<String, Object> expected = new ObjectMapper().readValue(row.projected(), new TypeReference<
                LinkedHashMap<String, Object>>() { });

        assertThat(statement.project(SampleRecords.json(row.source()))).containsExactlyEntriesOf(expected);
        assertThat(statement.project(SampleRecords.avro(row.source()))).containsExactlyEntriesOf(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statements")
    void when_keyed_then_pkValuesOrRecordKey_forJsonAndAvro(Row row) {
        KcqlStatement statement = KcqlStatement.parse(row.kcql());

        assertThat(statement.key(SampleRecords.json(row.source()))).isEqualTo(row.key());
        assertThat(statement.key(SampleRecords.avro(row.source()))).isEqualTo(row.key());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statements")
    void when_formatted_then_valueInTheStatementsFormat_forJsonAndAvro(Row row) {
        KcqlStatement statement = KcqlStatement.parse(row.kcql());

        for (TopicRecord record : List.of(SampleRecords.json(row.source()), SampleRecords.avro(row.source()))) {
            Formatted formatted = statement.formatRecord(record);
            if (row.format() == OutputFormat.AVRO) {
                Schema schema = statement.avroSchema(record);
                assertThat(formatted.schema()).isEqualTo(schema);
                GenericRecord decoded = SampleRecords.decode(formatted.value(), schema);
                assertThat(RecordPaths.toJava(decoded)).isEqualTo(statement.project(record));
            } else {
                assertThat(formatted.value()).isEqualTo(row.formatted());
                assertThat(formatted.schema()).isNull();
                assertThat(statement.format(statement.project(record))).isEqualTo(row.formatted());
            }
        }
    }

    private static FieldSelection field(String path) {
        return new FieldSelection(path, null);
    }
}
