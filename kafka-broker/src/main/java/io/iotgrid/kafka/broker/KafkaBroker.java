package io.iotgrid.kafka.broker;

import io.iotgrid.kafka.broker.impl.BrokerClasspath;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Apache Kafka broker (KRaft, {@code process.roles=broker,controller}, no ZooKeeper) on
 * 127.0.0.1, in its own JVM: its kafka-clients never meet the 3.6.1 that Hazelcast's Kafka connector uses. The
 * broker's jars come from Maven Central at build time and travel inside this module's jar, so it runs on a machine
 * with nothing but a JDK 17, from the reactor, a test, or a shaded jar in any working directory.
 * <pre>{@code
 * try (KafkaBroker broker = KafkaBroker.start()) {
 *     broker.createTopic("readings", 4);
 *     props.put("bootstrap.servers", broker.bootstrapServers());
 * }
 * }</pre>
 * The broker keeps records forever ({@code log.retention.ms=-1}), so readings with old event times are not
 * deleted under a running test; every internal topic has replication factor 1 and automatic topic creation is
 * off: create topics with {@link #createTopic}. It logs to {@code broker.log} in its data directory. It stops
 * when {@link #close()} is called, and also when this JVM dies (it exits at the end of its stdin).
 * <p>
 * Not thread-safe: one thread starts, stops and creates topics.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final String MAIN = "io.iotgrid.kafka.broker.process.BrokerMain";
    private static final String READY = "READY";
    private static final String LOG4J2_CONFIG = "iot-grid-kafka-broker-log4j2.xml";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaBrokerSettings settings;
    private final Path dataDir;
    private final boolean temporaryDataDir;
    private final int port;
    private final int controllerPort;
    private final String clusterId;
    private Process process;
    private Writer commands;
    /** The broker JVM's answers, one a line; an empty one when its stdout ended, so a waiting caller learns at once. */
    private BlockingQueue<Optional<String>> answers;

    private KafkaBroker(KafkaBrokerSettings settings) throws IOException {
        this.settings = settings;
        temporaryDataDir = settings.dataDir() == null;
        dataDir = temporaryDataDir ? Files.createTempDirectory("iot-grid-kafka-") : settings.dataDir();
        Files.createDirectories(dataDir);
        port = settings.port() == 0 ? freePort() : settings.port();
        controllerPort = freePort();
        clusterId = clusterId(dataDir);
    }

    /** Starts a broker with {@link KafkaBrokerSettings#defaults()}; returns once it takes requests. */
    public static KafkaBroker start() {
        return start(KafkaBrokerSettings.defaults());
    }

    /**
     * Starts a broker: formats its storage unless the data directory already holds one, launches its JVM and
     * returns once it takes requests.
     *
     * @throws IllegalStateException if it did not start within {@link KafkaBrokerSettings#startTimeout()}; the
     *                               message carries the end of its log
     */
    public static KafkaBroker start(KafkaBrokerSettings settings) {
        KafkaBroker broker;
        try {
            broker = new KafkaBroker(settings);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the broker's data directory", e);
        }
        try {
            broker.launch();
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    /** {@code 127.0.0.1:<port>}, for the clients' {@code bootstrap.servers}; stays the same across restarts. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The directory of the broker's partitions, configuration and {@code broker.log}. */
    public Path dataDir() {
        return dataDir;
    }

    /** Whether the broker JVM is running. */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The broker JVM's process id, e.g. to measure its memory. */
    public long pid() {
        requireRunning();
        return process.pid();
    }

    /**
     * Creates {@code name} with {@code partitions} partitions, replication factor 1 and {@code retention.ms=-1}.
     *
     * @throws IllegalStateException with the broker's reason, e.g. when the topic exists
     */
    public void createTopic(String name, int partitions) {
        if (name == null || name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("topic name must be non-blank without spaces, was '" + name + "'");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        String answer = command("create-topic " + name + ' ' + partitions);
        if (!answer.equals("OK")) {
            throw new IllegalStateException("cannot create topic '" + name + "': " + answer);
        }
    }

    /**
     * Stops the broker cleanly (a controlled shutdown that flushes its logs) and waits for its JVM to exit; the
     * data directory stays. Does nothing when it is not running.
     */
    public void stop() {
        if (process == null) {
            return;
        }
        try {
            commands.write("stop\n");
            commands.close();
        } catch (IOException e) {
            // The JVM is already gone or going: waiting below tells which.
        }
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            process = null;
        }
    }

    /** Stops the broker if it runs, then starts it again on the same data directory and ports. */
    public void restart() {
        stop();
        launch();
    }

    /** Stops the broker and deletes its data directory if it was a temporary one. */
    @Override
    public void close() {
        stop();
        if (temporaryDataDir) {
            try {
                BrokerClasspath.deleteTree(dataDir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the broker's data directory " + dataDir, e);
            }
        }
    }

    private void launch() {
        try {
            Path properties = dataDir.resolve("server.properties");
            Files.writeString(properties, serverProperties());
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new ArrayList<>(List.of(java,
                    "-Xms64m", "-Xmx" + settings.maxHeap(), "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true",
                    "-Dlog4j2.configurationFile=" + LOG4J2_CONFIG,
                    "-Diotgrid.broker.log=" + dataDir.resolve("broker.log"),
                    "-cp", BrokerClasspath.directory().resolve("*").toString(),
                    MAIN, properties.toString(), clusterId, bootstrapServers()));
            process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.appendTo(dataDir.resolve("broker.stderr").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Kafka broker's JVM", e);
        }
        commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        answers = new LinkedBlockingQueue<>();
        Process started = process;
        BlockingQueue<Optional<String>> queue = answers;
        Thread reader = new Thread(() -> readAnswers(started, queue), "kafka-broker-" + port + "-answers");
        reader.setDaemon(true);
        reader.start();
        String first = await(settings.startTimeout(), "start");
        if (!READY.equals(first)) {
            throw new IllegalStateException("the Kafka broker answered '" + first + "' instead of " + READY);
        }
    }

    private String command(String line) {
        requireRunning();
        try {
            commands.write(line + '\n');
            commands.flush();
        } catch (IOException e) {
            throw new IllegalStateException("the Kafka broker's JVM does not take commands" + logTail(), e);
        }
        return await(COMMAND_TIMEOUT, "answer '" + line + "'");
    }

    private String await(Duration timeout, String what) {
        try {
            Optional<String> line = answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (line != null && line.isEmpty()) {
                process.waitFor(10, TimeUnit.SECONDS);
            }
            if (line == null || line.isEmpty()) {
                String state = process.isAlive() ? "did not " + what + " within " + timeout
                        : "exited with code " + process.exitValue() + " before it could " + what;
                if (process.isAlive()) {
                    process.destroyForcibly();
                }
                process = null;
                throw new IllegalStateException("the Kafka broker " + state + logTail());
            }
            return line.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Kafka broker to " + what, e);
        }
    }

    private static void readAnswers(Process process, BlockingQueue<Optional<String>> queue) {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                queue.add(Optional.of(line));
            }
        } catch (IOException e) {
            // The stream closes when the JVM exits; whoever waits for an answer reports the exit.
        }
        queue.add(Optional.empty());
    }

    private void requireRunning() {
        if (!isRunning()) {
            throw new IllegalStateException("the Kafka broker on " + bootstrapServers() + " is not running");
        }
    }

    private String serverProperties() {
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dataDir.resolve("logs"),
                "auto.create.topics.enable=false",
                "num.partitions=1",
                "default.replication.factor=1",
                "min.insync.replicas=1",
                "log.retention.ms=-1",
                "offsets.topic.replication.factor=1",
                // Fewer partitions of the internal topics than the default 50: they are created on first use,
                // and a single-node broker gains nothing from more.
                "offsets.topic.num.partitions=4",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=4",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "");
    }

    private String logTail() {
        StringBuilder tail = new StringBuilder();
        for (String name : List.of("broker.stderr", "broker.log")) {
            Path file = dataDir.resolve(name);
            try {
                if (Files.exists(file)) {
                    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                    tail.append("\n--- end of ").append(file).append(" ---\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
                }
            } catch (IOException | UncheckedIOException e) {
                tail.append("\n(cannot read ").append(file).append(": ").append(e).append(')');
            }
        }
        return tail.toString();
    }

    /** The cluster id kept in the data directory, or a new one: a restart must find the id it formatted with. */
    private static String clusterId(Path dataDir) throws IOException {
        Path file = dataDir.resolve("cluster.id");
        if (Files.exists(file)) {
            return Files.readString(file).trim();
        }
        String id;
        do {
            UUID uuid = UUID.randomUUID();
            ByteBuffer bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                    .putLong(uuid.getLeastSignificantBits());
            // Kafka's cluster ids are 16 bytes in URL-safe base64 without padding; like Kafka's own Uuid, skip ids
            // starting with '-', which the storage tool's command line would take for an option.
            id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
        } while (id.startsWith("-"));
        Files.writeString(file, id);
        return id;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
