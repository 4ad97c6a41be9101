package io.iotgrid.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.iotgrid.core.testing.ReadingArbitraries;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.iotgrid.core.testing.ReadingArbitraries.assertWellFormed;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of {@link ReadingParser} over generated input: whatever the bytes, it answers with a reading or a dead
 * letter and every reading it gives is finite and plausible; every valid reading, written in each content format
 * and shape, reads back as itself.
 */
class ReadingParserPropertiesTest {

    private static final String SOURCE = "coap://127.0.0.1:5683/sensors/s-1";
    private static final ReadingFormat[] FORMATS = {ReadingFormat.flat(), ReadingFormat.nested()};
    private static final ReadingParser[] PARSERS = {new ReadingParser(FORMATS[0]), new ReadingParser(FORMATS[1])};
    private static final int[] CONTENT_FORMATS = {RawReading.UNKNOWN_CONTENT_FORMAT, ReadingParser.JSON,
            ReadingParser.CBOR, ReadingParser.TEXT, 42};

    @Property
    void anyBytes_giveAReadingOrADeadLetter_andReadingsAreFiniteAndPlausible(
            @ForAll @Size(max = 200) byte[] payload, @ForAll @IntRange(max = 4) int contentFormat,
            @ForAll @IntRange(max = 1) int format) {
        assertWellFormed(parse(format, payload, CONTENT_FORMATS[contentFormat]));
    }

    /** Objects made of the format's own fields and a few others, with values good, bad and repeated. */
    @Property
    void payloadsNearTheFormat_giveAReadingOrADeadLetter_andRepeatedFieldsNeverGiveAReading(
            @ForAll("fieldLists") List<Map.Entry<String, String>> fields, @ForAll @IntRange(max = 1) int format) {
        ReadingFormat f = FORMATS[format];
        StringBuilder json = new StringBuilder("{");
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, String> e : fields) {
            String path = f == FORMATS[0] ? e.getKey().replace("payload.", "") : e.getKey();
            json.append(json.length() == 1 ? "" : ",").append(jsonMember(path, e.getValue()));
            text.append(path).append('=').append(e.getValue().replace("\"", "")).append(';');
        }
        json.append('}');
        boolean repeated = fields.stream().map(Map.Entry::getKey).distinct().count() < fields.size();

        for (Decoded d : List.of(parse(format, utf8(json.toString()), ReadingParser.JSON),
                parse(format, utf8(text.toString()), ReadingParser.TEXT))) {
            assertWellFormed(d);
            if (repeated) {
                assertThat(d).as("%s", fields).isInstanceOf(DeadLetter.class);
            }
        }
    }

    @Property
    void validReadings_readBackAsThemselves_inEveryContentFormatAndShape(@ForAll("readings") SensorReading reading,
                                                                       @ForAll @IntRange(max = 1) int format) {
        ReadingFormat f = FORMATS[format];
        ReadingParser parser = PARSERS[format];

        assertThat(parser.parse(new RawReading(SOURCE, 1, write(new JsonFactory(), f, reading), ReadingParser.JSON)))
                .isEqualTo(reading);
        assertThat(parser.parse(new RawReading(SOURCE, 1, write(new CBORFactory(), f, reading), ReadingParser.CBOR)))
                .isEqualTo(reading);
        assertThat(parser.parse(new RawReading(SOURCE, 1, text(f, reading), ReadingParser.TEXT)))
                .isEqualTo(reading);
    }

    @Provide
    Arbitrary<SensorReading> readings() {
        return ReadingArbitraries.validReadings();
    }

    @Provide
    Arbitrary<List<Map.Entry<String, String>>> fieldLists() {
        Arbitrary<String> paths = Arbitraries.of("id", "place_id", "timestamp", "payload.temperature",
                "payload.humidity", "payload.pressure", "payload.luminosity", "note");
        Arbitrary<String> values = Arbitraries.oneOf(
                Arbitraries.of("1e400", "-1e400", "NaN", "Infinity", "-Infinity", "null", "\"s-1\"", "\"\"", "true",
                        "99999999999999999999", "-5", "0", "1600000000000", "1.7976931348623157E308", "4.9E-324"),
                Arbitraries.doubles().between(-1e6, 1e6).map(String::valueOf),
                Arbitraries.strings().alpha().ofMaxLength(5).map(s -> '"' + s + '"'));
        return Combinators.combine(paths, values).as(Map::entry).list().ofMaxSize(10);
    }

    private static Decoded parse(int format, byte[] payload, int contentFormat) {
        return PARSERS[format].parse(new RawReading(SOURCE, 1, payload, contentFormat));
    }

    private static String jsonMember(String path, String value) {
        // A dotted path becomes nested objects, the way the nested format keeps measures.
        int dot = path.indexOf('.');
        return dot < 0 ? '"' + path + "\":" + value
                : '"' + path.substring(0, dot) + "\":{" + jsonMember(path.substring(dot + 1), value) + '}';
    }

    /** {@code reading} written with {@code factory} (JSON or CBOR) in {@code format}'s shape. */
    static byte[] write(JsonFactory factory, ReadingFormat format, SensorReading reading) {
        Map<String, Object> tree = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : fields(format, reading).entrySet()) {
            put(tree, e.getKey(), e.getValue());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = factory.createGenerator(out)) {
            writeObject(g, tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] text(ReadingFormat format, SensorReading reading) {
        StringBuilder b = new StringBuilder();
        fields(format, reading).forEach((path, value) -> b.append(path).append('=').append(value).append(';'));
        return utf8(b.toString());
    }

    /** The reading's fields by dotted path; absent measures left out. */
    private static Map<String, Object> fields(ReadingFormat format, SensorReading reading) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put(format.sensorIdPath(), reading.sensorId());
        fields.put(format.placeIdPath(), reading.placeId());
        fields.put(format.timestampPath(), reading.timestamp());
        format.measurePaths().forEach((m, path) -> {
            if (reading.has(m)) {
                fields.put(path, reading.value(m));
            }
        });
        return fields;
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> tree, String path, Object value) {
        int dot = path.indexOf('.');
        if (dot < 0) {
            tree.put(path, value);
        } else {
            put((Map<String, Object>) tree.computeIfAbsent(path.substring(0, dot), k -> new LinkedHashMap<>()),
                    path.substring(dot + 1), value);
        }
    }

    @SuppressWarnings("unchecked")
    private static void writeObject(JsonGenerator g, Map<String, Object> object) throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, Object> e : object.entrySet()) {
            g.writeFieldName(e.getKey());
            Object v = e.getValue();
            if (v instanceof Map<?, ?> nested) {
                writeObject(g, (Map<String, Object>) nested);
            } else if (v instanceof String s) {
                g.writeString(s);
            } else if (v instanceof Long l) {
                g.writeNumber(l);
            } else {
                g.writeNumber((Double) v);
            }
        }
        g.writeEndObject();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
