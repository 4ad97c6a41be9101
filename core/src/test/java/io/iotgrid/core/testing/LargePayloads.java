package io.iotgrid.core.testing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Valid JSON readings of a chosen size, for tests of the payload size limit. */
public final class LargePayloads {

    private LargePayloads() {
    }

    /**
     * {@code objectStart} (a JSON object without its closing brace), spaces, then the brace: {@code size} bytes of
     * valid JSON whose only fault is its size.
     */
    public static byte[] paddedJson(String objectStart, int size) {
        byte[] start = objectStart.getBytes(StandardCharsets.UTF_8);
        if (start.length + 1 > size) {
            throw new IllegalArgumentException("'" + objectStart + "' does not fit in " + size + " bytes");
        }
        byte[] out = new byte[size];
        Arrays.fill(out, (byte) ' ');
        System.arraycopy(start, 0, out, 0, start.length);
        out[size - 1] = '}';
        return out;
    }
}
