package io.iotgrid.sources;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * Eclipse Mosquitto (Debian {@code mosquitto}, 2.0) as an independent MQTT broker for tests, listening on 127.0.0.1
 * only. {@code try (MosquittoBroker broker = MosquittoBroker.start(MosquittoBroker.options())) { ... }}. It can be
 * killed ({@link #kill()}, SIGKILL), stopped and restarted on the same port with the same configuration; with
 * {@link Options#persistent()} its persistence file survives that, as it does in production. TLS and
 * username/password listeners are options. Its configuration and log are in
 * {@code target/mosquitto/<port>/}. {@link #close()} stops the process it started, by PID.
 */
public final class MosquittoBroker implements AutoCloseable {

    /** The executable, on the PATH once {@code .ci/run} has installed {@code mosquitto}. */
    public static final String EXECUTABLE = "mosquitto";

    private static final Duration STARTUP = Duration.ofSeconds(15);
    private static final long STOP_WAIT_SECONDS = 10;

    private final int port;
    private final Path dir;
    private final Path config;
    private Process process;

    private MosquittoBroker(int port, Path dir, Path config) {
        this.port = port;
        this.dir = dir;
        this.config = config;
    }

    /** Options with a free port, anonymous clients, no persistence and no TLS. */
    public static Options options() {
        return new Options(freeTcpPort(), false, null, null, null, false, null, null, false);
    }

    /** Starts a broker and waits until it accepts connections. */
    public static MosquittoBroker start(Options options) throws IOException {
        Path dir = Path.of("target", "mosquitto", Integer.toString(options.port())).toAbsolutePath();
        Files.createDirectories(dir);
        List<String> lines = new ArrayList<>();
        lines.add("listener " + options.port() + " 127.0.0.1");
        // Started as root (CI), Mosquitto would drop to the user 'mosquitto', who cannot write its log or
        // persistence file here; as anyone else it ignores this.
        lines.add("user " + System.getProperty("user.name"));
        lines.add("log_dest file " + dir.resolve("mosquitto.log"));
        for (String type : options.quietLog() ? List.of("error", "warning", "notice", "subscribe") : List.of("all")) {
            lines.add("log_type " + type);
        }
        lines.add("max_queued_messages 100000");
        if (options.maxInflightMessages() != null) {
            lines.add("max_inflight_messages " + options.maxInflightMessages());
        }
        if (options.persistent()) {
            lines.add("persistence true");
            lines.add("persistence_location " + dir + "/");
            lines.add("autosave_interval 1");
        }
        if (options.passwordFile() != null) {
            lines.add("allow_anonymous false");
            lines.add("password_file " + options.passwordFile().toAbsolutePath());
        } else {
            lines.add("allow_anonymous true");
        }
        if (options.certFile() != null) {
            lines.add("cafile " + options.caFile().toAbsolutePath());
            lines.add("certfile " + options.certFile().toAbsolutePath());
            lines.add("keyfile " + options.keyFile().toAbsolutePath());
            lines.add("require_certificate " + options.requireClientCertificate());
            if (options.requireClientCertificate()) {
                lines.add("use_identity_as_username true");
            }
        }
        Path config = dir.resolve("mosquitto.conf");
        Files.writeString(config, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        MosquittoBroker broker = new MosquittoBroker(options.port(), dir, config);
        broker.launch();
        return broker;
    }

    /**
     * Writes a Mosquitto password file for {@code user} with {@code password} into {@code dir}, with the
     * {@code mosquitto_passwd} of the same package.
     */
    public static Path passwordFile(Path dir, String user, String password) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path file = dir.resolve("passwords");
        Files.deleteIfExists(file);
        Process p = new ProcessBuilder("mosquitto_passwd", "-b", "-c", file.toString(), user, password)
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto_passwd.log").toFile()).start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("mosquitto_passwd failed, see " + dir.resolve("mosquitto_passwd.log"));
        }
        return file;
    }

    /** The port it listens on, on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:<port>}. */
    public String hostAndPort() {
        return "127.0.0.1:" + port;
    }

    /** The PID of the running broker. */
    public long pid() {
        return process.pid();
    }

    /** Its log, for assertions and for a failing test's report. */
    public Path log() {
        return dir.resolve("mosquitto.log");
    }

    /**
     * Publishes each of {@code messages} to {@code topic} with QoS {@code qos}, in order, through one
     * {@code mosquitto_pub -l} (an independent client, MQTT 5), and waits until it has published them all. With QoS 1
     * and 2 it returns once the broker acknowledged every one.
     */
    public void publish(String topic, int qos, List<String> messages) throws IOException, InterruptedException {
        Path out = dir.resolve("mosquitto_pub.out");
        Process p = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(port),
                "-V", "mqttv5", "-q", Integer.toString(qos), "-t", topic, "-l")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())).start();
        try (var stdin = p.getOutputStream()) {
            stdin.write((String.join("\n", messages) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("mosquitto_pub failed, see " + out);
        }
    }

    /** Waits until the broker's log has {@code fragment} at least {@code times} times, e.g. {@code "Sending SUBACK"}. */
    public void awaitLog(String fragment, int times, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> count(fragment) >= times);
    }

    /**
     * Waits until a broker with {@link Options#persistent()} has saved its state once more (it does every second),
     * so that sessions and subscriptions made so far survive a {@link #kill()}: Mosquitto keeps them in memory
     * between saves, and a SIGKILL loses what was not saved yet.
     */
    public void awaitSaved(Duration atMost) throws IOException {
        String saving = "Saving in-memory database";
        awaitLog(saving, count(saving) + 1, atMost);
    }

    private int count(String fragment) throws IOException {
        String log = Files.exists(log()) ? Files.readString(log()) : "";
        int count = 0;
        for (int i = log.indexOf(fragment); i >= 0; i = log.indexOf(fragment, i + 1)) {
            count++;
        }
        return count;
    }

    /** Kills the broker with SIGKILL, as a crash or power cut would; {@link #restart()} brings it back. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Stops the broker with SIGTERM (it saves its persistence file first). */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** Starts the broker again on the same port with the same configuration, after {@link #kill} or {@link #stop}. */
    public void restart() throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException("mosquitto on port " + port + " is still running");
        }
        launch();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            stop();
        }
    }

    private void launch() throws IOException {
        Path out = dir.resolve("mosquitto.out");
        process = new ProcessBuilder(EXECUTABLE, "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())).start();
        try {
            await().atMost(STARTUP).pollInterval(Duration.ofMillis(50)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("mosquitto exited with " + process.exitValue() + ": "
                            + Files.readString(out));
                }
                return accepts();
            });
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A TCP port free on 127.0.0.1 now. */
    public static int freeTcpPort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free TCP port", e);
        }
    }

    /**
     * How to start the broker.
     *
     * @param port                     the port on 127.0.0.1
     * @param persistent               whether it keeps sessions and queued messages in a file across restarts
     * @param caFile                   with TLS: the CA that signed the clients' certificates (PEM)
     * @param certFile                 with TLS: the broker's certificate (PEM); {@code null} for plain TCP
     * @param keyFile                  with TLS: the broker's private key (PEM)
     * @param requireClientCertificate with TLS: whether clients must present a certificate signed by {@code caFile}
     * @param passwordFile             a {@code mosquitto_passwd} file; {@code null} for anonymous clients
     * @param maxInflightMessages      Mosquitto's {@code max_inflight_messages}: QoS 1 and 2 messages it sends a
     *                                 client before it has their acknowledgements, 0 for no limit; {@code null} for
     *                                 its default (20)
     * @param quietLog                 whether the log leaves out every message and keeps errors, warnings,
     *                                 connections and subscriptions ({@code <client id> <qos> <filter>}), for load:
     *                                 logging each message costs the broker more than routing it
     */
    public record Options(int port, boolean persistent, Path caFile, Path certFile, Path keyFile,
                          boolean requireClientCertificate, Path passwordFile, Integer maxInflightMessages,
                          boolean quietLog) {

        /** These options with persistence on. */
        public Options withPersistence() {
            return new Options(port, true, caFile, certFile, keyFile, requireClientCertificate, passwordFile,
                    maxInflightMessages, quietLog);
        }

        /** These options with a TLS listener instead of plain TCP. */
        public Options withTls(Path ca, Path cert, Path key, boolean requireClientCertificate) {
            return new Options(port, persistent, ca, cert, key, requireClientCertificate, passwordFile,
                    maxInflightMessages, quietLog);
        }

        /** These options with username/password clients only. */
        public Options withPasswordFile(Path file) {
            return new Options(port, persistent, caFile, certFile, keyFile, requireClientCertificate, file,
                    maxInflightMessages, quietLog);
        }

        /**
         * These options with {@code max_inflight_messages} set, e.g. 0 as the README advises for a source that
         * acknowledges after each snapshot: Mosquitto applies its default 20 to MQTT 5 clients too.
         */
        public Options withMaxInflightMessages(int max) {
            return new Options(port, persistent, caFile, certFile, keyFile, requireClientCertificate, passwordFile,
                    max, quietLog);
        }

        /** These options with {@link #quietLog()}. */
        public Options withQuietLog() {
            return new Options(port, persistent, caFile, certFile, keyFile, requireClientCertificate, passwordFile,
                    maxInflightMessages, true);
        }
    }
}
