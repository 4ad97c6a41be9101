package io.iotgrid.core;

import java.util.Objects;

/**
 * An input that could not be processed, kept with everything needed to find and replay it. Jobs write dead
 * letters to an IMap (default name {@value GridNames#DEAD_LETTERS}) keyed by a random UUID; nothing that
 * fails to parse is dropped without one.
 *
 * @param source     where the input came from (see {@link RawReading#source()})
 * @param receivedAt when it was received, epoch milliseconds
 * @param reason     a sentence that says what is wrong, naming the field where there is one
 * @param payload    the raw bytes, unchanged
 */
public record DeadLetter(String source, long receivedAt, String reason, byte[] payload) implements Decoded {

    public DeadLetter {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(payload, "payload");
    }

    /** A dead letter for {@code raw} that gives {@code reason}. */
    public static DeadLetter of(RawReading raw, String reason) {
        return new DeadLetter(raw.source(), raw.receivedAt(), reason, raw.payload());
    }
}
