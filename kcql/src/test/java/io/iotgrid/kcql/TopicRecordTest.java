package io.iotgrid.kcql;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicRecordTest {

    @Test
    void when_jsonObject_then_linkedTreeInDocumentOrder() {
        TopicRecord record = TopicRecord.json("t", "k", ("{\"b\":1,\"a\":{\"y\":[1,2.5,null],\"x\":true},"
                + "\"big\":123456789012345678901234567890}").getBytes(UTF_8));

        assertThat(record.topic()).isEqualTo("t");
        assertThat(record.key()).isEqualTo("k");
        assertThat(record.value()).isInstanceOf(LinkedHashMap.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> value = (Map<String, Object>) record.value();
        assertThat(value).containsOnlyKeys("b", "a", "big");
        assertThat(value.keySet()).containsExactly("b", "a", "big");
        assertThat(value.get("a")).isEqualTo(Map.of("y", java.util.Arrays.asList(1, 2.5, null), "x", true));
        assertThat(value.get("big")).isEqualTo(new BigInteger("123456789012345678901234567890"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            [1,2]                 | record from topic t is an array, expected a JSON object
            "text"                | record from topic t is a string, expected a JSON object
            42                    | record from topic t is a number, expected a JSON object
            null                  | record from topic t is null, expected a JSON object
            {"a":1                | record from topic t is not valid JSON at line 1, column 7: Unexpected end-of-input
            {"a":1} {"b":2}       | record from topic t is not valid JSON at line 1, column 9: Trailing token
            {"a":1,"a":2}         | record from topic t is not valid JSON at line 1, column 11: Duplicate field 'a'
            {a:1}                 | record from topic t is not valid JSON at line 1, column 2: Unexpected character ('a'
            """)
    void when_notOneJsonObject_then_rejectedSayingWhy(String json, String message) {
        assertThatThrownBy(() -> TopicRecord.json("t", null, json.getBytes(UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void when_noBytes_then_rejected() {
        assertThatThrownBy(() -> TopicRecord.json("t", null, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("record from topic t has no JSON value");
    }

    @Test
    void when_valueNeitherTreeNorAvro_then_rejected() {
        assertThatThrownBy(() -> new TopicRecord("t", null, List.of(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the value of a record from topic t must be a JSON object tree (Map) or an Avro "
                        + "GenericRecord, was java.util.ImmutableCollections$List12");
    }
}
