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
 * @param payload    the raw bytes, unchanged (a Kafka record's value; empty for a record without a value)
 * @param topic      the Kafka topic of the record or the MQTT topic of the message, or {@code null} for other input
 * @param partition  the Kafka partition of the record, or {@value #NO_PARTITION}
 * @param offset     the offset of the record in its partition, or {@value #NO_OFFSET}
 * @param key        the raw bytes of the Kafka record's key, or {@code null} when it had none or for other input
 */
public record DeadLetter(String source, long receivedAt, String reason, byte[] payload,
                         String topic, int partition, long offset, byte[] key) implements Decoded {

    /** {@link #partition()} of input that did not come from Kafka. */
    public static final int NO_PARTITION = -1;
    /** {@link #offset()} of input that did not come from Kafka. */
    public static final long NO_OFFSET = -1;

    public DeadLetter {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(payload, "payload");
    }

    /** A dead letter of input that did not come from Kafka: no topic, partition, offset or key. */
    public DeadLetter(String source, long receivedAt, String reason, byte[] payload) {
        this(source, receivedAt, reason, payload, null, NO_PARTITION, NO_OFFSET, null);
    }

    /** A dead letter for {@code raw} that gives {@code reason}. */
    public static DeadLetter of(RawReading raw, String reason) {
        return new DeadLetter(raw.source(), raw.receivedAt(), reason, raw.payload());
    }

    /**
     * A dead letter for a Kafka record, with its coordinates and raw key and value. The {@code source} is
     * {@code kafka:<topic>/<partition>@<offset>}.
     */
    public static DeadLetter ofKafka(String topic, int partition, long offset, byte[] key, byte[] value,
                                     long receivedAt, String reason) {
        return new DeadLetter("kafka:" + topic + '/' + partition + '@' + offset, receivedAt, reason,
                value == null ? new byte[0] : value, topic, partition, offset, key);
    }
}
