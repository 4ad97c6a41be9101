package io.iotgrid.core;

import io.iotgrid.core.testing.JavaSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReadingParserTest {

    private static final String SOURCE = "coap://127.0.0.1:5683/sensors/s-1";
    private static final long RECEIVED = 1_700_000_000_123L;

    private final ReadingParser flat = new ReadingParser(ReadingFormat.flat());
    private final ReadingParser nested = new ReadingParser(ReadingFormat.nested());

    @Test
    void when_flatShape_then_readingWithDefaultPlace() {
        Decoded d = flat.parse(raw("{\"sensorId\":\"Sensor4\",\"timestamp\":1486997194029,\"temperature\":23.6,"
                + "\"message\":\"hello {not a field}\"}"));

        assertThat(d).isEqualTo(new SensorReading("Sensor4", ReadingFormat.UNASSIGNED_PLACE, 1486997194029L,
                23.6, Double.NaN, Double.NaN, Double.NaN));
        SensorReading r = (SensorReading) d;
        assertThat(r.has(Measure.TEMPERATURE)).isTrue();
        assertThat(r.has(Measure.HUMIDITY)).isFalse();
    }

    @Test
    void when_flatShapeHasPlace_then_placeKept() {
        assertThat(flat.parse(raw("{\"placeId\":\"hall\",\"sensorId\":\"a\",\"timestamp\":5,\"humidity\":40}")))
                .isEqualTo(new SensorReading("a", "hall", 5, Double.NaN, 40, Double.NaN, Double.NaN));
    }

    @Test
    void when_nestedShape_then_allMeasuresRead() {
        Decoded d = nested.parse(raw("{\"id\":\"s-1\",\"name\":\"boiler\",\"place_id\":\"p-3\","
                + "\"timestamp\":1600000000000,\"extra\":{\"payload\":{\"temperature\":99}},\"list\":[1,{\"a\":2}],"
                + "\"payload\":{\"temperature\":21,\"humidity\":40,\"pressure\":1013,\"luminosity\":300,"
                + "\"note\":\"x\"}}"));

        assertThat(d).isEqualTo(new SensorReading("s-1", "p-3", 1600000000000L, 21, 40, 1013, 300));
    }

    @Test
    void when_integerIdsAndNullMeasure_then_idsAsTextAndMeasureAbsent() {
        Decoded d = nested.parse(raw("{\"id\":17,\"place_id\":3,\"timestamp\":10,"
                + "\"payload\":{\"temperature\":null,\"pressure\":999.5}}"));

        assertThat(d).isEqualTo(new SensorReading("17", "3", 10, Double.NaN, Double.NaN, 999.5, Double.NaN));
    }

    @Test
    void when_customFieldNames_then_readFromThem() {
        ReadingFormat format = new ReadingFormat("device.serial", "site", "ts",
                Map.of(Measure.LUMINOSITY, "data.lux"), null);
        Decoded d = new ReadingParser(format).parse(raw(
                "{\"device\":{\"serial\":\"d9\"},\"site\":\"roof\",\"ts\":42,\"data\":{\"lux\":812.5}}"));

        assertThat(d).isEqualTo(new SensorReading("d9", "roof", 42, Double.NaN, Double.NaN, Double.NaN, 812.5));
    }

    static Stream<Arguments> badPayloads() {
        return Stream.of(
                Arguments.of("empty", "", "empty payload"),
                Arguments.of("not JSON", "temperature=21", "malformed JSON"),
                Arguments.of("binary", "\u0000\u0001\u00ff\u00fe", "malformed JSON"),
                Arguments.of("truncated", "{\"id\":\"s-1\",\"place_id\":\"p\",\"timestamp\":1,\"payload\":{\"temp",
                        "malformed JSON: Unexpected end-of-input"),
                Arguments.of("truncated after value", "{\"id\":\"s-1\",\"place_id\":\"p\",\"timestamp\":1",
                        "malformed JSON: Unexpected end-of-input"),
                Arguments.of("array root", "[{\"id\":\"s-1\"}]", "payload is not a JSON object"),
                Arguments.of("string root", "\"s-1\"", "payload is not a JSON object"),
                Arguments.of("trailing content", "{\"id\":\"s\",\"place_id\":\"p\",\"timestamp\":1,"
                        + "\"payload\":{\"temperature\":1}} {}", "trailing content after the JSON object"),
                Arguments.of("missing id", "{\"place_id\":\"p\",\"timestamp\":1,\"payload\":{\"temperature\":1}}",
                        "missing field 'id'"),
                Arguments.of("missing place", "{\"id\":\"s\",\"timestamp\":1,\"payload\":{\"temperature\":1}}",
                        "missing field 'place_id'"),
                Arguments.of("missing timestamp", "{\"id\":\"s\",\"place_id\":\"p\",\"payload\":{\"humidity\":1}}",
                        "missing field 'timestamp'"),
                Arguments.of("no measure", "{\"id\":\"s\",\"place_id\":\"p\",\"timestamp\":1,\"payload\":{}}",
                        "no measure: expected at least one of payload.temperature"),
                Arguments.of("measure as string", "{\"id\":\"s\",\"place_id\":\"p\",\"timestamp\":1,"
                        + "\"payload\":{\"temperature\":\"21.5\"}}",
                        "field 'payload.temperature' must be a number but was a string"),
                Arguments.of("measure as object", "{\"id\":\"s\",\"place_id\":\"p\",\"timestamp\":1,"
                        + "\"payload\":{\"humidity\":{\"v\":1}}}",
                        "field 'payload.humidity' must be a number but was an object"),
                Arguments.of("timestamp as string", "{\"id\":\"s\",\"place_id\":\"p\",\"timestamp\":\"2020-01-01\","
                        + "\"payload\":{\"temperature\":1}}",
                        "field 'timestamp' must be an integer of epoch milliseconds but was a string"),
                Arguments.of("timestamp fractional", "{\"id\":\"s\",\"place_id\":\"p\",\"timestamp\":1.5,"
                        + "\"payload\":{\"temperature\":1}}",
                        "field 'timestamp' must be an integer of epoch milliseconds but was a number"),
                Arguments.of("timestamp negative", "{\"id\":\"s\",\"place_id\":\"p\",\"timestamp\":-3,"
                        + "\"payload\":{\"temperature\":1}}", "field 'timestamp' must be positive"),
                Arguments.of("id as boolean", "{\"id\":true,\"place_id\":\"p\",\"timestamp\":1,"
                        + "\"payload\":{\"temperature\":1}}",
                        "field 'id' must be a string or an integer but was a boolean"),
                Arguments.of("empty id", "{\"id\":\" \",\"place_id\":\"p\",\"timestamp\":1,"
                        + "\"payload\":{\"temperature\":1}}", "field 'id' must not be empty"),
                Arguments.of("payload not object", "{\"id\":\"s\",\"place_id\":\"p\",\"timestamp\":1,"
                        + "\"payload\":\"{\\\"temperature\\\":1}\"}",
                        "field 'payload' must be an object but was a string"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPayloads")
    void when_badPayload_then_deadLetterWithReasonAndRawBytes(String name, String payload, String reason) {
        byte[] bytes = payload.getBytes(StandardCharsets.ISO_8859_1);

        Decoded d = nested.parse(new RawReading(SOURCE, RECEIVED, bytes));

        assertThat(d).isInstanceOf(DeadLetter.class);
        DeadLetter dl = (DeadLetter) d;
        assertThat(dl.reason()).startsWith(reason);
        assertThat(dl.payload()).isEqualTo(bytes);
        assertThat(dl.source()).isEqualTo(SOURCE);
        assertThat(dl.receivedAt()).isEqualTo(RECEIVED);
    }

    @Test
    void when_parserSerialized_then_stillParses() {
        ReadingParser copy = JavaSerialization.roundTrip(nested);

        assertThat(copy.parse(raw("{\"id\":\"s\",\"place_id\":\"p\",\"timestamp\":1,\"payload\":{\"humidity\":2}}")))
                .isEqualTo(new SensorReading("s", "p", 1, Double.NaN, 2, Double.NaN, Double.NaN));
    }

    @Test
    void when_pathsCollide_then_rejectedAtBuild() {
        assertThatThrownBy(() -> new ReadingParser(new ReadingFormat("a", null, "a.b",
                Map.of(Measure.TEMPERATURE, "t"), "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("path 'a.b' passes through a field that is a value");
    }

    @Test
    void when_formatInvalid_then_messageNamesKey() {
        assertThatThrownBy(() -> new ReadingFormat("id", "place", "ts", Map.of(), null))
                .hasMessageContaining("measurePaths is empty");
        assertThatThrownBy(() -> new ReadingFormat("id", null, "ts", Map.of(Measure.TEMPERATURE, "t"), null))
                .hasMessageContaining("placeIdPath and defaultPlaceId are both null");
        assertThatThrownBy(() -> new ReadingFormat("id", "p", "ts", Map.of(Measure.TEMPERATURE, "a..b"), null))
                .hasMessageContaining("measurePaths.temperature must be a field name or a dotted path, was 'a..b'");
        assertThatThrownBy(() -> new ReadingFormat("id", "p", "id", Map.of(Measure.TEMPERATURE, "t"), null))
                .hasMessageContaining("path 'id' is used for two fields");
        assertThatThrownBy(() -> ReadingFormat.named("xml"))
                .hasMessageContaining("unknown reading format 'xml', expected flat or nested");
    }

    @Test
    void when_sensorReportsAgain_then_sameIdStrings() {
        SensorReading first = (SensorReading) nested.parse(raw("{\"id\":\"s-9\",\"place_id\":\"p-2\","
                + "\"timestamp\":1,\"payload\":{\"temperature\":1}}"));
        SensorReading again = (SensorReading) nested.parse(raw("{\"id\":\"s-9\",\"place_id\":\"p-2\","
                + "\"timestamp\":2,\"payload\":{\"temperature\":2}}"));

        assertThat(again.sensorId()).isEqualTo("s-9").isSameAs(first.sensorId());
        assertThat(again.placeId()).isEqualTo("p-2").isSameAs(first.placeId());
    }

    @Test
    void when_payloadsFollowEachOther_then_nothingCarriedOver() {
        // The parser reuses its working state per thread: given ids, fields seen and measures must not leak.
        assertThat(nested.parse(raw("{\"timestamp\":1,\"payload\":{\"temperature\":1,\"humidity\":2}}"),
                "given", "place")).isEqualTo(new SensorReading("given", "place", 1, 1, 2, Double.NaN, Double.NaN));
        assertThat(reason(nested.parse(raw("{\"place_id\":\"p\",\"timestamp\":1,\"payload\":{\"temperature\":1}}"))))
                .isEqualTo("missing field 'id'");
        assertThat(reason(nested.parse(raw("{\"id\":\"s\",\"place_id\":\"p\",\"timestamp\":1,"
                + "\"payload\":{\"temperature\":1,\"temperature\":2}}")))).isEqualTo(
                "field 'payload.temperature' appears twice");
        assertThat(nested.parse(raw("{\"id\":\"s\",\"place_id\":\"p\",\"timestamp\":3,\"payload\":{\"pressure\":900}}")))
                .isEqualTo(new SensorReading("s", "p", 3, Double.NaN, Double.NaN, 900, Double.NaN));
    }

    @Test
    void when_parserDropped_then_stateItLeftOnTheThreadDoesNotKeepItAlive() {
        // Jet's threads outlive jobs: what a parser keeps per thread must not hold the parser (nor its class loader).
        ReadingParser parser = new ReadingParser(ReadingFormat.nested());
        assertThat(parser.parse(raw("{\"id\":\"s\",\"place_id\":\"p\",\"timestamp\":1,\"payload\":{\"humidity\":2}}")))
                .isInstanceOf(SensorReading.class);
        WeakReference<ReadingParser> ref = new WeakReference<>(parser);
        parser = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (ref.get() != null && System.nanoTime() < deadline) {
            System.gc();
        }
        assertThat(ref.get()).isNull();
    }

    private static String reason(Decoded d) {
        assertThat(d).isInstanceOf(DeadLetter.class);
        return ((DeadLetter) d).reason();
    }

    private static RawReading raw(String json) {
        return new RawReading(SOURCE, RECEIVED, json.getBytes(StandardCharsets.UTF_8));
    }
}
