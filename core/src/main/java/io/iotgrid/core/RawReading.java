package io.iotgrid.core;

import java.util.Objects;

/**
 * A payload as a source received it, before parsing.
 *
 * @param source        where it came from, e.g. {@code coap://127.0.0.1:5683/sensors/s-1} or
 *                      {@code kafka:readings/3@1200}; copied into dead letters so a bad payload can be traced
 * @param receivedAt    wall-clock time of receipt, epoch milliseconds
 * @param payload       the bytes exactly as received
 * @param contentFormat the CoAP Content-Format number of the payload (0 text/plain, 50 application/json,
 *                      60 application/cbor, ...), or {@value #UNKNOWN_CONTENT_FORMAT} when the source does not know
 *                      it; {@link ReadingParser} reads an unknown format as JSON
 */
public record RawReading(String source, long receivedAt, byte[] payload, int contentFormat) {

    /** {@link #contentFormat()} of a payload whose source gives no format. */
    public static final int UNKNOWN_CONTENT_FORMAT = -1;

    public RawReading {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(payload, "payload");
        if (contentFormat < UNKNOWN_CONTENT_FORMAT || contentFormat > 65_535) {
            throw new IllegalArgumentException("contentFormat must be -1 (unknown) or 0 to 65535, was "
                    + contentFormat);
        }
    }

    /** A payload of unknown content format, read as JSON. */
    public RawReading(String source, long receivedAt, byte[] payload) {
        this(source, receivedAt, payload, UNKNOWN_CONTENT_FORMAT);
    }
}
