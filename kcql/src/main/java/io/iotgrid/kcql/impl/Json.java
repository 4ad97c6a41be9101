package io.iotgrid.kcql.impl;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import org.apache.avro.generic.GenericRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** Jackson set up once for reading record values and writing JSON output. */
public final class Json {

    // A repeated name or trailing content would otherwise be dropped without a word: reject them instead.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {
    }

    /** The JSON object in {@code json} as a {@code LinkedHashMap} tree; {@code what} names it in errors. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> readObject(byte[] json, String what) {
        if (json == null || json.length == 0) {
            throw new IllegalArgumentException(what + " has no JSON value");
        }
        Object root;
        try {
            root = MAPPER.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new IllegalArgumentException(what + " is not valid JSON" + where + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!(root instanceof Map)) {
            throw new IllegalArgumentException(what + " is " + describe(root) + ", expected a JSON object");
        }
        return (Map<String, Object>) root;
    }

    /** {@code value} as JSON text. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + describe(value) + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** What kind of JSON value {@code value} is, for messages: "a string", "an array", "null"... */
    public static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof CharSequence) {
            return "a string";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof List) {
            return "an array";
        }
        if (value instanceof Map || value instanceof GenericRecord) {
            return "an object";
        }
        return "a " + value.getClass().getSimpleName();
    }
}
