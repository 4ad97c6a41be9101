package io.iotgrid.core;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A bounded cache of the sensor and place ids one thread has read, so that an id read again yields the same
 * {@code String} instead of a new one: no allocation per reading, and the hash code that every keyed stage after
 * the parser asks for is computed once per id, not once per reading. At most {@value #SLOTS} ids of at most
 * {@value #MAX_CACHED_LENGTH} Latin-1 characters are kept; any other id is returned as a new string, and a new id
 * whose slots are all taken replaces the one in its first slot, so any stream of ids keeps the memory bounded.
 * Not thread-safe: each thread has its own.
 */
final class IdCache {

    /** Slots of the table, a power of two: three times the ~5 000 ids one of two threads reads at 10 000 sensors. */
    static final int SLOTS = 1 << 14;
    /** Slots looked at for an id, from the one its hash gives. */
    static final int PROBES = 4;
    /** Longer ids are not kept: an id is as long as a payload allows, and the cache must stay small. */
    static final int MAX_CACHED_LENGTH = 64;

    /** Each slot's id as Latin-1 bytes, compared with the input without building a string, and as a string. */
    private final byte[][] keys = new byte[SLOTS][];
    private final String[] strings = new String[SLOTS];
    private final int[] hashes = new int[SLOTS];

    /** The id in {@code in[offset, offset + length)}: a cached string when this thread has read it before. */
    String get(char[] in, int offset, int length) {
        int end = offset + length;
        if (length > MAX_CACHED_LENGTH) {
            return new String(in, offset, length);
        }
        int h = 0;
        for (int i = offset; i < end; i++) {
            char c = in[i];
            if (c > 0xff) {
                return new String(in, offset, length);
            }
            h = 31 * h + c;
        }
        int home = home(h);
        for (int k = 0; k < PROBES; k++) {
            int slot = (home + k) & (SLOTS - 1);
            byte[] key = keys[slot];
            if (key == null) {
                return put(slot, h, latin1(in, offset, length));
            }
            if (hashes[slot] == h && equal(key, in, offset, length)) {
                return strings[slot];
            }
        }
        return put(home, h, latin1(in, offset, length));
    }

    /**
     * The id in {@code in[offset, offset + length)}, bytes that are each one character (ASCII or Latin-1): a cached
     * string when this thread has read it before.
     */
    String get(byte[] in, int offset, int length) {
        int end = offset + length;
        if (length > MAX_CACHED_LENGTH) {
            return new String(in, offset, length, StandardCharsets.ISO_8859_1);
        }
        int h = 0;
        for (int i = offset; i < end; i++) {
            h = 31 * h + (in[i] & 0xff);
        }
        int home = home(h);
        for (int k = 0; k < PROBES; k++) {
            int slot = (home + k) & (SLOTS - 1);
            byte[] key = keys[slot];
            if (key == null) {
                return put(slot, h, Arrays.copyOfRange(in, offset, end));
            }
            if (hashes[slot] == h && Arrays.equals(key, 0, key.length, in, offset, end)) {
                return strings[slot];
            }
        }
        return put(home, h, Arrays.copyOfRange(in, offset, end));
    }

    /**
     * The first slot of an id: the top bits of its hash times the golden ratio. Ids such as {@code s-1}, {@code s-2}
     * have hashes close together, which linear probing over their low bits would crowd into runs of taken slots.
     */
    private static int home(int hash) {
        return (hash * 0x9E3779B9) >>> (Integer.SIZE - Integer.numberOfTrailingZeros(SLOTS));
    }

    private String put(int slot, int hash, byte[] key) {
        String s = new String(key, StandardCharsets.ISO_8859_1);
        keys[slot] = key;
        strings[slot] = s;
        hashes[slot] = hash;
        return s;
    }

    private static byte[] latin1(char[] in, int offset, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) in[offset + i];
        }
        return b;
    }

    private static boolean equal(byte[] key, char[] in, int offset, int length) {
        if (key.length != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if ((key[i] & 0xff) != in[offset + i]) {
                return false;
            }
        }
        return true;
    }
}
