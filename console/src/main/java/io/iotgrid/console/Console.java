package io.iotgrid.console;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import io.iotgrid.console.impl.ConsoleServer;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.SensorReadingSerializer;
import io.iotgrid.core.SensorStatusSerializer;
import io.iotgrid.core.WindowStatsSerializer;
import io.iotgrid.core.settings.SettingsReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.concurrent.CountDownLatch;

/**
 * The web console: a live page of the grid (places with their current and last closed windows, alerts, dead
 * letters, jobs and members, charts of a place's or sensor's history) and a Kafka-Connect-style REST API whose
 * connectors are Jet jobs, served on one port (8083, Kafka Connect's, on 127.0.0.1 by default).
 * <p>
 * How to run, against a cluster whose members have iot-grid's classes (the demo, or members started from this
 * project's jars):
 * <pre>
 * java -jar console/target/iot-grid-console.jar console.cluster.members=127.0.0.1:5701
 * </pre>
 * Arguments are {@code key=value} pairs and/or properties files with the keys of {@link ConsoleSettings}. Expected
 * output: {@code iot-grid console: http://127.0.0.1:8083/ (cluster 'iot-grid')}; a bad key prints its name and value
 * and exits with status 2. Open the URL in a browser; {@code curl http://127.0.0.1:8083/connectors} lists the
 * connectors. It runs until Ctrl-C.
 * <p>
 * Embedded: {@code Console.start(hz, ConsoleSettings.defaults())} serves the cluster of {@code hz}, a client or a
 * member, until {@link #close()}. Everything it manages (connector configurations, jobs) is in the cluster, so a
 * console that restarts, or a second one, finds it again.
 */
public final class Console implements AutoCloseable {

    private final ConsoleServer server;
    private final URI url;

    private Console(ConsoleServer server, URI url) {
        this.server = server;
        this.url = url;
    }

    /**
     * Serves the console for the cluster of {@code hz} (which stays the caller's to shut down).
     *
     * @throws UncheckedIOException when the address cannot be bound, e.g. the port is in use
     */
    public static Console start(HazelcastInstance hz, ConsoleSettings settings) {
        ConsoleServer server;
        try {
            server = ConsoleServer.start(hz, settings, version());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve on " + settings.get(ConsoleSettings.BIND_ADDRESS) + ':'
                    + settings.get(ConsoleSettings.PORT) + ": " + e.getMessage(), e);
        }
        String host = settings.get(ConsoleSettings.BIND_ADDRESS);
        return new Console(server, URI.create("http://" + (host.contains(":") ? '[' + host + ']' : host) + ':'
                + server.port() + '/'));
    }

    /** Where the page is, e.g. {@code http://127.0.0.1:8083/}; the REST API is under it. */
    public URI url() {
        return url;
    }

    /** Stops serving; the cluster, its jobs and the connectors' configurations stay as they are. */
    @Override
    public void close() {
        server.stop();
    }

    /** The client configuration {@code java -jar iot-grid-console.jar} connects with. */
    static ClientConfig clientConfig(ConsoleSettings settings) {
        ClientConfig config = GridConfigs.client().setClusterName(settings.get(ConsoleSettings.CLUSTER_NAME));
        config.getNetworkConfig().getKubernetesConfig().setEnabled(false);
        config.getNetworkConfig().setAddresses(settings.get(ConsoleSettings.CLUSTER_MEMBERS));
        config.getSerializationConfig().getCompactSerializationConfig()
              .addSerializer(new SensorReadingSerializer())
              .addSerializer(new WindowStatsSerializer())
              .addSerializer(new SensorStatusSerializer());
        return config;
    }

    private static String version() {
        String v = Console.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    public static void main(String[] args) throws InterruptedException {
        ConsoleSettings settings;
        try {
            SettingsReader reader = SettingsReader.arguments(args).rejectUnknown(ConsoleSettings.GROUP);
            settings = ConsoleSettings.builder().read(reader).build();
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println("usage: java -jar iot-grid-console.jar [FILE.properties] [console.KEY=VALUE ...]");
            System.exit(2);
            return;
        }
        HazelcastInstance client = HazelcastClient.newHazelcastClient(clientConfig(settings));
        Console console;
        try {
            console = start(client, settings);
        } catch (UncheckedIOException e) {
            System.err.println("error: " + e.getMessage());
            client.shutdown();
            System.exit(2);
            return;
        }
        System.out.println("iot-grid console: " + console.url() + " (cluster '"
                + settings.get(ConsoleSettings.CLUSTER_NAME) + "')");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            console.close();
            client.shutdown();
            stopped.countDown();
        }, "iot-grid-console-stop"));
        stopped.await();
    }
}
