package io.iotgrid.sources.impl;

import java.util.concurrent.atomic.AtomicLong;

/** The per-session counters the MQTT source publishes as Jet metrics; updated from the client's threads. */
public final class SessionCounters {

    /** Metric name: messages received. */
    public static final String RECEIVED = "mqttReceived";
    /** Metric name: messages the projection made a dead letter of. */
    public static final String DEAD_LETTERS = "mqttDeadLetters";
    /** Metric name: connections made again after the first one. */
    public static final String RECONNECTS = "mqttReconnects";
    /** Metric name: QoS 0 messages dropped because the source's queue was full. */
    public static final String DROPPED = "mqttDropped";
    /** Metric name: QoS 1 and 2 messages held and not yet acknowledged to the broker (queued or awaiting a snapshot). */
    public static final String IN_FLIGHT = "mqttInFlight";
    /** Metric name: 1 once the session has stopped for good (credentials or TLS refused), else 0. */
    public static final String FAILED = "mqttFailed";

    final AtomicLong received = new AtomicLong();
    final AtomicLong deadLetters = new AtomicLong();
    final AtomicLong reconnects = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    final AtomicLong inFlight = new AtomicLong();
    final AtomicLong failed = new AtomicLong();

    public long received() {
        return received.get();
    }

    public long deadLetters() {
        return deadLetters.get();
    }

    public long reconnects() {
        return reconnects.get();
    }

    public long dropped() {
        return dropped.get();
    }

    public long inFlight() {
        return inFlight.get();
    }

    public long failed() {
        return failed.get();
    }
}
