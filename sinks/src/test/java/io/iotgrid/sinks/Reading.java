package io.iotgrid.sinks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

/** What the CoAP sink tests send: a record with a java.time field, which the sink writes as ISO-8601 text. */
record Reading(String sensorId, long seq, double temperature, Instant at) implements Serializable {

    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule()).build();

    /** {@code count} readings spread over {@code sensors} round-robin, each with its sequence number. */
    static List<Reading> sequence(int count, List<String> sensors) {
        Instant start = Instant.parse("2026-11-24T08:00:00Z");
        return IntStream.range(0, count)
                        .mapToObj(i -> new Reading(sensors.get(i % sensors.size()), i, 20 + i / 10.0,
                                start.plusMillis(i)))
                        .toList();
    }

    /** The reading a sink sent as {@code json}. */
    static Reading parse(String json) {
        try {
            return JSON.readValue(json, Reading.class);
        } catch (IOException e) {
            throw new UncheckedIOException("not a Reading: " + json, e);
        }
    }
}
