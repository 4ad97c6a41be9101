package io.iotgrid.demo;

import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Properties;

/**
 * The demo's MQTT broker on a machine without one: Moquette 0.17 in the demo's JVM, on a free port of 127.0.0.1,
 * anonymous, in memory, with its telemetry off. Moquette 0.17 speaks MQTT 3.1.1 (not 5) and sends a session at most
 * 10 unacknowledged QoS 1 messages, so the demo subscribes to it with QoS 0.
 */
final class EmbeddedMqttBroker implements AutoCloseable {

    private final Server server;
    private final int port;

    private EmbeddedMqttBroker(Server server, int port) {
        this.server = server;
        this.port = port;
    }

    static EmbeddedMqttBroker start() {
        int port = freePort();
        Properties properties = new Properties();
        properties.setProperty(IConfig.HOST_PROPERTY_NAME, "127.0.0.1");
        properties.setProperty(IConfig.PORT_PROPERTY_NAME, Integer.toString(port));
        properties.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
        properties.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
        // Moquette 0.17 reports to its authors' server by default; a demo must not phone home.
        properties.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
        Server server = new Server();
        try {
            server.startServer(new MemoryConfig(properties));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded MQTT broker on 127.0.0.1:" + port, e);
        }
        return new EmbeddedMqttBroker(server, port);
    }

    /** {@code 127.0.0.1:<port>}. */
    String hostAndPort() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.stopServer();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free TCP port on 127.0.0.1", e);
        }
    }
}
