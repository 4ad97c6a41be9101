package io.iotgrid.core.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a test started (members, clients, jobs, servers, processes), closed after each test in reverse order, so
 * a failing assertion never leaves a peer running. Register with
 * {@code @RegisterExtension final Resources resources = new Resources();}.
 */
public final class Resources implements AfterEachCallback {

    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    /** Remembers {@code resource} to close after the test; returns it. */
    public <T extends AutoCloseable> T add(T resource) {
        started.push(resource);
        return resource;
    }

    /** Remembers how to stop something that is not {@link AutoCloseable}, e.g. {@code member::shutdown}. */
    public void onClose(AutoCloseable stop) {
        started.push(stop);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Exception first = null;
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
