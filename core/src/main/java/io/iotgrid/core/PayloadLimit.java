package io.iotgrid.core;

import io.iotgrid.core.settings.Setting;

import java.util.Arrays;

/**
 * The largest payload a source turns into a reading, {@value #KEY}, declared once here and taken by every source's
 * settings (CoAP, MQTT, Kafka), so that each job reads it under the same key. A larger payload is never parsed: it
 * becomes a {@link DeadLetter} that keeps only its first {@value #KEPT_BYTES} bytes and says its size in the reason,
 * so that one huge message neither costs a job its memory nor disappears unseen.
 * <pre>{@code
 * if (PayloadLimit.exceeds(value.length, max)) {
 *     return new DeadLetter(source, now, PayloadLimit.reason(value.length, max), PayloadLimit.head(value));
 * }
 * }</pre>
 */
public final class PayloadLimit {

    /** The key. */
    public static final String KEY = "payload.max.bytes";
    /** The default limit: 64 KiB. */
    public static final int DEFAULT_MAX_BYTES = 64 * 1024;
    /** How many of a too large payload's first bytes its dead letter keeps. */
    public static final int KEPT_BYTES = 1024;
    /** What {@link #reason} says when the size is not known, only that it is above the limit. */
    public static final long UNKNOWN_SIZE = -1;

    /** The setting, for a source's settings group; 1 byte to 64 MiB. */
    public static final Setting<Integer> MAX_BYTES = Setting.integer(KEY, DEFAULT_MAX_BYTES,
            "largest payload read as a reading, in bytes (default 65536, 64 KiB); a larger one becomes a dead letter "
                    + "holding its first " + KEPT_BYTES + " bytes, its size in the reason (docs/processing.md, "
                    + "\"Bad input\")")
            .require(n -> n >= 1 && n <= 64 * 1024 * 1024, "between 1 and 67108864 (64 MiB)");

    private PayloadLimit() {
    }

    /** Whether a payload of {@code size} bytes ({@link #UNKNOWN_SIZE}: above the limit by an unknown amount) is over it. */
    public static boolean exceeds(long size, int maxBytes) {
        return size == UNKNOWN_SIZE || size > maxBytes;
    }

    /**
     * The dead letter's reason: {@code payload of 8388608 bytes exceeds payload.max.bytes (65536); the dead letter
     * keeps its first 1024 bytes}.
     *
     * @param size the payload's size, or {@link #UNKNOWN_SIZE} when only known to be above {@code maxBytes}
     */
    public static String reason(long size, int maxBytes) {
        return "payload of " + (size == UNKNOWN_SIZE ? "more than " + maxBytes : Long.toString(size)) + " bytes exceeds "
                + KEY + " (" + maxBytes + "); the dead letter keeps its first " + KEPT_BYTES + " bytes at most";
    }

    /** The first {@value #KEPT_BYTES} bytes of {@code payload} (all of it when shorter), for the dead letter. */
    public static byte[] head(byte[] payload) {
        return payload.length <= KEPT_BYTES ? payload : Arrays.copyOf(payload, KEPT_BYTES);
    }
}
