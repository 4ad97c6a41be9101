package io.iotgrid.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parser's plain JSON reader against Jackson: a field {@code "zz":"\u0041"} put first in the root object changes
 * nothing a reading holds, but its escape makes the plain reader give up, so Jackson reads that payload. Whenever
 * either copy of a payload gives a reading, both must give the same one; when neither does, the outcome came from
 * Jackson anyway. The payloads are valid readings written in many ways and mutated at random.
 */
class ReadingParserPlainJsonTest {

    private static final String ESCAPED_FIELD = "\"zz\":\"\\u0041\",";

    private final ReadingParser parser = new ReadingParser(ReadingFormat.nested());

    @ParameterizedTest
    @ValueSource(strings = {"21", "-0", "-0.0", "0", "0.5", "21.5", "1e2", "1E+2", "1.5e-3", "2.5E1", "-12.75",
            "150", "-60", "100.00000000000001", "0.1", "0.30000000000000004", "123456789012345678", "1234567890123456789",
            "12345678901234567890", "9007199254740993", "9007199254740993.0", "1.7976931348623157e308", "4.9e-324",
            "01", "+1", ".5", "1.", "1e", "1e+", "-", "--1", "1.5.5", "0x10", "NaN", "Infinity", "-Infinity", "1e400",
            "151", "-60.0000001", "\"21\"", "true", "null", "[21]", "{}", "1_0", "12e-25", "1234567.1234567",
            "0.000000000000000000001", "1e-7", "99.99999999999999999999"})
    void when_measureWrittenSo_then_plainReaderAgreesWithJackson(String temperature) {
        assertAgrees("{\"id\":\"s-1\",\"place_id\":\"p-3\",\"timestamp\":1600000000000,"
                + "\"payload\":{\"temperature\":" + temperature + ",\"humidity\":40}}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"s-1\"", "17", "-0", "0", "12.5", "1e3", "\"\"", "\"  \"", "\" s \"", "\"s\\u002d1\"",
            "\"caf\u00e9\"", "\"\u4e00\"", "null", "true", "{}", "[]", "\"" + "x" + "\"", "00", "\"tab\there\""})
    void when_idWrittenSo_then_plainReaderAgreesWithJackson(String id) {
        assertAgrees("{\"id\":" + id + ",\"place_id\":\"p\",\"timestamp\":5,\"payload\":{\"pressure\":1000}}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "0", "-1", "1.0", "1e3", "9223372036854775807", "9223372036854775808",
            "123456789012345678", "1234567890123456789", "\"1\"", "null", "01"})
    void when_timestampWrittenSo_then_plainReaderAgreesWithJackson(String ts) {
        assertAgrees("{\"id\":\"s\",\"place_id\":\"p\",\"timestamp\":" + ts + ",\"payload\":{\"pressure\":1000}}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "x", "{}", "1", "\u00ff", "\n\t\r ", " \u000b", "]", "}", ",", "\"a\"", " tr",
            " nul", " 1", " \"abc}", "/* c */"})
    void when_somethingFollowsTheObject_then_plainReaderAgreesWithJackson(String tail) {
        assertAgrees("{\"id\":\"s\",\"place_id\":\"p\",\"timestamp\":5,\"payload\":{\"pressure\":1000}}" + tail);
    }

    @Test
    void when_unknownFieldsOfEveryKind_then_skippedAsJacksonDoes() {
        assertAgrees("{\"a\":[1,2.5,-3e2,\"x\",true,false,null,{\"b\":[[],{}]}],\"id\":\"s\",\"c\":{\"payload\":{"
                + "\"temperature\":999}},\"place_id\":\"p\",\"timestamp\":5,\"d\":null,\"payload\":{\"x\":\"y\","
                + "\"pressure\":1000,\"e\":[]},\"f\":\"\u00e9\\n\"}");
        assertAgrees(" \n{ \"id\" : \"s\" , \"place_id\" :\t\"p\" ,\r\n \"timestamp\" : 5 , \"payload\" : "
                + "{ \"pressure\" : 1000 } } \n");
        assertAgrees("{\"id\":\"s\",\"place_id\":\"p\",\"timestamp\":5,\"payload\":{\"pressure\":1000},\"id\":\"t\"}");
        assertAgrees("{\"id\":\"s\",\"place_id\":\"p\",\"timestamp\":5,\"payload\":{\"pressure\":1000},\"x\":1,\"x\":2}");
        assertAgrees("{\"id\":\"s\",\"place_id\":\"p\",\"timestamp\":5,\"payload\":{\"pressure\":1000,}}");
        assertAgrees("{\"id\":\"s\",\"place_id\":\"p\",\"timestamp\":5,\"payload\":" + "[".repeat(40) + "]".repeat(40)
                + "}");
        assertAgrees("{\"id\":\"s\",\"place_id\":\"p\",\"timestamp\":5,\"x\":" + "[".repeat(40) + "]".repeat(40)
                + ",\"payload\":{\"pressure\":1000}}");
        assertAgrees("{\"id\":\"s\",\"place_id\":\"p\",\"timestamp\":5,\"payload\":{\"pressure\":null,\"humidity\":1}}");
        assertAgrees("{\"id\":\"s\",\"place_id\":\"p\",\"timestamp\":5,\"payload\":{\"pressure\":null}}");
        assertAgrees("{\"id\":\"s\",\"place_id\":\"p\",\"timestamp\":5,\"payload\":null}");
    }

    @Test
    void when_randomNumbersAndMutations_then_plainReaderAgreesWithJackson() {
        Random random = new Random(18);
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            payloads.add(payload(random));
        }
        String alphabet = "{}[]\":,.-+eE0123456789 \n\tnultrfas\\\u00e9\u0000";
        int readings = 0;
        for (String p : payloads) {
            readings += assertAgrees(p) ? 1 : 0;
            assertAgrees(p.substring(0, random.nextInt(p.length())));
            StringBuilder mutated = new StringBuilder(p);
            int at = random.nextInt(p.length());
            char c = alphabet.charAt(random.nextInt(alphabet.length()));
            switch (random.nextInt(3)) {
                case 0 -> mutated.setCharAt(at, c);
                case 1 -> mutated.insert(at, c);
                default -> mutated.deleteCharAt(at);
            }
            assertAgrees(mutated.toString());
        }
        // The generated payloads are mostly valid: the comparison is about readings, not only dead letters.
        assertThat(readings).isGreaterThan(payloads.size() / 2);
    }

    private static String payload(Random random) {
        double t = -60 + random.nextDouble() * 210;
        return "{\"id\":\"s-" + random.nextInt(100) + "\",\"place_id\":" + random.nextInt(10) + ",\"timestamp\":"
                + (1 + (random.nextLong() & 0xffffffffffL)) + ",\"payload\":{\"temperature\":" + number(random, t)
                + ",\"humidity\":" + number(random, random.nextDouble() * 100) + ",\"pressure\":"
                + number(random, 800 + random.nextDouble() * 300) + ",\"luminosity\":"
                + number(random, random.nextDouble() * 1e5) + "}}";
    }

    /** {@code v} written as JSON writers write numbers: shortest repr, fixed decimals, exponent, integer. */
    private static String number(Random random, double v) {
        return switch (random.nextInt(6)) {
            case 0 -> Double.toString(v);
            case 1 -> String.format(Locale.ROOT, "%." + random.nextInt(18) + "f", v);
            case 2 -> String.format(Locale.ROOT, "%." + random.nextInt(20) + "e", v);
            case 3 -> Long.toString(Math.round(v));
            case 4 -> new BigDecimal(v).toPlainString();
            default -> BigDecimal.valueOf(v).round(new java.math.MathContext(1 + random.nextInt(25)))
                    .toString();
        };
    }

    /** Whether {@code json} gave a reading; fails unless it and its Jackson-read copy agree. */
    private boolean assertAgrees(String json) {
        byte[] plain = json.getBytes(StandardCharsets.UTF_8);
        Decoded direct = parser.parse(new RawReading("t", 1, plain));
        int brace = json.indexOf('{');
        if (brace < 0) {
            return direct instanceof SensorReading;
        }
        String forced = json.substring(0, brace + 1) + ESCAPED_FIELD + json.substring(brace + 1);
        Decoded viaJackson = parser.parse(new RawReading("t", 1, forced.getBytes(StandardCharsets.UTF_8)));
        if (direct instanceof SensorReading || viaJackson instanceof SensorReading) {
            assertThat(direct).as(json).isEqualTo(viaJackson);
        }
        return direct instanceof SensorReading;
    }
}
