package io.iotgrid.kcql;

import com.hazelcast.jet.impl.util.Util;
import io.iotgrid.core.testing.JavaSerialization;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.iotgrid.kcql.SampleRecords.TOPIC;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KcqlStatementRecordTest {

    private static final KcqlStatement BY_SENSOR_AND_PLACE = KcqlStatement.parse("INSERT INTO sensor_latest "
            + "SELECT * FROM coap_sensor_topic PK sensor_id, place_id STOREAS IMAP");

    @Test
    void when_twoPkFields_then_distinctKeyPerDistinctValuePair_andEqualKeyForEqualPair() {
        List<String> sensors = List.of("s1", "s2", "s3");
        List<Object> places = List.of("p1", "p2", 7);
        List<Object> keys = new ArrayList<>();
        for (String sensor : sensors) {
            for (Object place : places) {
                keys.add(BY_SENSOR_AND_PLACE.key(reading(sensor, place)));
            }
        }

        assertThat(new HashSet<>(keys)).hasSize(sensors.size() * places.size());
        assertThat(keys).contains("s1-p1", "s3-7").doesNotContain("sensor_id-place_id");
        assertThat(BY_SENSOR_AND_PLACE.key(reading("s2", "p1"))).isEqualTo(BY_SENSOR_AND_PLACE.key(reading("s2", "p1")));
    }

    @Test
    void when_pkFieldMissing_then_rejected() {
        TopicRecord noPlace = new TopicRecord(TOPIC, null, Map.of("sensor_id", "s1"));

        assertThatThrownBy(() -> BY_SENSOR_AND_PLACE.key(noPlace))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("field 'place_id' not found in record from topic coap_sensor_topic");
    }

    @Test
    void when_pkFieldNullOrObject_then_rejected() {
        Map<String, Object> nullPlace = new HashMap<>();
        nullPlace.put("sensor_id", "s1");
        nullPlace.put("place_id", null);

        assertThatThrownBy(() -> BY_SENSOR_AND_PLACE.key(new TopicRecord(TOPIC, null, nullPlace)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("PK field 'place_id' of record from topic coap_sensor_topic is null, expected a string, "
                        + "number or boolean");
        assertThatThrownBy(() -> BY_SENSOR_AND_PLACE.key(reading("s1", Map.of("room", 3))))
                .hasMessageContaining("is an object");
    }

    @Test
    void when_noPkAndNoRecordKey_then_keyedStructureRejects_andOthersTakeNull() {
        TopicRecord keyless = new TopicRecord(TOPIC, null, Map.of("sensor_id", "s1"));
        KcqlStatement map = KcqlStatement.parse("INSERT INTO m SELECT * FROM coap_sensor_topic STOREAS IMAP");
        KcqlStatement queue = KcqlStatement.parse("INSERT INTO q SELECT * FROM coap_sensor_topic STOREAS QUEUE");

        assertThatThrownBy(() -> map.key(keyless))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("record from topic coap_sensor_topic has no key and the statement has no PK");
        assertThat(queue.key(keyless)).isNull();
        assertThat(map.key(new TopicRecord(TOPIC, 42L, Map.of()))).isEqualTo(42L);
    }

    @Test
    void when_selectedFieldMissing_then_rejectedNotPartial() {
        KcqlStatement statement = KcqlStatement.parse(
                "INSERT INTO t SELECT sensor_id, humidity FROM coap_sensor_topic");

        assertThatThrownBy(() -> statement.project(SampleRecords.json(TOPIC)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("field 'humidity' not found in record from topic coap_sensor_topic");
        assertThatThrownBy(() -> statement.project(SampleRecords.avro(TOPIC)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("field 'humidity' not found in record from topic coap_sensor_topic");
    }

    @Test
    void when_nestedPathCrossesAString_then_rejectedSayingSo() {
        // The seed's CoAP records carry the sensor's JSON as a string in "payload".
        TopicRecord coap = TopicRecord.json(TOPIC, null,
                "{\"code\":\"2.05\",\"payload\":\"{\\\"sensorId\\\":\\\"Sensor4\\\"}\"}".getBytes(UTF_8));
        KcqlStatement statement = KcqlStatement.parse("INSERT INTO t SELECT payload.sensorId FROM coap_sensor_topic");

        assertThatThrownBy(() -> statement.project(coap))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("field 'payload.sensorId' not found in record from topic coap_sensor_topic "
                        + "('payload' is a string, not an object)");
    }

    @Test
    void when_explicitNull_then_keptAsNull() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("sensor_id", "s1");
        value.put("humidity", null);
        KcqlStatement statement = KcqlStatement.parse("INSERT INTO t SELECT humidity FROM coap_sensor_topic");

        assertThat(statement.project(new TopicRecord(TOPIC, null, value))).containsEntry("humidity", null);
        assertThat(statement.formatRecord(new TopicRecord(TOPIC, null, value)).value()).isEqualTo("{\"humidity\":null}");
    }

    @Test
    void when_recordFromOtherTopicOrTombstone_then_rejected() {
        KcqlStatement statement = KcqlStatement.parse("INSERT INTO t SELECT * FROM coap_sensor_topic STOREAS QUEUE");

        assertThat(statement.appliesTo(SampleRecords.json("mqtt_sensor_topic"))).isFalse();
        assertThatThrownBy(() -> statement.project(SampleRecords.json("mqtt_sensor_topic")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("record from topic mqtt_sensor_topic given to the statement for topic coap_sensor_topic: "
                        + "\"INSERT INTO t SELECT * FROM coap_sensor_topic STOREAS QUEUE\"");
        assertThatThrownBy(() -> statement.project(new TopicRecord(TOPIC, "k", null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("record from topic coap_sensor_topic has no value");
    }

    @Test
    void when_avroFromJson_then_inferredSchemaNullableAndBytesDecodeToProjection() {
        KcqlStatement statement = KcqlStatement.parse(
                "INSERT INTO `sensor-avro` SELECT * FROM coap_sensor_topic WITHFORMAT AVRO");
        TopicRecord record = TopicRecord.json(TOPIC, null, ("{\"id\":\"s1\",\"count\":3,\"big\":12345678901,"
                + "\"temperature\":21.5,\"ok\":true,\"none\":null,\"tags\":[\"a\",null,\"b\"],\"empty\":[],"
                + "\"where\":{\"room\":\"r1\",\"floor\":2}}").getBytes(UTF_8));

        Formatted formatted = statement.formatRecord(record);
        Schema schema = formatted.schema();

        assertThat(schema).isEqualTo(statement.avroSchema(record));
        assertThat(schema.getName()).isEqualTo("sensor_avro");
        assertThat(schema.getField("count").schema().toString()).isEqualTo("[\"null\",\"long\"]");
        assertThat(schema.getField("temperature").schema().toString()).isEqualTo("[\"null\",\"double\"]");
        assertThat(schema.getField("none").schema().getType()).isEqualTo(Schema.Type.NULL);
        assertThat(schema.getField("tags").schema().getTypes().get(1).getElementType().toString())
                .isEqualTo("[\"null\",\"string\"]");
        assertThat(schema.getField("where").schema().getTypes().get(1).getName()).isEqualTo("sensor_avro_where");
        GenericRecord decoded = SampleRecords.decode(formatted.value(), schema);
        assertThat(decoded.get("id")).hasToString("s1");
        assertThat(decoded.get("count")).isEqualTo(3L);
        assertThat(decoded.get("big")).isEqualTo(12345678901L);
        assertThat(decoded.get("temperature")).isEqualTo(21.5);
        assertThat(decoded.get("ok")).isEqualTo(true);
        assertThat(decoded.get("none")).isNull();
        assertThat(decoded.get("tags")).asInstanceOf(InstanceOfAssertFactories.LIST).extracting(String::valueOf).containsExactly("a", "null", "b");
        assertThat(decoded.get("empty")).asInstanceOf(InstanceOfAssertFactories.LIST).isEmpty();
        assertThat(((GenericRecord) decoded.get("where")).get("floor")).isEqualTo(2L);
        assertThat(statement.format(statement.project(record))).isEqualTo(formatted.value());
    }

    @Test
    void when_avroFromAvro_then_fieldsKeepTheirDeclaredSchemas() {
        KcqlStatement statement = KcqlStatement.parse("INSERT INTO sensor_avro SELECT timestamp AS ts, "
                + "payload.sensorId, payload FROM coap_sensor_topic WITHFORMAT AVRO STOREAS RING_BUFFER");
        TopicRecord record = SampleRecords.avro(TOPIC);

        Formatted formatted = statement.formatRecord(record);

        assertThat(formatted.schema().getFields()).extracting(Schema.Field::name)
                .containsExactly("ts", "sensorId", "payload");
        assertThat(formatted.schema().getField("ts").schema().getType()).isEqualTo(Schema.Type.LONG);
        assertThat(formatted.schema().getField("payload").schema()).isEqualTo(SampleRecords.PAYLOAD_SCHEMA);
        GenericRecord decoded = SampleRecords.decode(formatted.value(), formatted.schema());
        assertThat(decoded.get("ts")).isEqualTo(1486997194029L);
        assertThat(decoded.get("sensorId")).hasToString("Sensor4");
        assertThat(((GenericRecord) decoded.get("payload")).get("message")).hasToString("Sensor message 98");
    }

    @Test
    void when_targetNamedLikeAnInputType_then_schemaStillReadable() {
        KcqlStatement statement = KcqlStatement.parse(
                "INSERT INTO Payload SELECT payload FROM coap_sensor_topic WITHFORMAT AVRO");

        Schema schema = statement.formatRecord(SampleRecords.avro(TOPIC)).schema();

        assertThat(schema.getFullName()).isEqualTo("io.iotgrid.kcql.Payload");
        assertThat(new Schema.Parser().parse(schema.toString())).isEqualTo(schema);
    }

    @Test
    void when_avroInputHasMapAndEnum_then_pathsWalkUtf8KeysAndJsonGetsPlainValues() {
        Schema kind = SchemaBuilder.enumeration("Kind").symbols("INDOOR", "OUTDOOR");
        Schema schema = SchemaBuilder.record("Tagged").fields()
                .name("tags").type().map().values().stringType().noDefault()
                .name("kind").type(kind).noDefault()
                .endRecord();
        GenericRecord value = new GenericData.Record(schema);
        value.put("tags", Map.of(new Utf8("room"), new Utf8("r1")));
        value.put("kind", new GenericData.EnumSymbol(kind, "INDOOR"));
        TopicRecord record = new TopicRecord(TOPIC, null, value);
        KcqlStatement statement = KcqlStatement.parse("INSERT INTO t SELECT tags.room, kind FROM coap_sensor_topic");

        assertThat(statement.formatRecord(record).value()).isEqualTo("{\"room\":\"r1\",\"kind\":\"INDOOR\"}");
    }

    @Test
    void when_avroCannotCarryJson_then_rejectedNamingTheField() {
        KcqlStatement statement = KcqlStatement.parse("INSERT INTO t SELECT * FROM coap_sensor_topic WITHFORMAT AVRO");

        assertThatThrownBy(() -> statement.formatRecord(jsonRecord("{\"sensor-id\":\"s1\"}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("field 'sensor-id' cannot be an Avro field: 'sensor-id' is not made of");
        assertThatThrownBy(() -> statement.formatRecord(jsonRecord("{\"values\":[1,\"two\"]}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("field 'values' is a list whose elements differ in type: element 1 is "
                        + "\"string\", an earlier one \"long\"");
        Map<String, Object> huge = Map.of("n", BigInteger.TWO.pow(64));
        assertThatThrownBy(() -> statement.format(huge))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("field 'n': 18446744073709551616 does not fit an Avro long");
    }

    @Test
    void when_avroRecordBreaksItsSchema_then_rejected() {
        GenericRecord broken = (GenericRecord) SampleRecords.avro(TOPIC).value();
        broken.put("sensor_id", null);
        KcqlStatement statement = KcqlStatement.parse("INSERT INTO t SELECT * FROM coap_sensor_topic WITHFORMAT AVRO");

        assertThatThrownBy(() -> statement.formatRecord(new TopicRecord(TOPIC, null, broken)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot encode as Avro record t: ");
    }

    @Test
    void when_textHasOneObjectField_then_itsJson() {
        KcqlStatement statement = KcqlStatement.parse(
                "INSERT INTO t SELECT payload FROM coap_sensor_topic WITHFORMAT TEXT");

        assertThat(statement.formatRecord(SampleRecords.avro(TOPIC)).value())
                .isEqualTo("{\"sensorId\":\"Sensor4\",\"message\":\"Sensor message 98\"}");
    }

    @Test
    void when_javaSerialized_then_equalAndStillProjects() {
        KcqlStatement statement = KcqlStatement.parse("INSERT INTO sensor_latest SELECT sensor_id, "
                + "temperature AS temp FROM coap_sensor_topic PK sensor_id, place_id BATCH = 100 WITHFORMAT AVRO "
                + "STOREAS IMAP TTL = 30000");
        Util.checkSerializable(statement, "statement");

        KcqlStatement copy = JavaSerialization.roundTrip(statement);

        assertThat(copy).isEqualTo(statement);
        TopicRecord record = SampleRecords.json(TOPIC);
        assertThat(copy.project(record)).isEqualTo(Map.of("sensor_id", "s1", "temp", 23.6));
        assertThat(copy.key(record)).isEqualTo("s1-p2");
        assertThat((byte[]) copy.formatRecord(record).value()).isEqualTo(statement.formatRecord(record).value());
    }

    @Test
    void when_storeAsParametersAndIgnoreJavaSerialized_then_equalAndStillApplied() {
        KcqlStatement statement = KcqlStatement.parse("INSERT INTO rb SELECT sensor_id, place_id FROM "
                + "coap_sensor_topic IGNORE place_id STOREAS RING_BUFFER(capacity=100, timeToLive=1h)");
        Util.checkSerializable(statement, "statement");

        KcqlStatement copy = JavaSerialization.roundTrip(statement);

        assertThat(copy).isEqualTo(statement);
        assertThat(copy.storeAsParameters().capacity()).isEqualTo(100);
        assertThat(copy.storeAsParameters().timeToLive()).isEqualTo(Duration.ofHours(1));
        assertThat(copy.project(SampleRecords.json(TOPIC))).isEqualTo(Map.of("sensor_id", "s1"));
    }

    @Test
    void when_projected_then_resultSharesNothingWithTheRecord() {
        KcqlStatement statement = KcqlStatement.parse("INSERT INTO t SELECT payload FROM coap_sensor_topic");
        TopicRecord record = SampleRecords.json(TOPIC);

        @SuppressWarnings("unchecked")
        Map<String, Object> payload = (Map<String, Object>) statement.project(record).get("payload");
        payload.put("sensorId", "changed");

        assertThat(statement.project(record).get("payload")).isEqualTo(
                Map.of("sensorId", "Sensor4", "message", "Sensor message 98"));
    }

    private static TopicRecord reading(String sensor, Object place) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("sensor_id", sensor);
        value.put("place_id", place);
        value.put("temperature", 20.0);
        return new TopicRecord(TOPIC, "same-record-key", value);
    }

    private static TopicRecord jsonRecord(String json) {
        return TopicRecord.json(TOPIC, null, json.getBytes(UTF_8));
    }
}
