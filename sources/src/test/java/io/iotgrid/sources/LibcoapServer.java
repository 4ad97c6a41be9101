package io.iotgrid.sources;

import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.elements.exception.ConnectorException;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * libcoap's {@code coap-server-openssl} (Debian {@code libcoap3-bin}) as an independent CoAP peer for tests,
 * bound to 127.0.0.1, with a Californium client to talk to it.
 * <p>
 * {@code try (LibcoapServer server = LibcoapServer.start(LibcoapServer.freeUdpPort(), "-d", "10")) { ... }}: with
 * {@code -d 10} a PUT creates an observable resource and every later PUT notifies its observers. The server's
 * output goes to {@code target/libcoap/coap-server-<port>.log}.
 */
public final class LibcoapServer implements AutoCloseable {

    /** The executable, on the PATH. */
    public static final String EXECUTABLE = "coap-server-openssl";

    private static final Duration STARTUP = Duration.ofSeconds(10);
    private static final long REQUEST_TIMEOUT_MILLIS = 2_000;
    private static final long STOP_WAIT_SECONDS = 5;

    private final int port;
    private final Process process;
    private final Path log;
    private final CoapEndpoint endpoint;

    private LibcoapServer(int port, Process process, Path log, CoapEndpoint endpoint) {
        this.port = port;
        this.process = process;
        this.log = log;
        this.endpoint = endpoint;
    }

    /**
     * Starts {@code coap-server-openssl -A 127.0.0.1 -p <port> <args>} and returns once it answers a GET of
     * {@code /.well-known/core}; fails with the server's output if it exits or does not answer within 10 s.
     */
    public static LibcoapServer start(int port, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(EXECUTABLE, "-A", "127.0.0.1", "-p", Integer.toString(port)));
        command.addAll(List.of(args));
        Path log = Path.of("target", "libcoap", "coap-server-" + port + ".log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        CoapEndpoint endpoint = new CoapEndpoint.Builder()
                .setConfiguration(new Configuration(CoapConfig.DEFINITIONS, UdpConfig.DEFINITIONS))
                .setInetSocketAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .build();
        LibcoapServer server = new LibcoapServer(port, process, log, endpoint);
        try {
            endpoint.start();
            await("libcoap server on port " + port).atMost(STARTUP).until(server::answers);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** A UDP port free on 127.0.0.1 right now. */
    public static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The UDP port the server listens on. */
    public int port() {
        return port;
    }

    /** {@code coap://127.0.0.1:<port><path>}; {@code path} starts with a slash. */
    public String uri(String path) {
        return "coap://127.0.0.1:" + port + path;
    }

    /** The file that receives the server's output. */
    public Path log() {
        return log;
    }

    /** PUTs {@code json} (content format 50) to {@code path}; {@code null} when no answer came within 2 s. */
    public CoapResponse put(String path, String json) throws ConnectorException, IOException {
        return request(path, client -> client.put(json, MediaTypeRegistry.APPLICATION_JSON));
    }

    /** Stops the server (SIGTERM, then SIGKILL after 5 s) and the client endpoint. */
    @Override
    public void close() {
        endpoint.destroy();
        process.destroy();
        try {
            if (!process.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private boolean answers() throws ConnectorException, IOException {
        if (!process.isAlive()) {
            throw new IllegalStateException(EXECUTABLE + " exited with " + process.exitValue() + ": "
                    + Files.readString(log));
        }
        CoapResponse response = request("/.well-known/core", CoapClient::get);
        return response != null && response.isSuccess();
    }

    private CoapResponse request(String path, Call call) throws ConnectorException, IOException {
        CoapClient client = new CoapClient(uri(path)).setEndpoint(endpoint).setTimeout(REQUEST_TIMEOUT_MILLIS);
        try {
            return call.send(client);
        } finally {
            client.shutdown();
        }
    }

    @FunctionalInterface
    private interface Call {
        CoapResponse send(CoapClient client) throws ConnectorException, IOException;
    }
}
