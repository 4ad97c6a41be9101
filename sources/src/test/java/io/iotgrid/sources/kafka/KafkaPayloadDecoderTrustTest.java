package io.iotgrid.sources.kafka;

import io.iotgrid.core.DeadLetter;
import io.iotgrid.core.Decoded;
import io.iotgrid.core.Measure;
import io.iotgrid.core.PlausibleRange;
import io.iotgrid.core.ReadingFormat;
import io.iotgrid.core.ReadingParser;
import io.iotgrid.core.SensorReading;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static io.iotgrid.sources.kafka.TestPayloads.avroBinary;
import static io.iotgrid.sources.kafka.TestPayloads.avroReading;
import static io.iotgrid.sources.kafka.TestPayloads.coapSourceRecord;
import static io.iotgrid.sources.kafka.TestPayloads.confluent;
import static io.iotgrid.sources.kafka.TestPayloads.connectEnvelope;
import static io.iotgrid.sources.kafka.TestPayloads.resource;
import static io.iotgrid.sources.kafka.TestPayloads.schema;
import static io.iotgrid.sources.kafka.TestPayloads.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * In every payload format, what would be stored other than as sent is a dead letter whose reason names the field:
 * repeated fields or map keys, measures that are not finite or not plausible, timestamps beyond a long.
 */
class KafkaPayloadDecoderTrustTest {

    private static final KafkaPayloadSettings JSON = KafkaPayloadSettings.json();
    private static final KafkaPayloadSettings CONNECT = KafkaPayloadSettings.connectJson();
    private static final KafkaPayloadSettings IN_FIELD = JSON.toBuilder()
            .set(KafkaPayloadSettings.PAYLOAD_FIELD, "payload").build();
    private static final String HEAD = "\"id\":\"s-1\",\"place_id\":\"p-2\",\"timestamp\":1700000000123";

    /** Each JSON-based format: its settings, how it wraps a sensor's JSON, and what its reasons start with. */
    static Stream<Arguments> jsonFormats() {
        return Stream.of(
                Arguments.of("json", JSON, UnaryOperator.<String>identity(), "", ""),
                Arguments.of("connect-json", CONNECT, (UnaryOperator<String>) TestPayloads::connectEnvelope, "",
                        "payload."),
                Arguments.of("json in a field", IN_FIELD, (UnaryOperator<String>) TestPayloads::coapSourceRecord,
                        "in field 'payload': ", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jsonFormats")
    void when_measureRepeated_then_deadLetterNamingIt(String name, KafkaPayloadSettings settings,
                                                      UnaryOperator<String> wrap, String prefix, String treePath) {
        String sensor = "{" + HEAD + ",\"payload\":{\"temperature\":21.5,\"temperature\":99}}";

        assertThat(reason(settings, utf8(wrap.apply(sensor))))
                .isEqualTo(prefix + "field '" + treePath + "payload.temperature' appears twice");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jsonFormats")
    void when_measureNotFinite_then_deadLetterNamingFieldMeasureAndRange(String name, KafkaPayloadSettings settings,
                                                                         UnaryOperator<String> wrap, String prefix,
                                                                         String treePath) {
        for (String token : new String[]{"NaN", "Infinity", "-Infinity", "1e400"}) {
            String sensor = "{" + HEAD + ",\"payload\":{\"humidity\":" + token + "}}";

            assertThat(reason(settings, utf8(wrap.apply(sensor)))).as(token)
                    .startsWith(prefix + "field 'payload.humidity': humidity ")
                    .endsWith(" is not a finite number (plausible range 0..100)");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jsonFormats")
    void when_timestampBeyondALong_then_deadLetterSaysSo(String name, KafkaPayloadSettings settings,
                                                         UnaryOperator<String> wrap, String prefix, String treePath) {
        String sensor = "{\"id\":\"s-1\",\"place_id\":\"p-2\",\"timestamp\":9223372036854775808,"
                + "\"payload\":{\"humidity\":40}}";

        assertThat(reason(settings, utf8(wrap.apply(sensor)))).isEqualTo(prefix
                + "field 'timestamp': timestamp 9223372036854775808 is out of the range of epoch milliseconds");
    }

    @Test
    void when_envelopeRepeatsItsPayload_then_deadLetterNamingIt() {
        String sensor = "{" + HEAD + ",\"payload\":{\"temperature\":21.5}}";
        String twice = connectEnvelope(sensor).replaceFirst("\\}$", ",\"payload\":" + sensor + "}");

        assertThat(reason(CONNECT, utf8(twice))).isEqualTo("field 'payload' appears twice");
        assertThat(reason(IN_FIELD, utf8(coapSourceRecord(sensor).replaceFirst("\\{", "{\"payload\":\"x\","))))
                .isEqualTo("field 'payload' appears twice");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void when_avroDoubleNotFinite_then_deadLetterNamingField(double value) {
        GenericRecord reading = avroReading(schema("reading.avsc"));
        ((GenericRecord) reading.get("payload")).put("temperature", value);
        byte[] avro = avroBinary(reading);
        String expected = "field 'payload.temperature': temperature " + value
                + " is not a finite number (plausible range -60..150)";

        assertThat(reason(KafkaPayloadSettings.avro(resource("reading.avsc")), avro)).isEqualTo(expected);
        assertThat(reason(KafkaPayloadSettings.confluentAvro(resource("schemas")), confluent(7, avro)))
                .isEqualTo(expected);
    }

    @Test
    void when_avroValueImplausible_then_deadLetterNamingMeasureValueAndRange() {
        GenericRecord reading = avroReading(schema("reading.avsc"));
        ((GenericRecord) reading.get("payload")).put("humidity", 100.5);

        assertThat(reason(KafkaPayloadSettings.avro(resource("reading.avsc")), avroBinary(reading)))
                .isEqualTo("field 'payload.humidity': humidity 100.5 is outside the plausible range 0..100");
    }

    @Test
    void when_avroMapHasAKeyTwice_then_deadLetterNamingIt() throws IOException {
        Schema schema = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"R\",\"fields\":["
                + "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"place_id\",\"type\":\"string\"},"
                + "{\"name\":\"timestamp\",\"type\":\"long\"},"
                + "{\"name\":\"payload\",\"type\":{\"type\":\"map\",\"values\":\"double\"}}]}");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder e = EncoderFactory.get().binaryEncoder(out, null);
        e.writeString("s-1");
        e.writeString("p-2");
        e.writeLong(1_700_000_000_123L);
        e.writeMapStart();
        e.setItemCount(2);
        for (double v : new double[]{21.5, 99}) {
            e.startItem();
            e.writeString("temperature");
            e.writeDouble(v);
        }
        e.writeMapEnd();
        e.flush();
        KafkaPayloadSettings settings = KafkaPayloadSettings.builder()
                .set(KafkaPayloadSettings.FORMAT, PayloadFormat.AVRO)
                .set(KafkaPayloadSettings.AVRO_SCHEMA, schema.toString()).build();

        assertThat(reason(settings, out.toByteArray())).isEqualTo("Avro map has the key 'temperature' twice");
    }

    @Test
    void when_avroDeclaresMoreThanTheValueHolds_then_deadLetterBeforeAnyAllocation() throws IOException {
        // 500 000 000 elements declared in a few bytes: Avro alone would allocate them (an array: OutOfMemoryError).
        Schema schema = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"R\",\"fields\":["
                + "{\"name\":\"id\",\"type\":\"string\"},"
                + "{\"name\":\"tags\",\"type\":{\"type\":\"array\",\"items\":\"long\"}}]}");
        KafkaPayloadSettings settings = KafkaPayloadSettings.builder()
                .set(KafkaPayloadSettings.FORMAT, PayloadFormat.AVRO)
                .set(KafkaPayloadSettings.AVRO_SCHEMA, schema.toString()).build();
        ByteArrayOutputStream longString = new ByteArrayOutputStream();
        BinaryEncoder e = EncoderFactory.get().binaryEncoder(longString, null);
        e.writeLong(500_000_000L);
        e.writeLong(1);
        e.flush();
        ByteArrayOutputStream longArray = new ByteArrayOutputStream();
        e = EncoderFactory.get().binaryEncoder(longArray, null);
        e.writeString("s-1");
        e.writeLong(500_000_000L);
        e.writeLong(1);
        e.flush();

        assertThat(reason(settings, longString.toByteArray())).isEqualTo("malformed avro value: Avro data declares "
                + "a string length of 500000000 in a value of " + longString.size() + " bytes");
        assertThat(reason(settings, longArray.toByteArray())).isEqualTo("malformed avro value: Avro data declares "
                + "an array block of 500000000 in a value of " + longArray.size() + " bytes");
    }

    @Test
    void when_decoderHasAParserWithRanges_then_theyApply() {
        KafkaPayloadDecoder decoder = new KafkaPayloadDecoder(JSON, new ReadingParser(ReadingFormat.nested(),
                Map.of(Measure.HUMIDITY, new PlausibleRange(10, 90))));

        assertThat(decoder.decode("t", 0, 0, null, utf8("{" + HEAD + ",\"payload\":{\"humidity\":90}}"), 0))
                .isInstanceOf(SensorReading.class);
        assertThat(((DeadLetter) decoder.decode("t", 0, 0, null,
                utf8("{" + HEAD + ",\"payload\":{\"humidity\":95}}"), 0)).reason())
                .isEqualTo("field 'payload.humidity': humidity 95 is outside the plausible range 10..90");
    }

    private static String reason(KafkaPayloadSettings settings, byte[] value) {
        Decoded d = new KafkaPayloadDecoder(settings, ReadingFormat.nested()).decode("t", 0, 0, null, value, 0);
        assertThat(d).isInstanceOf(DeadLetter.class);
        return ((DeadLetter) d).reason();
    }
}
