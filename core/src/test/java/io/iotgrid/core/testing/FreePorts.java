package io.iotgrid.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports for peers that tests start, so tests running beside others on one machine never collide on fixed ones. */
public final class FreePorts {

    private FreePorts() {
    }

    /**
     * A loopback port that was free a moment ago. For a Hazelcast member the race with another process taking it
     * in between is harmless: a member on a taken port moves on to the next one (port auto-increment).
     */
    public static int loopback() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
