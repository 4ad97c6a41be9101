package io.iotgrid.sources.impl;

import java.io.Serializable;

/**
 * The last notification a resource delivered: its Observe number and a hash of its payload. Kept in snapshots, so
 * that after a restore (and after any re-observation) the first answer that repeats it is not delivered again.
 *
 * @param observe     the Observe option's number
 * @param payloadHash {@link java.util.Arrays#hashCode(byte[])} of the payload
 */
public record ObserveMark(long observe, int payloadHash) implements Serializable {

    /** Observe numbers are 24 bits (RFC 7641 §3.4). */
    static final long OBSERVE_MODULO = 1L << 24;
    private static final long HALF = 1L << 23;

    /**
     * How many Observe numbers were skipped between {@code previous} and {@code next} of one relation: 0 when
     * {@code next} follows it directly or is not newer (RFC 7641 §3.4 ordering; Californium drops those anyway).
     */
    static long skipped(long previous, long next) {
        long distance = Math.floorMod(next - previous, OBSERVE_MODULO);
        if (distance == 0 || distance >= HALF) {
            return 0;
        }
        return distance - 1;
    }
}
