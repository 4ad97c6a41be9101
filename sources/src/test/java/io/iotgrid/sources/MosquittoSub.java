package io.iotgrid.sources;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * Mosquitto's own {@code mosquitto_sub} (Debian {@code mosquitto-clients}) as an independent subscriber for tests:
 * prints every message as {@code topic payload}, one per line, into {@code target/mosquitto/<port>/<id>.out}. It
 * reconnects by itself after a broker restart and subscribes again; with {@link #persistent} its session (and the
 * QoS 1 messages the broker queued for it meanwhile) survives that. {@link #close()} stops it by PID.
 */
public final class MosquittoSub implements AutoCloseable {

    private static final Duration SUBSCRIBED = Duration.ofSeconds(15);

    private final Process process;
    private final Path out;

    private MosquittoSub(Process process, Path out) {
        this.process = process;
        this.out = out;
    }

    /** Subscribes to {@code filter} at {@code qos}, clean session, and waits until the broker acknowledged it. */
    public static MosquittoSub start(MosquittoBroker broker, String clientId, String filter, int qos)
            throws IOException {
        return start(broker, clientId, filter, qos, false);
    }

    /** Subscribes as {@link #start} does, with a session the broker keeps while it is away (Clean Session 0). */
    public static MosquittoSub persistent(MosquittoBroker broker, String clientId, String filter, int qos)
            throws IOException {
        return start(broker, clientId, filter, qos, true);
    }

    private static MosquittoSub start(MosquittoBroker broker, String clientId, String filter, int qos,
                                      boolean persistent) throws IOException {
        Path out = broker.log().resolveSibling(clientId + ".out");
        Files.deleteIfExists(out);
        List<String> command = new ArrayList<>(List.of("mosquitto_sub", "-h", "127.0.0.1",
                "-p", Integer.toString(broker.port()), "-i", clientId, "-t", filter, "-q", Integer.toString(qos),
                "-v"));
        if (persistent) {
            command.add("-c");
        }
        long subacks = subacks(broker, clientId);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        MosquittoSub sub = new MosquittoSub(process, out);
        try {
            await().atMost(SUBSCRIBED).pollInterval(Duration.ofMillis(50))
                   .until(() -> subacks(broker, clientId) > subacks);
        } catch (RuntimeException e) {
            sub.close();
            throw e;
        }
        return sub;
    }

    /** How often the broker's log says it acknowledged a subscription of {@code clientId}. */
    private static long subacks(MosquittoBroker broker, String clientId) throws IOException {
        if (!Files.exists(broker.log())) {
            return 0;
        }
        String suback = "Sending SUBACK to " + clientId;
        try (var lines = Files.lines(broker.log(), StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.endsWith(suback)).count();
        }
    }

    /** Every line printed so far, {@code topic payload}. */
    public List<String> lines() throws IOException {
        return Files.readAllLines(out, StandardCharsets.UTF_8);
    }

    /** The payloads received on {@code topic} so far, in order. */
    public List<String> payloads(String topic) throws IOException {
        String prefix = topic + ' ';
        return lines().stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).toList();
    }

    /** The PID of {@code mosquitto_sub}. */
    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
