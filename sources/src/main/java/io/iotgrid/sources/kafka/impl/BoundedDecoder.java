package io.iotgrid.sources.kafka.impl;

import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Avro's binary decoder over one record value, refusing any length or item count larger than the value itself
 * before anything is allocated. Avro trusts the lengths it reads: a string, bytes, array or map that declares
 * 500 000 000 elements in a 6-byte value makes its decoder allocate that much (an {@code OutOfMemoryError} for an
 * array), where a record of {@code value.length} bytes cannot hold more than {@code value.length} bytes or items
 * (every item of a sensible schema takes at least a byte; an array of {@code null}s longer than the value is
 * refused too).
 */
public final class BoundedDecoder extends Decoder {

    private final BinaryDecoder in;
    private final long limit;

    /** A decoder of {@code value} from {@code offset} on. */
    public BoundedDecoder(byte[] value, int offset) {
        this.in = DecoderFactory.get().binaryDecoder(value, offset, value.length - offset, null);
        this.limit = value.length - offset;
    }

    /** Whether every byte has been read. */
    public boolean isEnd() throws IOException {
        return in.isEnd();
    }

    private long bounded(long declared, String what) throws IOException {
        if (declared > limit || declared < -limit) {
            throw new DeclaredLengthException("Avro data declares " + what + " of " + Math.abs(declared)
                    + " in a value of " + limit + " bytes");
        }
        return declared;
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        byte[] bytes = new byte[(int) bounded(in.readLong(), "a string length")];
        in.readFixed(bytes);
        return new Utf8(bytes);
    }

    @Override
    public String readString() throws IOException {
        return readString(null).toString();
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        byte[] bytes = new byte[(int) bounded(in.readLong(), "a bytes length")];
        in.readFixed(bytes);
        return ByteBuffer.wrap(bytes);
    }

    @Override
    public long readArrayStart() throws IOException {
        return bounded(in.readArrayStart(), "an array block");
    }

    @Override
    public long arrayNext() throws IOException {
        return bounded(in.arrayNext(), "an array block");
    }

    @Override
    public long readMapStart() throws IOException {
        return bounded(in.readMapStart(), "a map block");
    }

    @Override
    public long mapNext() throws IOException {
        return bounded(in.mapNext(), "a map block");
    }

    @Override
    public void readNull() throws IOException {
        in.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return in.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return in.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return in.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return in.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return in.readDouble();
    }

    @Override
    public void skipString() throws IOException {
        in.skipString();
    }

    @Override
    public void skipBytes() throws IOException {
        in.skipBytes();
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        in.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        in.skipFixed(length);
    }

    @Override
    public int readEnum() throws IOException {
        return in.readEnum();
    }

    @Override
    public long skipArray() throws IOException {
        return bounded(in.skipArray(), "an array block");
    }

    @Override
    public long skipMap() throws IOException {
        return bounded(in.skipMap(), "a map block");
    }

    @Override
    public int readIndex() throws IOException {
        return in.readIndex();
    }

    /** A length or count that the value is too short to hold; the message says which and how much. */
    public static final class DeclaredLengthException extends IOException {

        private static final long serialVersionUID = 1L;

        DeclaredLengthException(String message) {
            super(message);
        }
    }
}
