package io.iotgrid.simulator;

import io.iotgrid.core.SensorReading;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the simulators that push readings through a client (Kafka, MQTT) share: the sensors' random walks, one
 * scheduler thread that makes each sensor's readings at the simulation's rate, and the count of what the transport
 * confirmed. A subclass sends one reading and closes its client. Thread-safe.
 */
public abstract class PublishingSimulator implements AutoCloseable {

    /** Filled by the subclass's send completions. */
    final PublishedReadings published = new PublishedReadings();
    private final SimulationSettings simulation;
    private final List<SensorWalk> sensors;
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean closed = new AtomicBoolean();

    PublishingSimulator(SimulationSettings simulation, String threadName) {
        this.simulation = simulation;
        sensors = SensorWalk.of(simulation, System.currentTimeMillis());
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts every sensor's readings, spread over one period instead of all at the same instant. */
    final void startSensors() {
        long periodMicros = Math.max(1, Math.round(1_000_000 / simulation.readingsPerSecond()));
        int i = 0;
        for (SensorWalk sensor : sensors) {
            long delay = periodMicros * i++ / sensors.size();
            scheduler.scheduleAtFixedRate(() -> step(sensor), delay, periodMicros, TimeUnit.MICROSECONDS);
        }
    }

    private void step(SensorWalk sensor) {
        long now = System.currentTimeMillis();
        if (sensor.quiet(now)) {
            return;
        }
        SensorReading reading = sensor.step(now);
        send(sensor, reading, sensor.nextIsBad());
    }

    /**
     * Sends {@code reading} of {@code sensor}, as a malformed payload when {@code bad}, and records the outcome in
     * {@link #published} when the transport confirms or fails it.
     */
    abstract void send(SensorWalk sensor, SensorReading reading, boolean bad);

    /** Closes the client once the sensors have stopped. */
    abstract void closeTransport();

    /**
     * The readings the transport confirmed so far, in the order of the confirmations; at most the latest
     * {@value SensorSimulator#PUBLISHED_HISTORY}.
     */
    public List<SensorReading> published() {
        return published.list();
    }

    /** Number of readings confirmed so far, all of them, where {@link #published()} keeps only the latest. */
    public long publishedCount() {
        return published.count();
    }

    /**
     * Number of malformed payloads confirmed ({@link SimulationSettings#BAD_PAYLOAD_SHARE}), not in
     * {@link #published()}.
     */
    public long badPayloads() {
        return published.badPayloads();
    }

    /** Number of sends that failed, after the client's own retries. */
    public long failed() {
        return published.failed();
    }

    /** Stops the sensors, then closes the client (see the subclass for what that waits for). */
    @Override
    public final void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeTransport();
        }
    }
}
