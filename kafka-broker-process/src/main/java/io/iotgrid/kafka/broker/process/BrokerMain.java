package io.iotgrid.kafka.broker.process;

import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import sun.misc.Signal;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Main class of the broker JVM that {@code io.iotgrid.kafka.broker.KafkaBroker} starts; not meant to be run by
 * hand. Formats the KRaft storage unless it already is, starts {@code kafka.Kafka} on a thread, and once the
 * broker accepts topics prints {@value #READY} on stdout. Then it reads commands from stdin, one a line, and
 * answers each with one line:
 * <ul>
 *   <li>{@code create-topic <name> <partitions>}: {@code OK}, or {@code ERROR <reason>}; the topic has
 *       replication factor 1 and {@code retention.ms=-1};</li>
 *   <li>{@code stop}, or the end of stdin (the parent died): a clean broker shutdown and exit 0.</li>
 * </ul>
 * Usage: {@code java -cp <lib>/* io.iotgrid.kafka.broker.process.BrokerMain server.properties <clusterId>
 * <bootstrapServers>}.
 */
public final class BrokerMain {

    /** Printed on stdout once the broker takes requests. */
    public static final String READY = "READY";
    private static final long READY_TIMEOUT_MILLIS = 120_000;

    private BrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: BrokerMain server.properties clusterId bootstrapServers");
            System.exit(2);
        }
        // stdout is the command channel: nothing but answers may be printed there.
        PrintStream answers = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err);

        int formatted = StorageTool.execute(
                new String[]{"format", "-t", args[1], "-c", args[0], "--ignore-formatted"}, System.err);
        if (formatted != 0) {
            System.err.println("formatting the storage failed with exit code " + formatted);
            System.exit(1);
        }
        Thread broker = new Thread(() -> kafka.Kafka.main(new String[]{args[0]}), "kafka-main");
        broker.start();

        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[2],
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
            awaitBroker(admin);
            // The parent owns this JVM's life (stop, or the end of stdin). Ctrl-C in the parent's terminal reaches
            // the whole process group: the broker must outlive it until the parent has stopped what reads from it.
            // Set once the broker runs, replacing the handler kafka.Kafka installed at start.
            Signal.handle(new Signal("INT"), signal -> { });
            answers.println(READY);
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = commands.readLine(); line != null && !line.equals("stop"); line = commands.readLine()) {
                answers.println(execute(admin, line));
            }
        }
        // Kafka's shutdown hook stops the broker cleanly, so a restart finds consistent logs.
        System.exit(0);
    }

    private static void awaitBroker(Admin admin) throws InterruptedException {
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MILLIS;
        while (true) {
            try {
                // An unfenced broker is listed; a fenced one would refuse to host new partitions.
                if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                if (System.currentTimeMillis() > deadline) {
                    System.err.println("broker not ready after " + READY_TIMEOUT_MILLIS + " ms: " + e);
                    System.exit(1);
                }
            }
            Thread.sleep(100);
        }
    }

    private static String execute(Admin admin, String line) throws InterruptedException {
        String[] parts = line.trim().split("\\s+");
        if (parts.length != 3 || !parts[0].equals("create-topic")) {
            return "ERROR unknown command '" + line + "'";
        }
        int partitions;
        try {
            partitions = Integer.parseInt(parts[2]);
        } catch (NumberFormatException e) {
            return "ERROR partitions must be a whole number, was '" + parts[2] + "'";
        }
        NewTopic topic = new NewTopic(parts[1], partitions, (short) 1).configs(Map.of("retention.ms", "-1"));
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            try {
                admin.createTopics(List.of(topic)).all().get();
                return "OK";
            } catch (ExecutionException e) {
                // Right after start the broker may still be fenced: no broker to place the replica on yet.
                if (e.getCause() instanceof InvalidReplicationFactorException && System.currentTimeMillis() < deadline) {
                    Thread.sleep(200);
                    continue;
                }
                return "ERROR " + String.valueOf(e.getCause()).replace('\n', ' ');
            }
        }
    }
}
