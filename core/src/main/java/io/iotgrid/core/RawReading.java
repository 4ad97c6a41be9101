package io.iotgrid.core;

import java.util.Objects;

/**
 * A payload as a source received it, before parsing.
 *
 * @param source     where it came from, e.g. {@code coap://127.0.0.1:5683/sensors/s-1} or
 *                   {@code kafka:readings/3@1200}; copied into dead letters so a bad payload can be traced
 * @param receivedAt wall-clock time of receipt, epoch milliseconds
 * @param payload    the bytes exactly as received
 */
public record RawReading(String source, long receivedAt, byte[] payload) {

    public RawReading {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(payload, "payload");
    }
}
