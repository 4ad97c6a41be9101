package io.iotgrid.core;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.iotgrid.core.testing.JavaSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What {@link ReadingParser} refuses so that no value is stored other than as sent: values beyond a double or not
 * finite, values outside their measure's plausible range (at every bound, in JSON, CBOR and text), repeated fields
 * and timestamps beyond a long. Each becomes a dead letter whose reason names the field.
 */
class ReadingParserTrustTest {

    private static final String SOURCE = "coap://127.0.0.1:5683/sensors/s-1";
    private static final String HEAD = "\"id\":\"s-1\",\"place_id\":\"p-3\",\"timestamp\":1600000000000";

    private final ReadingParser nested = new ReadingParser(ReadingFormat.nested());

    /** Each measure just inside and just outside each bound of its default range, in each content format. */
    static Stream<Arguments> bounds() {
        List<Arguments> all = new ArrayList<>();
        for (Measure m : Measure.values()) {
            PlausibleRange r = m.defaultPlausibleRange();
            for (int contentFormat : new int[]{ReadingParser.JSON, ReadingParser.CBOR, ReadingParser.TEXT}) {
                all.add(Arguments.of(m, contentFormat, r.min(), true));
                all.add(Arguments.of(m, contentFormat, r.max(), true));
                all.add(Arguments.of(m, contentFormat, Math.nextDown(r.min()), false));
                all.add(Arguments.of(m, contentFormat, Math.nextUp(r.max()), false));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {2} in content format {1}: plausible {3}")
    @MethodSource("bounds")
    void when_valueAtOrBeyondABound_then_readingOrDeadLetterNamingMeasureValueAndRange(
            Measure m, int contentFormat, double value, boolean plausible) {
        Decoded d = nested.parse(payload(m, value, contentFormat));

        if (plausible) {
            assertThat(d).isInstanceOf(SensorReading.class);
            assertThat(((SensorReading) d).value(m)).isEqualTo(value);
        } else {
            assertThat(reason(d)).isEqualTo("field 'payload." + m.key() + "': " + m.key() + " " + value
                    + " is outside the plausible range " + m.defaultPlausibleRange());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"NaN", "Infinity", "-Infinity", "+Infinity", "1e400", "-1e400", "1E+309"})
    void when_jsonOrTextMeasureNotFinite_then_deadLetterNamingFieldAndValueAsWritten(String token) {
        String expected = "field 'payload.pressure': pressure " + token
                + " is not a finite number (plausible range 300..1100)";

        assertThat(reason(nested.parse(json("{" + HEAD + ",\"payload\":{\"pressure\":" + token + "}}"))))
                .isEqualTo(expected);
        assertThat(reason(nested.parse(text("id=s-1;place_id=p-3;timestamp=1;payload.pressure=" + token))))
                .isEqualTo(expected);
    }

    @Test
    void when_jsonIntegerBeyondADouble_then_deadLetterNamingIt() {
        String huge = BigInteger.TEN.pow(400).toString();

        assertThat(reason(nested.parse(json("{" + HEAD + ",\"payload\":{\"luminosity\":" + huge + "}}"))))
                .isEqualTo("field 'payload.luminosity': luminosity " + huge
                        + " is not a finite number (plausible range 0..200000)");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void when_cborFloatNotFinite_then_deadLetterNamingField(double value) {
        assertThat(reason(nested.parse(payload(Measure.HUMIDITY, value, ReadingParser.CBOR))))
                .isEqualTo("field 'payload.humidity': humidity " + value
                        + " is not a finite number (plausible range 0..100)");
    }

    @Test
    void when_rangesConfigured_then_theyReplaceTheDefaultsOfTheirMeasuresOnly() {
        ReadingParser cold = new ReadingParser(ReadingFormat.nested(),
                Map.of(Measure.TEMPERATURE, PlausibleRange.parse("-40..85")));

        assertThat(cold.parse(payload(Measure.TEMPERATURE, -40, ReadingParser.JSON))).isInstanceOf(SensorReading.class);
        assertThat(reason(cold.parse(payload(Measure.TEMPERATURE, 85.5, ReadingParser.JSON))))
                .isEqualTo("field 'payload.temperature': temperature 85.5 is outside the plausible range -40..85");
        assertThat(cold.parse(payload(Measure.PRESSURE, 1100, ReadingParser.JSON))).isInstanceOf(SensorReading.class);
        assertThat(cold.plausibleRanges()).containsEntry(Measure.TEMPERATURE, new PlausibleRange(-40, 85))
                .containsEntry(Measure.HUMIDITY, Measure.HUMIDITY.defaultPlausibleRange());
        assertThat(JavaSerialization.roundTrip(cold).plausibleRanges()).isEqualTo(cold.plausibleRanges());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "measure twice | \"payload\":{\"temperature\":21,\"temperature\":99} | payload.temperature",
            "id twice | \"id\":\"s-2\",\"payload\":{\"temperature\":21} | id",
            "timestamp twice | \"timestamp\":1,\"payload\":{\"temperature\":21} | timestamp",
            "object twice | \"payload\":{\"temperature\":21},\"payload\":{\"humidity\":40} | payload",
    })
    void when_fieldOfTheFormatRepeated_then_deadLetterNamingIt(String name, String rest, String field) {
        assertThat(reason(nested.parse(json("{" + HEAD + "," + rest + "}"))))
                .isEqualTo("field '" + field + "' appears twice");
    }

    @Test
    void when_cborMapRepeatsAField_then_deadLetterNamingIt() {
        byte[] cbor = cbor(g -> {
            g.writeStringField("id", "s-1");
            g.writeStringField("place_id", "p-3");
            g.writeNumberField("timestamp", 5);
            g.writeObjectFieldStart("payload");
            g.writeNumberField("humidity", 40);
            g.writeNumberField("humidity", 99);
            g.writeEndObject();
        });

        assertThat(reason(nested.parse(new RawReading(SOURCE, 1, cbor, ReadingParser.CBOR))))
                .isEqualTo("field 'payload.humidity' appears twice");
    }

    @Test
    void when_fieldOutsideTheFormatRepeated_then_readingAsUsual() {
        assertThat(nested.parse(json("{" + HEAD + ",\"note\":1,\"note\":2,\"payload\":{\"x\":1,\"x\":2,"
                + "\"temperature\":21}}")))
                .isEqualTo(new SensorReading("s-1", "p-3", 1600000000000L, 21, Double.NaN, Double.NaN, Double.NaN));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"9223372036854775808", "-9223372036854775809", "100000000000000000000000"})
    void when_timestampBeyondALong_then_deadLetterSaysSoNotMalformed(String ts) {
        String expected = "field 'timestamp': timestamp " + ts + " is out of the range of epoch milliseconds";

        assertThat(reason(nested.parse(json("{\"id\":\"s\",\"place_id\":\"p\",\"timestamp\":" + ts
                + ",\"payload\":{\"temperature\":1}}")))).isEqualTo(expected);
        assertThat(reason(nested.parse(text("id=s;place_id=p;payload.temperature=1;timestamp=" + ts))))
                .isEqualTo(expected);
        byte[] cbor = cbor(g -> {
            g.writeStringField("id", "s");
            g.writeStringField("place_id", "p");
            g.writeFieldName("timestamp");
            g.writeNumber(new BigInteger(ts));
            g.writeObjectFieldStart("payload");
            g.writeNumberField("temperature", 1);
            g.writeEndObject();
        });
        assertThat(reason(nested.parse(new RawReading(SOURCE, 1, cbor, ReadingParser.CBOR)))).isEqualTo(expected);
    }

    @Test
    void when_timestampIsLongMax_then_read() {
        assertThat(nested.parse(json("{\"id\":\"s\",\"place_id\":\"p\",\"timestamp\":9223372036854775807,"
                + "\"payload\":{\"temperature\":1}}"))).isInstanceOf(SensorReading.class);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Measure.class)
    void when_defaultRangeWrittenAndParsed_then_same(Measure m) {
        PlausibleRange r = m.defaultPlausibleRange();

        assertThat(PlausibleRange.parse(r.toString())).isEqualTo(r);
    }

    @Test
    void when_rangeTextBad_then_messageSaysWhatIsExpected() {
        assertThat(PlausibleRange.parse(" -0.5 .. 2e5 ")).isEqualTo(new PlausibleRange(-0.5, 200_000));
        assertThat(new PlausibleRange(-60, 150)).hasToString("-60..150");
        assertThatThrownBy(() -> PlausibleRange.parse("150")).hasMessage("expected min..max, was '150'");
        assertThatThrownBy(() -> PlausibleRange.parse("150..-60"))
                .hasMessage("a plausible range needs finite bounds, min <= max, was 150..-60");
        assertThatThrownBy(() -> PlausibleRange.parse("NaN..1")).hasMessageContaining("finite bounds");
        assertThatThrownBy(() -> PlausibleRange.parse("0..Infinity")).hasMessageContaining("finite bounds");
        assertThatThrownBy(() -> PlausibleRange.parse("a..b")).isInstanceOf(NumberFormatException.class);
    }

    /** A nested reading whose only measure is {@code m} at {@code value}, in {@code contentFormat}. */
    private static RawReading payload(Measure m, double value, int contentFormat) {
        return switch (contentFormat) {
            case ReadingParser.JSON -> json("{" + HEAD + ",\"payload\":{\"" + m.key() + "\":" + value + "}}");
            case ReadingParser.TEXT -> text("id=s-1 place_id=p-3 timestamp=1 payload." + m.key() + "=" + value);
            default -> new RawReading(SOURCE, 1, cbor(g -> {
                g.writeStringField("id", "s-1");
                g.writeStringField("place_id", "p-3");
                g.writeNumberField("timestamp", 1);
                g.writeObjectFieldStart("payload");
                g.writeNumberField(m.key(), value);
                g.writeEndObject();
            }), ReadingParser.CBOR);
        };
    }

    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] cbor(Fields fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = new CBORFactory().createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static RawReading json(String json) {
        return new RawReading(SOURCE, 1, json.getBytes(StandardCharsets.UTF_8), ReadingParser.JSON);
    }

    private static RawReading text(String text) {
        return new RawReading(SOURCE, 1, text.getBytes(StandardCharsets.UTF_8), ReadingParser.TEXT);
    }

    private static String reason(Decoded d) {
        assertThat(d).isInstanceOf(DeadLetter.class);
        return ((DeadLetter) d).reason();
    }
}
