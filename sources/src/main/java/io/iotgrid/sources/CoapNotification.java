package io.iotgrid.sources;

import io.iotgrid.core.PayloadLimit;
import io.iotgrid.core.RawReading;

import java.util.Objects;

/**
 * One CoAP response that {@link CoapSources#observeNotifications(CoapObserveSettings)} received for an observed
 * resource, with the metadata stream-reactor's CoAP source record carried, but with epoch timestamps.
 *
 * @param resource      the observed resource's URI, as configured or discovered
 * @param receivedAt    wall-clock time of receipt, epoch milliseconds
 * @param messageId     the CoAP message id
 * @param type          the message type: {@code CON}, {@code NON} or {@code ACK} (piggy-backed answer)
 * @param code          the response code, e.g. {@code 2.05}
 * @param token         the token, in hex
 * @param observe       the Observe option's sequence number (0 to 2^24 - 1), or {@value #NO_OBSERVE} when the
 *                      response has none (the relation ended)
 * @param contentFormat the Content-Format option (e.g. 50 JSON, 60 CBOR, 0 text), or
 *                      {@value RawReading#UNKNOWN_CONTENT_FORMAT} when absent
 * @param maxAge        the Max-Age option in seconds (60 when absent, CoAP's default)
 * @param sourceHost    the address the response came from
 * @param sourcePort    the UDP port the response came from
 * @param uriPath       the resource's path, e.g. {@code /sensors/s-1}
 * @param uriQuery      the resource's query without {@code ?}, or an empty string
 * @param payload       the payload bytes, unchanged; only the first ones (at most
 *                      {@value PayloadLimit#KEPT_BYTES}) when the notification is too large
 * @param size          the payload's size as the server sent it, in bytes: {@code payload.length} unless too large,
 *                      {@value PayloadLimit#UNKNOWN_SIZE} when a block-wise transfer went past the limit without
 *                      saying its size (no Size2 option)
 * @param tooLarge      whether the payload exceeded {@link CoapObserveSettings#maxPayloadBytes()}, so that
 *                      {@code payload} holds only its first bytes: {@link CoapSources#readings} makes it a dead
 *                      letter, {@link CoapSources#observe} skips it
 */
public record CoapNotification(
        String resource,
        long receivedAt,
        int messageId,
        String type,
        String code,
        String token,
        long observe,
        int contentFormat,
        long maxAge,
        String sourceHost,
        int sourcePort,
        String uriPath,
        String uriQuery,
        byte[] payload,
        long size,
        boolean tooLarge
) {

    /** {@link #observe()} of a response without the Observe option. */
    public static final long NO_OBSERVE = -1;

    public CoapNotification {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(payload, "payload");
    }

    /** The payload for parsing: source = resource, with the receipt time and the content format. */
    public RawReading toRawReading() {
        return new RawReading(resource, receivedAt, payload, contentFormat);
    }
}
