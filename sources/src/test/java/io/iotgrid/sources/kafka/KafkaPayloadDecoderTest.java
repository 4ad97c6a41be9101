package io.iotgrid.sources.kafka;

import io.iotgrid.core.DeadLetter;
import io.iotgrid.core.Decoded;
import io.iotgrid.core.ReadingFormat;
import io.iotgrid.core.SensorReading;
import io.iotgrid.core.testing.JavaSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import static io.iotgrid.sources.kafka.TestPayloads.NESTED;
import static io.iotgrid.sources.kafka.TestPayloads.avroBinary;
import static io.iotgrid.sources.kafka.TestPayloads.avroReading;
import static io.iotgrid.sources.kafka.TestPayloads.coapSourceRecord;
import static io.iotgrid.sources.kafka.TestPayloads.confluent;
import static io.iotgrid.sources.kafka.TestPayloads.connectEnvelope;
import static io.iotgrid.sources.kafka.TestPayloads.resource;
import static io.iotgrid.sources.kafka.TestPayloads.schema;
import static io.iotgrid.sources.kafka.TestPayloads.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaPayloadDecoderTest {

    private static final String TOPIC = "readings";
    private static final int PARTITION = 3;
    private static final long OFFSET = 1200;
    private static final byte[] KEY = utf8("s-1");
    private static final long RECEIVED = 1_700_000_009_000L;

    static Stream<Arguments> goodPayloads() {
        byte[] avro = avroBinary(avroReading(schema("reading.avsc")));
        return Stream.of(
                Arguments.of("json bytes", KafkaPayloadSettings.json(), utf8(NESTED)),
                Arguments.of("connect envelope", KafkaPayloadSettings.connectJson(), utf8(connectEnvelope(NESTED))),
                Arguments.of("json in a string field", KafkaPayloadSettings.builder().set(KafkaPayloadSettings.PAYLOAD_FIELD, "payload").build(),
                        utf8(coapSourceRecord(NESTED))),
                Arguments.of("json in a string field of a connect envelope",
                        KafkaPayloadSettings.connectJson().toBuilder().set(KafkaPayloadSettings.PAYLOAD_FIELD, "payload").build(),
                        utf8(connectEnvelope(coapSourceRecord(NESTED)))),
                Arguments.of("avro with a schema file", KafkaPayloadSettings.avro(resource("reading.avsc")), avro),
                Arguments.of("confluent avro from a schema directory",
                        KafkaPayloadSettings.confluentAvro(resource("schemas")), confluent(7, avro)),
                Arguments.of("confluent avro of a newer writer schema read with an older reader schema",
                        KafkaPayloadSettings.confluentAvro(resource("schemas-v2")).toBuilder()
                                .set(KafkaPayloadSettings.AVRO_SCHEMA, schema("reading.avsc").toString()).build(),
                        confluent(8, avroBinary(avroReading(schema("reading-v2.avsc"))))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodPayloads")
    void when_payloadWellFormed_then_decodedToReading(String name, KafkaPayloadSettings settings, byte[] value) {
        Decoded decoded = decoder(settings).decode(TOPIC, PARTITION, OFFSET, KEY, value, RECEIVED);

        assertThat(decoded).isEqualTo(new SensorReading(TestPayloads.SENSOR, TestPayloads.PLACE, TestPayloads.TIMESTAMP,
                TestPayloads.TEMPERATURE, TestPayloads.HUMIDITY, Double.NaN, Double.NaN));
    }

    static Stream<Arguments> badPayloads() {
        byte[] avro = avroBinary(avroReading(schema("reading.avsc")));
        KafkaPayloadSettings json = KafkaPayloadSettings.json();
        KafkaPayloadSettings inField = json.toBuilder().set(KafkaPayloadSettings.PAYLOAD_FIELD, "payload").build();
        KafkaPayloadSettings connect = KafkaPayloadSettings.connectJson();
        KafkaPayloadSettings avroSettings = KafkaPayloadSettings.avro(resource("reading.avsc"));
        KafkaPayloadSettings confluentSettings = KafkaPayloadSettings.confluentAvro(resource("schemas"));
        return Stream.of(
                Arguments.of(json, null, "record has no value (a tombstone)"),
                Arguments.of(json, utf8("not json"), "malformed JSON"),
                Arguments.of(json, utf8(NESTED.substring(0, 40)), "malformed JSON"),
                Arguments.of(json, utf8("[1,2]"), "payload is not a JSON object"),
                Arguments.of(json, utf8(NESTED.replace("\"timestamp\":1700000000123,", "")), "missing field 'timestamp'"),
                Arguments.of(connect, utf8(NESTED), "not a Kafka Connect JSON envelope"),
                Arguments.of(connect, utf8("{\"schema\":{},\"payload\":42}"), "envelope's 'payload' is not a JSON object"),
                Arguments.of(connect, utf8(connectEnvelope(NESTED) + "}"), "malformed JSON"),
                Arguments.of(connect, utf8(connectEnvelope(NESTED.replace("\"p-2\"", "[]"))),
                        "field 'place_id' must be a string or an integer but was an array"),
                Arguments.of(inField, utf8(NESTED.replace("\"payload\"", "\"other\"")), "missing field 'payload'"),
                Arguments.of(inField, utf8(NESTED), "field 'payload' must be a string holding a JSON document but was object"),
                Arguments.of(inField, utf8(coapSourceRecord("no json here")), "in field 'payload': malformed JSON"),
                Arguments.of(inField, utf8(coapSourceRecord(NESTED.replace("\"s-1\"", "\"\""))),
                        "in field 'payload': field 'id' must not be empty"),
                Arguments.of(avroSettings, Arrays.copyOf(avro, avro.length - 3), "malformed avro value"),
                Arguments.of(avroSettings, Arrays.copyOf(avro, avro.length + 2), "trailing bytes after the Avro record"),
                Arguments.of(avroSettings, utf8(NESTED), "malformed avro value"),
                Arguments.of(avroSettings, new byte[0], "malformed avro value"),
                Arguments.of(confluentSettings, new byte[]{0, 0, 0}, "too short for Confluent's wire format: 3 bytes"),
                Arguments.of(confluentSettings, withMagic(confluent(7, avro), 1), "not Confluent's wire format: magic byte is 1, expected 0"),
                Arguments.of(confluentSettings, confluent(99, avro), "schema id 99 is not among the configured schemas [7]"),
                Arguments.of(confluentSettings, confluent(7, Arrays.copyOf(avro, 4)), "malformed confluent-avro value"),
                Arguments.of(confluentSettings, utf8(NESTED), "not Confluent's wire format: magic byte is 123"));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("badPayloads")
    void when_payloadMalformed_then_deadLetterWithCoordinatesKeyValueAndReason(KafkaPayloadSettings settings,
                                                                               byte[] value, String reason) {
        Decoded decoded = decoder(settings).decode(TOPIC, PARTITION, OFFSET, KEY, value, RECEIVED);

        assertThat(decoded).isInstanceOf(DeadLetter.class);
        DeadLetter dl = (DeadLetter) decoded;
        assertThat(dl.reason()).contains(reason);
        assertThat(dl.topic()).isEqualTo(TOPIC);
        assertThat(dl.partition()).isEqualTo(PARTITION);
        assertThat(dl.offset()).isEqualTo(OFFSET);
        assertThat(dl.key()).isEqualTo(KEY);
        assertThat(dl.payload()).isEqualTo(value == null ? new byte[0] : value);
        assertThat(dl.source()).isEqualTo("kafka:readings/3@1200");
        assertThat(dl.receivedAt()).isEqualTo(RECEIVED);
    }

    @Test
    void when_decoderSerialized_then_copyDecodesAllFormats() {
        KafkaPayloadDecoder copy = JavaSerialization.roundTrip(decoder(
                KafkaPayloadSettings.confluentAvro(resource("schemas"))));
        byte[] value = confluent(7, avroBinary(avroReading(schema("reading.avsc"))));

        assertThat(copy.decode(TOPIC, 0, 0, null, value, RECEIVED)).isInstanceOf(SensorReading.class);
    }

    @Test
    void when_settingsFromProperties_then_filesReadAndDefaultsApplied() {
        Properties props = new Properties();
        assertThat(KafkaPayloadSettings.fromProperties(props)).isEqualTo(KafkaPayloadSettings.json());

        props.setProperty(KafkaPayloadSettings.FORMAT.key(), "confluent-avro");
        props.setProperty(KafkaPayloadSettings.SCHEMAS_BY_ID.key(), resource("schemas").toString());
        props.setProperty(KafkaPayloadSettings.PAYLOAD_FIELD.key(), "payload");
        KafkaPayloadSettings settings = KafkaPayloadSettings.fromProperties(props);
        assertThat(settings.format()).isEqualTo(PayloadFormat.CONFLUENT_AVRO);
        assertThat(settings.schemasById()).containsOnlyKeys(7);
        assertThat(settings.payloadField()).isEqualTo("payload");
    }

    @Test
    void when_settingsContradict_then_rejectedNamingTheKey() {
        Properties avroWithoutSchema = new Properties();
        avroWithoutSchema.setProperty(KafkaPayloadSettings.FORMAT.key(), "avro");
        assertThatThrownBy(() -> KafkaPayloadSettings.fromProperties(avroWithoutSchema))
                .hasMessage("kafka.payload.format avro needs kafka.avro.schema.file");
        Properties unknown = new Properties();
        unknown.setProperty(KafkaPayloadSettings.FORMAT.key(), "protobuf");
        assertThatThrownBy(() -> KafkaPayloadSettings.fromProperties(unknown))
                .hasMessage("kafka.payload.format must be json, connect-json, avro or confluent-avro, was 'protobuf'");
        assertThatThrownBy(() -> KafkaPayloadSettings.builder().set(KafkaPayloadSettings.FORMAT,
                PayloadFormat.CONFLUENT_AVRO).build())
                .hasMessageContaining("kafka.payload.format confluent-avro needs exactly one of kafka.schema.dir "
                        + "and kafka.schema.registry.url");
        assertThatThrownBy(() -> KafkaPayloadSettings.confluentAvroRegistry("ftp://registry"))
                .hasMessage("kafka.schema.registry.url must be an http or https URL, was 'ftp://registry'");
        assertThatThrownBy(() -> KafkaPayloadSettings.builder().set(KafkaPayloadSettings.AVRO_SCHEMA,
                "{\"type\":\"nope\"}"))
                .hasMessageStartingWith("kafka.avro.schema.file must be an Avro schema");
        assertThatThrownBy(() -> KafkaPayloadSettings.builder().set(KafkaPayloadSettings.PAYLOAD_FIELD, "a..b"))
                .hasMessage("kafka.payload.field must be a field name or a dotted path, was 'a..b'");
    }

    private static byte[] withMagic(byte[] value, int magic) {
        value[0] = (byte) magic;
        return value;
    }

    private static KafkaPayloadDecoder decoder(KafkaPayloadSettings settings) {
        return new KafkaPayloadDecoder(settings, ReadingFormat.nested());
    }
}
