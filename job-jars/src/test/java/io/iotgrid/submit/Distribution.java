package io.iotgrid.submit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The unpacked Hazelcast distribution ({@code distribution.home}, unpacked by Maven before the ITs): starts
 * members with {@code bin/hz start} and runs {@code bin/hz-cli} commands, every process with its output in a
 * file under {@code target/} and bound to 127.0.0.1.
 */
final class Distribution {

    /** Heap of each JVM: the members and hz-cli share a 2-core machine with other builds. */
    private static final String MEMBER_HEAP = "-Xmx384m";
    private static final String CLI_HEAP = "-Xmx192m";

    private final Path home;
    private final Path logs;
    private final String cluster;
    private final int port;

    Distribution(Path logs, String cluster, int port) throws IOException {
        this.home = Path.of(System.getProperty("distribution.home"));
        Path memberJar = Path.of(System.getProperty("member.jar"));
        if (!Files.isRegularFile(memberJar)) {
            throw new IllegalStateException("no iot-grid-member.jar at " + memberJar + " for the members' CLASSPATH: "
                    + "run the ITs through Maven, which packages it first");
        }
        if (!Files.isExecutable(home.resolve("bin/hz"))) {
            throw new IllegalStateException("no unpacked distribution at " + home + ": run the ITs through Maven");
        }
        this.logs = Files.createDirectories(logs);
        this.cluster = cluster;
        this.port = port;
    }

    /**
     * Starts a member with {@code memberYaml}, overriding only what a loopback test must: the cluster name and
     * first port (Hazelcast's {@code HZ_*} environment overrides), the bind address, and the Prometheus agent's
     * address (the distribution's {@code PROMETHEUS_PORT} accepts {@code host:port}). The member gets
     * iot-grid-member.jar ({@code member.jar}: core, the PostgreSQL history map store and its driver) on its
     * classpath through {@code CLASSPATH}, which {@code bin/hz} puts before {@code lib/}: the history's entry
     * processors and map store run from the member's classpath, never from a job jar.
     */
    Process startMember(int index, Path memberYaml, int prometheusPort) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/hz").toString(), "start")
                .redirectErrorStream(true)
                .redirectOutput(logs.resolve("member-" + index + ".log").toFile());
        Map<String, String> env = pb.environment();
        env.put("HAZELCAST_CONFIG", memberYaml.toAbsolutePath().toString());
        env.put("HZ_CLUSTERNAME", cluster);
        env.put("HZ_NETWORK_PORT_PORT", Integer.toString(port));
        env.put("PROMETHEUS_PORT", "127.0.0.1:" + prometheusPort);
        env.put("CLASSPATH", System.getProperty("member.jar"));
        env.put("JAVA_OPTS", MEMBER_HEAP + " -Dhazelcast.local.localAddress=127.0.0.1"
                + " -Dhazelcast.socket.bind.any=false -Dhazelcast.phone.home.enabled=false");
        return pb.start();
    }

    /** Runs {@code bin/hz-cli -t cluster@127.0.0.1:port ARGS} to its end; stdin is {@code input}. */
    Result cli(String name, String input, Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/hz-cli").toString(),
                "-t", cluster + "@127.0.0.1:" + port));
        command.addAll(List.of(args));
        Path output = logs.resolve("hz-cli-" + name + ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().put("JAVA_OPTS", CLI_HEAP);
        Process p = pb.start();
        try (var stdin = p.getOutputStream()) {
            stdin.write(input.getBytes());
        }
        boolean ended = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!ended) {
            stop(p);
            throw new AssertionError("hz-cli " + args[0] + " did not end in " + timeout + "; output:\n"
                    + Files.readString(output));
        }
        return new Result(p.exitValue(), Files.readString(output).replaceAll("\u001B\\[[;\\d]*m", ""));
    }

    /** Stops {@code p} (a member or hz-cli) by its PID: SIGTERM, then SIGKILL after 20 s. */
    static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    Path logs() {
        return logs;
    }

    /** Exit status and output (ANSI colours removed) of a finished command. */
    record Result(int exit, String output) {
    }
}
