package io.iotgrid.simulator;

import io.iotgrid.core.SensorReading;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a simulator's transport confirmed: the latest {@value SensorSimulator#PUBLISHED_HISTORY} readings in the
 * order of their acknowledgements, so a long demo does not fill the heap, the number of malformed payloads sent on
 * purpose, and the number of sends that failed.
 * Thread-safe: the Kafka producer's and the MQTT client's callbacks record from their own threads.
 */
final class PublishedReadings {

    private final ArrayDeque<SensorReading> readings = new ArrayDeque<>();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong badPayloads = new AtomicLong();
    private final AtomicLong count = new AtomicLong();

    /**
     * Records the outcome of sending {@code reading}, as a malformed payload when {@code bad}: published, or failed
     * when {@code error} is not null.
     */
    void record(SensorReading reading, boolean bad, Throwable error) {
        if (error != null) {
            failed.incrementAndGet();
            return;
        }
        if (bad) {
            badPayloads.incrementAndGet();
            return;
        }
        count.incrementAndGet();
        synchronized (readings) {
            if (readings.size() == SensorSimulator.PUBLISHED_HISTORY) {
                readings.removeFirst();
            }
            readings.addLast(reading);
        }
    }

    /** The readings published so far, oldest acknowledgement first. */
    List<SensorReading> list() {
        synchronized (readings) {
            return List.copyOf(readings);
        }
    }

    /** Number of readings published so far, all of them, not only those {@link #list()} keeps. */
    long count() {
        return count.get();
    }

    /** Number of malformed payloads published. */
    long badPayloads() {
        return badPayloads.get();
    }

    /** Number of sends that failed. */
    long failed() {
        return failed.get();
    }
}
