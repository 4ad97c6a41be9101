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
import java.net.BindException;
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
 * libcoap's {@code coap-server-openssl} or {@code coap-server-gnutls} (Debian {@code libcoap3-bin}) as an
 * independent CoAP peer for tests, bound to 127.0.0.1, with a Californium client to talk to it.
 * <p>
 * {@code try (LibcoapServer server = LibcoapServer.start(LibcoapServer.freeUdpPort(), "-d", "10")) { ... }}: with
 * {@code -d 10} a PUT creates an observable resource and every later PUT notifies its observers. With DTLS options
 * ({@code -k secret}, {@code -c/-j/-C}, {@code -M}) the server also listens for DTLS on port + 1
 * ({@link #secureUri}); take the port from {@link #freeUdpPortPair()} then. The server can be killed, stopped and
 * restarted on the same ports. Its output goes to {@code target/libcoap/coap-server-<port>.log}.
 */
public final class LibcoapServer implements AutoCloseable {

    /** The executable with OpenSSL (PSK and X.509), on the PATH. */
    public static final String EXECUTABLE = "coap-server-openssl";
    /** The executable with GnuTLS, the only one of Debian's builds with raw public keys ({@code -M}). */
    public static final String GNUTLS_EXECUTABLE = "coap-server-gnutls";

    private static final Duration STARTUP = Duration.ofSeconds(10);
    private static final long REQUEST_TIMEOUT_MILLIS = 2_000;
    private static final long STOP_WAIT_SECONDS = 5;

    private final int port;
    private final List<String> command;
    private final Path log;
    private final CoapEndpoint endpoint;
    private Process process;

    private LibcoapServer(int port, List<String> command, Path log, CoapEndpoint endpoint) {
        this.port = port;
        this.command = command;
        this.log = log;
        this.endpoint = endpoint;
    }

    /**
     * Starts {@code coap-server-openssl -A 127.0.0.1 -p <port> <args>} and returns once it answers a GET of
     * {@code /.well-known/core}; fails with the server's output if it exits or does not answer within 10 s.
     */
    public static LibcoapServer start(int port, String... args) throws IOException {
        return start(EXECUTABLE, port, args);
    }

    /** Like {@link #start(int, String...)} with another build, e.g. {@value #GNUTLS_EXECUTABLE}. */
    public static LibcoapServer start(String executable, int port, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(executable, "-A", "127.0.0.1", "-p", Integer.toString(port)));
        command.addAll(List.of(args));
        Path log = Path.of("target", "libcoap", "coap-server-" + port + ".log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        CoapEndpoint endpoint = clientEndpointAvoiding(port);
        LibcoapServer server = new LibcoapServer(port, List.copyOf(command), log, endpoint);
        try {
            server.launch();
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /**
     * The started endpoint this class checks the server with, on an ephemeral port other than {@code port} and
     * {@code port + 1}: the caller found those free and closed them just before, so the system may hand one of
     * them out again here, and the server then fails with "Address already in use" (seen in CI).
     */
    private static CoapEndpoint clientEndpointAvoiding(int port) throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            CoapEndpoint endpoint = new CoapEndpoint.Builder()
                    .setConfiguration(new Configuration(CoapConfig.DEFINITIONS, UdpConfig.DEFINITIONS))
                    .setInetSocketAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                    .build();
            endpoint.start();
            int own = endpoint.getAddress().getPort();
            if (own != port && own != port + 1) {
                return endpoint;
            }
            endpoint.destroy();
        }
        throw new IOException("no ephemeral UDP port apart from " + port + " and " + (port + 1));
    }

    /** A UDP port free on 127.0.0.1 right now. */
    public static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** A UDP port free on 127.0.0.1 right now whose successor (the DTLS port) is free too. */
    public static int freeUdpPortPair() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                int port = socket.getLocalPort();
                new DatagramSocket(port + 1, InetAddress.getLoopbackAddress()).close();
                return port;
            } catch (BindException e) {
                // The successor is taken: try another ephemeral port.
            }
        }
        throw new IOException("no pair of free UDP ports found on 127.0.0.1");
    }

    /** {@code coaps://127.0.0.1:<port + 1><path>}: the DTLS port of a server started with DTLS options. */
    public String secureUri(String path) {
        return "coaps://127.0.0.1:" + (port + 1) + path;
    }

    /** Kills the server with SIGKILL: it sends nothing more, its relations are gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Stops the server with SIGTERM and waits until it exited: a clean shutdown. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
            kill();
        }
    }

    /** Starts the stopped or killed server again with the same command on the same ports. */
    public void restart() throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException(command.get(0) + " on port " + port + " is still running");
        }
        launch();
    }

    private void launch() throws IOException {
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        await("libcoap server on port " + port).atMost(STARTUP).until(this::answers);
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
        if (process == null) {
            return;
        }
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
            throw new IllegalStateException(command.get(0) + " exited with " + process.exitValue() + ": "
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
