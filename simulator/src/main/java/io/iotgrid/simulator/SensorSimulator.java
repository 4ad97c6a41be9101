package io.iotgrid.simulator;

import io.iotgrid.core.SensorReading;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Simulated sensors behind a Californium CoAP server: one observable resource per sensor at
 * {@code /sensors/<sensorId>}, answering JSON in the {@code nested} reading format with a sequence number,
 * <pre>{@code {"id":"s-1","name":"sensor s-1","place_id":"p-1","timestamp":1700000000000,"seq":17,
 *  "payload":{"temperature":21.5,"humidity":40.2,"pressure":1013.1,"luminosity":300.0}}}</pre>
 * Each sensor takes a random-walk step at the configured rate, stamps it with the current time and notifies
 * its observers (CON notifications). Sensor {@code s-i} is in place {@code p-(((i - 1) % places) + 1)}.
 * <p>
 * {@code try (SensorSimulator sim = SensorSimulator.start(SimulationSettings.defaults())) { sim.uris(); }}
 * <p>
 * Every reading is recorded in {@link #published()} before observers can see it, so a test can check what a
 * consumer received against what was sent. Thread-safe.
 */
public final class SensorSimulator implements AutoCloseable {

    /** How many of the latest published readings {@link #published()} keeps, so a long demo does not fill the heap. */
    public static final int PUBLISHED_HISTORY = 100_000;

    private final SimulationSettings settings;
    private final CoapServer server;
    private final Map<String, SensorResource> sensors;
    private final List<String> uris;
    private final int port;
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong badPayloads = new AtomicLong();
    private final AtomicLong publishedCount = new AtomicLong();
    /** Guards {@link #published} and {@link #paused}, and orders each step's record before its publication. */
    private final Object lock = new Object();
    private final ArrayDeque<SensorReading> published = new ArrayDeque<>();
    private boolean paused;

    private SensorSimulator(SimulationSettings settings) {
        this.settings = settings;
        // An explicit configuration: the standard one would write Californium3.properties into the working dir.
        Configuration config = new Configuration(CoapConfig.DEFINITIONS, UdpConfig.DEFINITIONS);
        server = new CoapServer(config);
        server.addEndpoint(new CoapEndpoint.Builder()
                .setConfiguration(config)
                .setInetSocketAddress(new InetSocketAddress(settings.host(), settings.port()))
                .build());

        CoapResource parent = new CoapResource("sensors");
        sensors = new LinkedHashMap<>();
        for (SensorWalk walk : SensorWalk.of(settings, System.currentTimeMillis())) {
            SensorResource sensor = new SensorResource(walk);
            sensors.put(walk.sensorId(), sensor);
            parent.add(sensor);
            // A reading before the server starts, so GET never answers an empty payload.
            update(sensor);
        }
        server.add(parent);
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sensor-simulator");
            t.setDaemon(true);
            return t;
        });
        try {
            server.start();
        } catch (RuntimeException e) {
            close();
            throw e;
        }

        InetSocketAddress bound = server.getEndpoints().get(0).getAddress();
        port = bound.getPort();
        String host = uriHost(bound.getAddress());
        List<String> list = new ArrayList<>(sensors.size());
        for (String sensorId : sensors.keySet()) {
            list.add("coap://" + host + ':' + port + "/sensors/" + sensorId);
        }
        uris = List.copyOf(list);
    }

    /** Starts the server and the sensors' updates; {@link #close()} stops both. */
    public static SensorSimulator start(SimulationSettings settings) {
        SensorSimulator simulator = new SensorSimulator(settings);
        simulator.scheduleUpdates();
        return simulator;
    }

    private void scheduleUpdates() {
        long periodMicros = Math.max(1, Math.round(1_000_000 / settings.readingsPerSecond()));
        int i = 0;
        for (SensorResource sensor : sensors.values()) {
            // Spread the sensors over one period instead of publishing them all at the same instant.
            long delay = periodMicros * i++ / sensors.size();
            scheduler.scheduleAtFixedRate(() -> update(sensor), periodMicros + delay, periodMicros,
                    TimeUnit.MICROSECONDS);
        }
    }

    private void update(SensorResource sensor) {
        synchronized (lock) {
            long now = System.currentTimeMillis();
            if (paused || sensor.walk().quiet(now)) {
                return;
            }
            SensorReading reading = sensor.walk().step(now);
            if (sensor.walk().nextIsBad()) {
                badPayloads.incrementAndGet();
                sensor.publish(reading, true);
                return;
            }
            if (published.size() == PUBLISHED_HISTORY) {
                published.removeFirst();
            }
            published.addLast(reading);
            publishedCount.incrementAndGet();
            sensor.publish(reading, false);
        }
    }

    /** The settings this simulator runs with. */
    public SimulationSettings settings() {
        return settings;
    }

    /** The UDP port the server is bound to (the ephemeral one when the settings said 0). */
    public int port() {
        return port;
    }

    /** The URI of every sensor's resource, in sensor order: {@code coap://127.0.0.1:<port>/sensors/s-1}, ... */
    public List<String> uris() {
        return uris;
    }

    /** The sensor ids, {@code s-1} to {@code s-<sensors>}. */
    public List<String> sensorIds() {
        return List.copyOf(sensors.keySet());
    }

    /** The place of {@code sensorId}. */
    public String placeOf(String sensorId) {
        SensorResource sensor = sensors.get(sensorId);
        if (sensor == null) {
            throw new IllegalArgumentException("unknown sensor '" + sensorId + "', expected s-1 to s-"
                    + sensors.size());
        }
        return sensor.placeId();
    }

    /**
     * A snapshot of the readings published so far, oldest first, including each sensor's first reading made at
     * start; at most the latest {@value #PUBLISHED_HISTORY}.
     */
    public List<SensorReading> published() {
        synchronized (lock) {
            return List.copyOf(published);
        }
    }

    /** Number of readings published so far, all of them, where {@link #published()} keeps only the latest. */
    public long publishedCount() {
        return publishedCount.get();
    }

    /** Number of readings sent as a malformed payload ({@link SimulationSettings#BAD_PAYLOAD_SHARE}), not in {@link #published()}. */
    public long badPayloads() {
        return badPayloads.get();
    }

    /** Number of observe relations the server currently holds, over all sensors. */
    public int observers() {
        return sensors.values().stream().mapToInt(CoapResource::getObserverCount).sum();
    }

    /** Stops the sensors' updates: once this returns, nothing more is published until {@link #resume()}. */
    public void pause() {
        synchronized (lock) {
            paused = true;
        }
    }

    /** Restarts the updates stopped by {@link #pause()}. */
    public void resume() {
        synchronized (lock) {
            paused = false;
        }
    }

    /** Stops the updates and destroys the server; calling it again does nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            server.destroy();
        }
    }

    private static String uriHost(InetAddress address) {
        // Clients cannot send to the wildcard address; the loopback one reaches a server bound to it.
        InetAddress reachable = address.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : address;
        String host = reachable.getHostAddress();
        return host.indexOf(':') >= 0 ? '[' + host + ']' : host;
    }
}
