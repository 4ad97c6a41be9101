package io.iotgrid.core;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ReadingParser} chooses JSON, CBOR or text by the payload's CoAP content format. */
class ReadingParserContentFormatTest {

    private static final String SOURCE = "coap://127.0.0.1:5683/sensors/s-1";
    private static final SensorReading EXPECTED = new SensorReading("s-1", "p-3", 1_600_000_000_000L, 21.5,
            Double.NaN, 1013, Double.NaN);

    private final ReadingParser nested = new ReadingParser(ReadingFormat.nested());

    @Test
    void when_cbor_then_sameReadingAsJson() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = new CBORFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("id", "s-1");
            g.writeStringField("place_id", "p-3");
            g.writeNumberField("timestamp", 1_600_000_000_000L);
            g.writeObjectFieldStart("payload");
            g.writeNumberField("temperature", 21.5);
            g.writeNumberField("pressure", 1013);
            g.writeEndObject();
            g.writeEndObject();
        }

        assertThat(nested.parse(new RawReading(SOURCE, 1, out.toByteArray(), ReadingParser.CBOR))).isEqualTo(EXPECTED);
        assertThat(nested.parse(json("{\"id\":\"s-1\",\"place_id\":\"p-3\",\"timestamp\":1600000000000,"
                + "\"payload\":{\"temperature\":21.5,\"pressure\":1013}}", ReadingParser.JSON))).isEqualTo(EXPECTED);
    }

    @Test
    void when_cborMalformedOrNotAMap_then_deadLetterSaysCbor() {
        byte[] truncated = {(byte) 0xa2, 0x62, 'i', 'd'};
        assertThat(reason(new RawReading(SOURCE, 1, truncated, ReadingParser.CBOR))).startsWith("malformed CBOR");
        byte[] array = {(byte) 0x81, 0x01};
        assertThat(reason(new RawReading(SOURCE, 1, array, ReadingParser.CBOR))).isEqualTo("payload is not a CBOR "
                + "object");
    }

    @Test
    void when_text_then_pathValuePairsRead() {
        assertThat(nested.parse(text("id=s-1;place_id=p-3 timestamp=1600000000000&payload.temperature=21.5\n"
                + "payload.pressure=1013;payload.humidity=null;note=ignored"))).isEqualTo(EXPECTED);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no equals sign|id=s-1;garbage|text part 'garbage' is not path=value",
            "bad timestamp|id=s-1;place_id=p;timestamp=soon;payload.temperature=1|field 'timestamp' must be an "
                    + "integer of epoch milliseconds but was 'soon'",
            "bad measure|id=s-1;place_id=p;timestamp=5;payload.temperature=warm|field 'payload.temperature' must be "
                    + "a number but was 'warm'",
            "twice|id=s-1;id=s-2|field 'id' appears twice",
            "missing|id=s-1;place_id=p;payload.temperature=1|missing field 'timestamp'",
    })
    void when_textInvalid_then_deadLetterWithReason(String name, String payload, String expected) {
        assertThat(reason(text(payload))).isEqualTo(expected);
    }

    @Test
    void when_textNotUtf8_then_deadLetter() {
        assertThat(reason(new RawReading(SOURCE, 1, new byte[]{(byte) 0xff, (byte) 0xfe}, ReadingParser.TEXT)))
                .isEqualTo("text payload is not UTF-8");
    }

    @Test
    void when_unsupportedContentFormat_then_deadLetterKeepsBytes() {
        RawReading xml = new RawReading(SOURCE, 1, "<r/>".getBytes(StandardCharsets.UTF_8), 41);

        Decoded d = nested.parse(xml);

        assertThat(d).isInstanceOf(DeadLetter.class);
        assertThat(((DeadLetter) d).reason()).isEqualTo("unsupported content format 41: expected JSON (50), CBOR (60) "
                + "or text (0)");
        assertThat(((DeadLetter) d).payload()).isEqualTo(xml.payload());
    }

    @Test
    void when_threeArgumentConstructor_then_unknownFormatReadAsJson() {
        RawReading raw = new RawReading(SOURCE, 1, "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(raw.contentFormat()).isEqualTo(RawReading.UNKNOWN_CONTENT_FORMAT);
        assertThat(reason(raw)).isEqualTo("missing field 'id'");
    }

    private String reason(RawReading raw) {
        Decoded d = nested.parse(raw);
        assertThat(d).isInstanceOf(DeadLetter.class);
        return ((DeadLetter) d).reason();
    }

    private static RawReading text(String payload) {
        return json(payload, ReadingParser.TEXT);
    }

    private static RawReading json(String payload, int contentFormat) {
        return new RawReading(SOURCE, 1, payload.getBytes(StandardCharsets.UTF_8), contentFormat);
    }
}
