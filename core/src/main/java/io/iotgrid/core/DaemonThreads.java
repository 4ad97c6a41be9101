package io.iotgrid.core;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Executors whose threads are daemons, for client libraries that would otherwise keep a JVM alive.
 */
public final class DaemonThreads {

    /**
     * The Netty executor of every HiveMQ MQTT client in iot-grid (sources, sinks, simulator). The client keeps its
     * event loop, and by default its non-daemon threads, until the session expiry after a clean DISCONNECT
     * (hivemq-mqtt-client#498), so a member or a demo with persistent sessions could not exit for an hour. The
     * clients share one event loop per executor instance (and thread count): with this one they share a bounded group
     * of daemon threads, which end when the last client's session has ended.
     */
    public static final Executor MQTT_NETTY = threadPerTask("iot-grid-mqtt-netty");

    /** Netty threads of that shared event loop: MQTT work is light next to the job's, and it is per JVM. */
    public static final int MQTT_NETTY_THREADS = 2;

    private DaemonThreads() {
    }

    /** An executor that runs each task on a new daemon thread named {@code <prefix>-<n>}, as Netty's loops need. */
    public static Executor threadPerTask(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, prefix + '-' + count.incrementAndGet());
            t.setDaemon(true);
            t.start();
        };
    }
}
