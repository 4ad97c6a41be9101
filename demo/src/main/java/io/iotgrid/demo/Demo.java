package io.iotgrid.demo;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.core.JobStatus;
import io.iotgrid.console.Console;
import io.iotgrid.console.ConsoleSettings;
import io.iotgrid.core.AlertRule;
import io.iotgrid.core.Durations;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.member.HistoryPersistence;
import io.iotgrid.core.ThresholdAlert;
import io.iotgrid.jobs.AggregationJob;
import io.iotgrid.jobs.AggregationSettings;
import io.iotgrid.jobs.JobSettings;
import io.iotgrid.jobs.KafkaAggregationJob;
import io.iotgrid.jobs.KafkaJobSettings;
import io.iotgrid.kafka.broker.KafkaBroker;
import io.iotgrid.kafka.broker.impl.BrokerClasspath;
import io.iotgrid.simulator.KafkaEncoding;
import io.iotgrid.simulator.KafkaSensorProducer;
import io.iotgrid.simulator.KafkaSimulationSettings;
import io.iotgrid.simulator.MqttSensorPublisher;
import io.iotgrid.simulator.MqttSimulationSettings;
import io.iotgrid.simulator.SensorSimulator;
import io.iotgrid.simulator.SimulationSettings;
import io.iotgrid.sources.CoapObserveSettings;
import io.iotgrid.sources.MqttSourceSettings;
import io.iotgrid.sources.kafka.KafkaPayloadSettings;
import io.iotgrid.sources.kafka.PayloadFormat;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The embedded default: in one JVM, a Hazelcast member with Jet, a simulated CoAP sensor server, the
 * aggregation job observing every sensor, and a console table of the per-place aggregates.
 * <p>
 * How to run (from the repository root):
 * <pre>
 * mvn -q -B -DskipTests -pl demo -am package &amp;&amp; java -jar demo/target/iot-grid-demo.jar --duration 2m
 * </pre>
 * With {@code --source kafka} the readings go through an embedded Kafka broker instead (a KRaft broker in its own
 * JVM, on a free loopback port, its data in a temporary directory deleted at the end), read by the Kafka flavour of
 * the job with EXACTLY_ONCE; {@code --kafka-encoding avro} (or connect-json, json-in-field, confluent-avro) picks the
 * payload format. With {@code --source mqtt} the simulated sensors publish to {@code plant/<place>/sensors/<sensor>} on
 * an MQTT broker and the job subscribes with the sensor and place ids taken from the topic: an embedded Moquette
 * broker (MQTT 3.1.1, subscribed with QoS 0) unless {@code --mqtt-broker host:port} names a running MQTT 5 broker
 * such as Mosquitto (shared subscriptions, QoS 1, acknowledged after each snapshot).
 * Expected output, every 5 seconds:
 * <pre>
 * iot-grid 12:00:05  readings 240  alerts 3  dead letters 0  (per measure: avg (min max stddev))
 * place  window             state  readings  temperature           humidity             pressure
 * p-1    12:00:00-12:01:00  early        40  21.3 (18.2 24.9 1.8)  48.1 (41.0 55.2 3.9)  1009.8 (1003.1 1015.0 3.4)
 * </pre>
 * and a luminosity column of the same form.
 * The member listens on 127.0.0.1:5701 in cluster {@code iot-grid}, so a client started with
 * {@code cluster-config/iot-grid-client.yaml} reads the same maps while the demo runs, and answers SQL on them
 * ({@code java -jar client/target/iot-grid-client.jar sql "SELECT * FROM place_stats"}).
 */
public final class Demo {

    /** Topic the simulated sensors write to with {@code --source kafka}. */
    static final String KAFKA_TOPIC = "sensor-readings";
    /** Partitions of {@value #KAFKA_TOPIC}: the job's source processors share them. */
    static final int KAFKA_PARTITIONS = 4;
    /** Where the simulated sensors publish with {@code --source mqtt}, and where the job takes the ids from. */
    static final String MQTT_TOPIC_TEMPLATE = "plant/{placeId}/sensors/{sensorId}";
    /** Schema id the sensors write into confluent-avro values, and the job resolves. */
    static final int KAFKA_SCHEMA_ID = 1;

    /** How long a signal waits for the demo to stop everything before the JVM halts anyway. */
    private static final int STOP_TIMEOUT_SECONDS = 30;
    private static final String IN_MEMORY = "the grid's maps lived in the member's memory, nothing was written to disk";

    private Demo() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0 && args[0].equals(Simulate.MODE)) {
            Simulate.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        // Hazelcast logs through java.util.logging unless told; the jar carries Log4j 2 and its quiet config.
        System.setProperty("hazelcast.logging.type", "log4j2");
        CommandLine line = DemoOptions.commandLine();
        DemoOptions options;
        try {
            options = DemoOptions.parse(line, args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage() + " (--help lists the options)");
            System.exit(2);
            return;
        }
        if (CommandLine.printHelpIfRequested(line.getParseResult())) {
            return;
        }
        int taken = takenPort(options.port());
        if (taken != -1) {
            // A member started in a taken range joins whatever cluster listens there: refuse before starting one.
            System.err.printf("error: 127.0.0.1:%d is in use, most likely by an iot-grid demo already running (one "
                    + "demo per machine; clients reach it there): stop it, or give this one --port %d or above%n",
                    taken, taken + GridConfigs.LOOPBACK_MEMBERS);
            System.exit(2);
            return;
        }
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            // The JVM halts once the hooks return: give run() the time to stop everything and print its last line.
            try {
                stopped.await(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "demo-stop"));
        try {
            run(options, System.out, stop);
        } finally {
            stopped.countDown();
        }
    }

    /**
     * The first port of the member's range ({@code port} and the {@value GridConfigs#LOOPBACK_MEMBERS} - 1 after it)
     * that cannot be bound on 127.0.0.1, or -1 when all are free.
     */
    static int takenPort(int port) {
        for (int p = port; p < port + GridConfigs.LOOPBACK_MEMBERS; p++) {
            try (ServerSocket ignored = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
                // Free: the member could bind it.
            } catch (IOException e) {
                return p;
            }
        }
        return -1;
    }

    /**
     * Runs until {@code stop} opens or the duration ends, printing the table to {@code out}; then stops everything
     * and prints one line saying what was stopped, why, and what is left on disk.
     */
    static void run(DemoOptions options, PrintStream out, CountDownLatch stop) throws InterruptedException {
        SimulationSettings simulation = options.scenario().apply(SimulationSettings.builder()
                .set(SimulationSettings.SENSORS, options.sensors())
                .set(SimulationSettings.PLACES, options.places())
                .set(SimulationSettings.READINGS_PER_SECOND, options.rate()).build());
        AggregationSettings settings = AggregationSettings.builder()
                .set(AggregationSettings.WINDOW_SIZE, options.window())
                .set(AggregationSettings.EARLY_RESULTS_PERIOD, Duration.ofSeconds(2).compareTo(options.window()) < 0
                        ? Duration.ofSeconds(2) : Duration.ZERO)
                .set(AggregationSettings.ALERT_RULES, options.alerts())
                // A sensor gone quiet shows as silent after a window of silence and offline after five, rather
                // than after the defaults' 30 s and 10 min, which suit a plant more than a demo.
                .set(AggregationSettings.SILENT_FLOOR, options.window())
                .set(AggregationSettings.OFFLINE_AFTER, options.window().multipliedBy(5)).build();
        List<String> stopped = new ArrayList<>();
        String left;
        boolean signalled;
        if (options.source() == DemoOptions.Source.KAFKA) {
            KafkaBroker broker = KafkaBroker.start();
            long pid;
            try (broker) {
                pid = broker.pid();
                signalled = runKafka(options, simulation, settings, out, stop, stopped, broker);
            }
            stopped.add(String.format("Kafka broker (pid %d) stopped", pid));
            // close() deleted the data directory, or failed saying it could not.
            left = String.format("the broker's data directory %s was deleted; its jars stay in %s for the next run",
                    broker.dataDir(), BrokerClasspath.directory());
        } else if (options.source() == DemoOptions.Source.MQTT) {
            signalled = runMqtt(options, simulation, settings, out, stop, stopped);
            left = IN_MEMORY;
        } else {
            // The CoAP job jar's job settings, at their defaults: the same name, guarantee and snapshots.
            JobSettings job = JobSettings.builder(AggregationJob.COAP_JOB).build();
            try (SensorSimulator simulator = SensorSimulator.start(simulation)) {
                String origin = String.format("observed over CoAP at coap://127.0.0.1:%d/sensors/*",
                        simulator.port());
                signalled = runJob(options, simulation, settings, out, stop, stopped, job.jobName(), origin,
                        member -> member.getJet().newJob(AggregationJob.build(AggregationJob.coapSource(
                                CoapObserveSettings.of(simulator.uris().toArray(String[]::new)), settings), settings),
                                job.jobConfig()));
            }
            stopped.add("simulated CoAP sensors stopped");
            left = IN_MEMORY;
        }
        out.printf("iot-grid demo: stopped %s: %s; %s%n", signalled ? "on Ctrl-C (a signal)"
                : "after --duration " + Durations.format(options.duration()), String.join(", ", stopped), left);
        out.flush();
    }

    /**
     * The Kafka source: an embedded broker in its own JVM, simulated sensors writing to {@value #KAFKA_TOPIC} and the
     * Kafka flavour of the job reading it exactly once.
     */
    private static boolean runKafka(DemoOptions options, SimulationSettings simulation, AggregationSettings settings,
                                    PrintStream out, CountDownLatch stop, List<String> stopped, KafkaBroker broker)
            throws InterruptedException {
        boolean signalled;
        broker.createTopic(KAFKA_TOPIC, KAFKA_PARTITIONS);
        try (KafkaSensorProducer sensors = KafkaSensorProducer.start(
                KafkaSimulationSettings.of(broker.bootstrapServers(), KAFKA_TOPIC).toBuilder()
                    .set(KafkaSimulationSettings.ENCODING, options.encoding())
                    .set(KafkaSimulationSettings.SCHEMA_ID, KAFKA_SCHEMA_ID)
                    .set(KafkaSimulationSettings.SIMULATION, simulation).build())) {
            KafkaJobSettings kafka = KafkaJobSettings.of(broker.bootstrapServers(), KAFKA_TOPIC).toBuilder()
                    .set(KafkaJobSettings.PAYLOAD, payloadSettings(options.encoding()))
                    .build();
            String origin = String.format("written as %s to Kafka topic '%s' of the embedded broker %s (pid %d, "
                            + "data in %s)", options.encoding().key(), KAFKA_TOPIC, broker.bootstrapServers(),
                    broker.pid(), broker.dataDir());
            signalled = runJob(options, simulation, settings, out, stop, stopped, kafka.jobName(), origin,
                    member -> member.getJet().newJob(
                            KafkaAggregationJob.build(KafkaAggregationJob.source(kafka, settings), settings, kafka),
                            kafka.jobConfig()));
        }
        stopped.add("simulated Kafka sensors stopped");
        return signalled;
    }

    /**
     * The MQTT source: simulated sensors publishing to {@value #MQTT_TOPIC_TEMPLATE}, the job subscribing with the ids
     * from the topic; on an embedded Moquette broker, or on {@code --mqtt-broker}.
     */
    private static boolean runMqtt(DemoOptions options, SimulationSettings simulation, AggregationSettings settings,
                                   PrintStream out, CountDownLatch stop, List<String> stopped)
            throws InterruptedException {
        if (options.mqttBroker() != null) {
            return runMqtt(options, simulation, settings, out, stop, stopped, options.mqttBroker(), true);
        }
        boolean signalled;
        try (EmbeddedMqttBroker broker = EmbeddedMqttBroker.start()) {
            signalled = runMqtt(options, simulation, settings, out, stop, stopped, broker.hostAndPort(), false);
        }
        stopped.add("embedded MQTT broker stopped");
        return signalled;
    }

    private static boolean runMqtt(DemoOptions options, SimulationSettings simulation, AggregationSettings settings,
                                   PrintStream out, CountDownLatch stop, List<String> stopped, String broker,
                                   boolean mqtt5) throws InterruptedException {
        boolean signalled;
        MqttSourceSettings.Builder mqtt = MqttSourceSettings.builder()
                .set(MqttSourceSettings.BROKER, "mqtt://" + broker)
                .set(MqttSourceSettings.TOPICS, List.of(MQTT_TOPIC_TEMPLATE.replaceAll("\\{[a-zA-Z]+}", "+")))
                .set(MqttSourceSettings.TOPIC_TEMPLATE, MQTT_TOPIC_TEMPLATE)
                .set(MqttSourceSettings.CLIENT_ID, "iot-grid-demo");
        if (!mqtt5) {
            // Moquette 0.17: MQTT 3.1.1 only, one subscriber, and QoS 0 because it holds back QoS 1 messages
            // beyond 10 unacknowledged ones, while the source acknowledges only after each snapshot.
            mqtt.set(MqttSourceSettings.PROTOCOL, MqttSourceSettings.MQTT_3_1_1)
                .set(MqttSourceSettings.SHARED_GROUP, null)
                .set(MqttSourceSettings.SESSIONS, 1)
                .set(MqttSourceSettings.QOS, 0);
        }
        MqttSourceSettings source = mqtt.build();
        try (MqttSensorPublisher sensors = MqttSensorPublisher.start(MqttSimulationSettings.builder()
                .set(MqttSimulationSettings.BROKER, "mqtt://" + broker)
                .set(MqttSimulationSettings.TOPIC_TEMPLATE, MQTT_TOPIC_TEMPLATE)
                .set(MqttSimulationSettings.PROTOCOL, mqtt5 ? "5" : "3.1.1")
                .set(MqttSimulationSettings.SIMULATION, simulation).build())) {
            String origin = String.format("published over MQTT %s to %s on %s, subscribed with QoS %d",
                    mqtt5 ? "5" : "3.1.1", MQTT_TOPIC_TEMPLATE, mqtt5 ? "the broker " + broker
                            : "the embedded Moquette broker " + broker, source.qos());
            // The MQTT job jar's job settings, at their defaults: snapshots every second, after which the source
            // acknowledges.
            JobSettings job = JobSettings.builder(AggregationJob.MQTT_JOB).build();
            signalled = runJob(options, simulation, settings, out, stop, stopped, job.jobName(), origin,
                    member -> member.getJet().newJob(AggregationJob.build(AggregationJob.mqttSource(source, settings),
                            settings), job.jobConfig()));
        }
        stopped.add("simulated MQTT sensors stopped");
        return signalled;
    }

    /** How the Kafka job reads what the simulated sensors write in {@code encoding}. */
    static KafkaPayloadSettings payloadSettings(KafkaEncoding encoding) {
        return switch (encoding) {
            case JSON -> KafkaPayloadSettings.json();
            case CONNECT_JSON -> KafkaPayloadSettings.connectJson();
            case JSON_IN_FIELD -> KafkaPayloadSettings.builder().set(KafkaPayloadSettings.PAYLOAD_FIELD, "payload").build();
            case AVRO -> KafkaPayloadSettings.builder().set(KafkaPayloadSettings.FORMAT, PayloadFormat.AVRO)
                    .set(KafkaPayloadSettings.AVRO_SCHEMA, KafkaEncoding.AVRO_SCHEMA).build();
            case CONFLUENT_AVRO -> KafkaPayloadSettings.builder().set(KafkaPayloadSettings.FORMAT, PayloadFormat.CONFLUENT_AVRO)
                    .set(KafkaPayloadSettings.SCHEMAS_BY_ID, Map.of(KAFKA_SCHEMA_ID, KafkaEncoding.AVRO_SCHEMA)).build();
        };
    }

    /**
     * Starts the member and the job, prints the table until {@code stop} opens or the duration ends, then cancels the
     * job and shuts the member down; tells whether {@code stop} ended it.
     */
    private static boolean runJob(DemoOptions options, SimulationSettings simulation, AggregationSettings settings,
                                  PrintStream out, CountDownLatch stop, List<String> stopped, String jobName,
                                  String origin, Function<HazelcastInstance, Job> startJob)
            throws InterruptedException {
        Config config = GridConfigs.loopbackMember("iot-grid", options.port());
        if (options.postgres() != null) {
            // Credentials, if any, are in the URL (?user=...&password=...), as the help says.
            HistoryPersistence.enable(config, options.postgres(), null, null);
        }
        // The demo's own hook stops the member after the job; Hazelcast's would shut it down under the running job.
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
        String address = "127.0.0.1:" + member.getCluster().getLocalMember().getAddress().getPort();
        boolean signalled = false;
        Console console = null;
        try {
            AtomicLong alerts = new AtomicLong();
            AtomicReference<ThresholdAlert> latestAlert = new AtomicReference<>();
            member.<ThresholdAlert>getReliableTopic(settings.alertsTopic()).addMessageListener(m -> {
                alerts.incrementAndGet();
                latestAlert.set(m.getMessageObject());
            });
            AggregationJob.createSqlMappings(member, settings);
            Job job = startJob.apply(member);
            out.printf("iot-grid demo: %d sensors in %d places at %s readings/s each, %s; member %s, "
                            + "cluster 'iot-grid', job '%s'%n",
                    options.sensors(), options.places(), options.rate(), origin, address, jobName);
            out.println("iot-grid demo: " + scenario(options, simulation));
            console = startConsole(member, options.consolePort(), out);
            ConsoleTable table = new ConsoleTable(member, settings, alerts::get, latestAlert::get);
            long deadline = options.duration() == null ? Long.MAX_VALUE
                    : System.nanoTime() + options.duration().toNanos();
            while (System.nanoTime() - deadline < 0) {
                long wait = Math.min(options.refresh().toNanos(), deadline - System.nanoTime());
                if (stop.await(Math.max(wait, 0), TimeUnit.NANOSECONDS)) {
                    signalled = true;
                    break;
                }
                table.print(out);
            }
            cancel(job);
            stopped.add("job '" + jobName + "' cancelled");
        } finally {
            if (console != null) {
                console.close();
            }
            member.shutdown();
        }
        stopped.add("member " + address + " shut down");
        return signalled;
    }

    /**
     * Serves the web console for the member on 127.0.0.1 and prints its address; when the default port is taken (a
     * Kafka Connect worker, another console), any free one, so the demo still starts.
     */
    private static Console startConsole(HazelcastInstance member, int port, PrintStream out) {
        ConsoleSettings.Builder settings = ConsoleSettings.builder().set(ConsoleSettings.PORT, port);
        Console console;
        try {
            console = Console.start(member, settings.build());
        } catch (UncheckedIOException taken) {
            if (port != ConsoleSettings.PORT.defaultValue()) {
                throw taken;
            }
            console = Console.start(member, settings.set(ConsoleSettings.PORT, 0).build());
            out.printf("iot-grid demo: port %d is taken, the console took another%n", port);
        }
        out.println("iot-grid demo: console " + console.url() + " (live page; Kafka Connect REST API at "
                + console.url().resolve("/connectors") + ")");
        return console;
    }

    /**
     * Stops {@code job} and waits until it has ended: first a suspension, which for a snapshotting job waits for a
     * snapshot in progress and takes a last one (the MQTT source acknowledges what it held), then the cancellation
     * of the suspended job. Cancelling a running job outright fails the snapshot in progress, which Jet logs as
     * warnings with an exception; shutting the member down before the job ended fails Jet's own operations on its
     * job records, logged with stack traces.
     */
    private static void cancel(Job job) {
        try {
            try {
                job.suspend();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (job.getStatus() != JobStatus.SUSPENDED && !job.getStatus().isTerminal()
                        && System.nanoTime() - deadline < 0) {
                    Thread.sleep(20);
                }
            } catch (IllegalStateException notRunning) {
                // Not running (still starting, or ended): cancelling it outright is all there is.
            }
            if (!job.getStatus().isTerminal()) {
                job.cancel();
            }
            job.getFuture().get(30, TimeUnit.SECONDS);
        } catch (CancellationException expected) {
            // the normal end of a cancelled job
        } catch (IllegalStateException | ExecutionException | TimeoutException e) {
            System.err.println("iot-grid demo: job '" + job.getName() + "' did not end cleanly: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the simulated sensors do, in the words of the person watching. */
    private static String scenario(DemoOptions options, SimulationSettings simulation) {
        if (!simulation.hasFaults()) {
            return "scenario plain: every sensor well-behaved (--scenario realistic adds faults)";
        }
        return String.format(Locale.ROOT, "scenario realistic: %s %% of readings malformed (dead letters), s-1 runs "
                        + "hot (alerts on %s), s-%d goes quiet after %s (--scenario plain turns this off)",
                DemoOptions.Scenario.BAD_PAYLOAD_PERCENT, options.alerts().stream().map(AlertRule::toString)
                        .collect(Collectors.joining(", ")), simulation.sensors(),
                Durations.format(simulation.quietAfter()));
    }
}
