package io.iotgrid.core.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * A Java serialization round trip, the way Jet ships a job's captured objects to the members, for tests that
 * check a deserialized copy still works (transient state rebuilt, nothing lost).
 */
public final class JavaSerialization {

    private JavaSerialization() {
    }

    /** {@code object} written with {@link ObjectOutputStream} and read back. */
    @SuppressWarnings("unchecked")
    public static <T extends Serializable> T roundTrip(T object) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
