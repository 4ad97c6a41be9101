package io.iotgrid.sinks.impl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** Items as UTF-8 JSON: records, maps, collections and POJOs through Jackson, java.time values as ISO-8601 text. */
final class JsonBytes {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private JsonBytes() {
    }

    /** {@code item} as JSON; fails for what Jackson cannot write, e.g. an object without properties. */
    static byte[] of(Object item) throws JsonProcessingException {
        return MAPPER.writeValueAsBytes(item);
    }
}
