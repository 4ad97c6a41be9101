package io.iotgrid.bench;

import com.hazelcast.aggregation.Aggregators;
import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.Sinks;
import com.hazelcast.jet.pipeline.StreamSource;
import com.hazelcast.ringbuffer.Ringbuffer;
import io.iotgrid.core.Decoded;
import io.iotgrid.core.DeadLetter;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.LateReading;
import io.iotgrid.core.SensorReading;
import io.iotgrid.core.WindowStats;
import io.iotgrid.jobs.AggregationJob;
import io.iotgrid.jobs.AggregationSettings;
import io.iotgrid.jobs.JobSettings;
import io.iotgrid.jobs.KafkaAggregationJob;
import io.iotgrid.jobs.KafkaJobSettings;
import io.iotgrid.kafka.broker.KafkaBroker;
import io.iotgrid.simulator.KafkaSensorProducer;
import io.iotgrid.simulator.KafkaSimulationSettings;
import io.iotgrid.simulator.MqttSensorPublisher;
import io.iotgrid.simulator.MqttSimulationSettings;
import io.iotgrid.simulator.SimulationSettings;
import io.iotgrid.sources.CoapObserveSettings;
import io.iotgrid.sources.MosquittoBroker;
import io.iotgrid.sources.MqttSourceSettings;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Comparator;
import java.util.HashSet;
import java.util.TreeSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/**
 * A soak with faults: two members, the CoAP, Kafka and MQTT aggregation jobs, simulated sensors at a steady rate
 * with bad payloads mixed in, and a fault at every {@code --fault-every}, in turn: a member killed (SIGKILL) and
 * started again, the Kafka broker restarted, the MQTT broker restarted, the CoAP server killed (SIGKILL) and started
 * again on its port. It reports, per path, the readings offered, aggregated, lost and dead-lettered; the recovery
 * time of each fault; and each member's heap after GC over time.
 * <p>
 * How to run (from the repository root; Mosquitto must be installed, see FIELD-NOTES):
 * <pre>
 * mvn -q -B -DskipTests -pl bench -am package
 * java -cp "bench/target/iot-grid-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath)" \
 *      io.iotgrid.bench.SoakBenchmark --duration 60m --fault-every 1m
 * </pre>
 * Expected output: a line per fault as it recovers, then the summary (also in {@code summary.txt} of the results
 * directory, beside {@code faults.csv}, {@code heap.csv} and {@code paths.csv}); this from the smoke run's options
 * on a loaded machine:
 * <pre>
 *     87 s  member: member 1 (pid 28329) at 77 s, recovered in 9.7 s
 *    ...
 * path      offered  bad sent  aggregated     lost  duplicated  dead letters  distinct  failed sends  guarantee
 * coap         2075        46         622     1453           0            21        21             0  at most once, latest state
 * kafka        2034        32        2034        0           0            35        32             0  exactly once
 * mqtt         1938        31        1948        0          10            31        31            23  at least once (QoS 1)
 * mqtt: windows that differ, losses first: 1796422075000/s-1 offered=8 aggregated=9, ...
 * fault          count  recovery s: median (min–max)       unrecovered
 * member             1  9.7 (9.7–9.7)                      0
 * ...
 * heap after GC, MB, per member slot: first, last, min–max over samples (restarts start anew)
 *   member 1: 15 samples, first 15.5, last 34.8, 15.5–34.8
 *   member 2: 16 samples, first 15.5, last 39.1, 15.5–39.1
 * invariants: all hold
 * </pre>
 * It exits with status 0 when every invariant below holds, 1 otherwise.
 * <b>Set-up, and why.</b> Members are JVMs of their own ({@link SoakMember}) so that "terminated" is a real SIGKILL
 * by process id, and the restarted member joins again as a new member; each JVM samples its own heap. The Kafka
 * broker is the project's {@link KafkaBroker} (its own JVM), restarted cleanly on the same data and port. Mosquitto
 * runs with persistence and is stopped (SIGTERM, which saves its sessions) and started again. The CoAP sensors are
 * a {@link io.iotgrid.simulator.SensorSimulator} in a JVM of their own ({@link SoakCoapSensors}): before the kill the benchmark pauses
 * them and takes their count, so that what was offered is known exactly, then kills the process and starts a new
 * one on the same UDP port; the members' observe relations die with it and heal by themselves (the simulator sends
 * no Max-Age, so Californium re-registers after the default 60 s: expect that recovery time). The Kafka and MQTT
 * sensors run in the benchmark's JVM ({@link KafkaSensorProducer}, {@link MqttSensorPublisher}) and ride out their
 * broker's restart with their clients' retries. The benchmark talks to the cluster as a Hazelcast client.
 * <p>
 * Each job is the shipped pipeline ({@link AggregationJob#aggregate} from its flavour's source, with each flavour's
 * job settings: CoAP at least once, Kafka exactly once, MQTT at least once with QoS 1) with names of its own for
 * its maps, and one more sink: the final result of every sensor window into an IMap keyed by window and sensor, so
 * that a final result written again after a restore replaces itself. The Kafka and MQTT jobs have no wall-clock
 * floor ({@code quiet.close.after} none): with one, an outage longer than the floor's lag plus the allowed lateness
 * (a broker restart, or a job restart on a loaded machine) makes the readings that waited in the broker late, and
 * they are dropped: the floor's trade-off, not the snapshots'. Seen in exploratory runs with a 15 s floor: Kafka lost
 * 666 of 4 194 readings over a 57 s broker outage, MQTT 170 of 2 882 over a 38 s member recovery (every dead letter
 * was there: parsing is before windowing). The run closes those paths' last windows with {@value #END_SENSOR}
 * readings (one per Kafka partition, two per MQTT session), left out of the figures.
 * <p>
 * <b>The figures.</b> <i>Offered</i>: readings the simulators confirmed (the broker acknowledged them, or the CoAP
 * server published them); sends that failed are counted apart. <i>Aggregated</i>: the sum of the counts of the
 * closed sensor windows, after the sensors stopped and every window closed (for CoAP the wall-clock floor of
 * {@code --quiet-close} closes the last ones; the Kafka and MQTT jobs run in pure event time, see below). <i>Lost</i>:
 * summed over sensor windows, offered − aggregated where positive; <i>duplicated</i>: aggregated − offered where
 * positive, apart, so that one window's duplicates never hide another's loss. <i>Dead letters</i>: entries of the path's dead-letter map, and the distinct
 * ones (dead letters are at least once: one replayed after a restore is written again). <i>Recovery</i>: from the
 * start of a fault until every affected path (all three for a member) has a reading created after the faulty part
 * was back (member joined, broker taking requests, CoAP server bound) in its readings Ringbuffer, which the same job
 * writes between parsing and windowing. <i>Heap after GC</i>: each member's used heap after full collections, every
 * {@code --heap-every}.
 * <p>
 * <b>Invariants</b> ({@link Result#violations()}), from docs/delivery.md: Kafka loses and duplicates nothing and
 * dead-letters every bad payload once (distinct); MQTT at QoS 1 loses nothing and dead-letters every bad payload;
 * CoAP never counts a reading twice and never has more distinct dead letters than bad payloads sent (its losses
 * are latest-state's, and counted); every fault recovers.
 */
public final class SoakBenchmark {

    private static final String KAFKA_TOPIC = "soak-readings";
    private static final int KAFKA_PARTITIONS = 4;
    private static final String MQTT_FILTER = "plant/#";
    /** MQTT sessions of the job: one, for a plain subscription (see where the source is set up). */
    private static final int MQTT_SESSIONS = 1;
    /** The sensor of the readings that close the Kafka and MQTT paths' last windows; left out of the figures. */
    static final String END_SENSOR = "soak-end";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    /** How recent a path's newest reading must be, at the start, for the path to count as flowing. */
    private static final Duration FLOWING = Duration.ofSeconds(3);

    private SoakBenchmark() {
    }

    /** The three ingest paths, each its own job. */
    public enum Ingest {
        COAP("at most once, latest state"), KAFKA("exactly once"), MQTT("at least once (QoS 1)");

        private final String guarantee;

        Ingest(String guarantee) {
            this.guarantee = guarantee;
        }

        String prefix() {
            return "soak_" + name().toLowerCase(Locale.ROOT) + '_';
        }
    }

    /** The faults, in the order they take turns; the CoAP server last, as its recovery is the longest. */
    public enum Fault {
        MEMBER(Ingest.values()), KAFKA_BROKER(Ingest.KAFKA), MQTT_BROKER(Ingest.MQTT), COAP_SERVER(Ingest.COAP);

        private final List<Ingest> affects;

        Fault(Ingest... affects) {
            this.affects = List.of(affects);
        }

        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    /**
     * What one path did over the run.
     *
     * @param path                the path
     * @param offered             readings the simulators confirmed
     * @param badSent             malformed payloads the simulators confirmed
     * @param failedSends         sends the simulators saw fail (not offered)
     * @param aggregated          sum of the counts of closed sensor windows
     * @param lost                over every sensor window, offered readings missing from its closed window
     * @param duplicated          over every sensor window, readings its closed window counts beyond those offered
     * @param deadLetters         entries in the path's dead-letter map
     * @param distinctDeadLetters of them, distinct by source and payload
     * @param mismatches          sensor windows whose counts differ, as {@code <window start>/<sensor> offered=<n>
     *                            aggregated=<m>}, to look into: the first {@value #MISMATCHES_KEPT} with a loss, then
     *                            the first {@value #MISMATCHES_KEPT} with duplicates, each in window order
     */
    public record PathResult(Ingest path, long offered, long badSent, long failedSends, long aggregated, long late,
                             long lost, long duplicated, long deadLetters, long distinctDeadLetters,
                             List<String> mismatches) {

        /** How many differing windows a result keeps, for the report. */
        static final int MISMATCHES_KEPT = 10;

        /**
         * The figures of {@code path} from what was offered, and what was aggregated or kept as too late for its
         * window ({@code late_readings}), per sensor window ({@link PublishedCount#windowKey}): a window's loss and its
         * duplicates are counted apart, so that one window's duplicates do not hide another's loss.
         */
        static PathResult of(Ingest path, Map<String, Long> offered, long badSent, long failedSends,
                             Map<String, Long> aggregated, Map<String, Long> late, long deadLetters,
                             long distinctDeadLetters) {
            long lost = 0;
            long duplicated = 0;
            TreeSet<String> windows = new TreeSet<>(Comparator.comparingLong(SoakBenchmark::windowStart)
                                                              .thenComparing(w -> w));
            windows.addAll(offered.keySet());
            windows.addAll(aggregated.keySet());
            windows.addAll(late.keySet());
            List<String> losses = new ArrayList<>();
            List<String> duplicates = new ArrayList<>();
            for (String w : windows) {
                long o = offered.getOrDefault(w, 0L);
                long a = aggregated.getOrDefault(w, 0L);
                long l = late.getOrDefault(w, 0L);
                // A reading in late_readings may also have been counted: that map is written at least once, so an
                // execution rolled back after judging it late leaves it there when the replay counts it in time.
                lost += Math.max(0, o - a - l);
                duplicated += Math.max(0, a - o);
                boolean loss = o > a + l;
                List<String> kept = loss ? losses : duplicates;
                if ((loss || a > o) && kept.size() < MISMATCHES_KEPT) {
                    kept.add(w + " offered=" + o + " aggregated=" + a + (l == 0 ? "" : " late=" + l));
                }
            }
            losses.addAll(duplicates);
            return new PathResult(path, sum(offered), badSent, failedSends, sum(aggregated), sum(late), lost,
                    duplicated, deadLetters, distinctDeadLetters, List.copyOf(losses));
        }

        private static long sum(Map<String, Long> counts) {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * One fault.
     *
     * @param fault      what was done
     * @param target     to what, e.g. {@code member 2 (pid 1234)}
     * @param atMillis   when, from the start of the run
     * @param recoveryMs from the fault's start until every path it affects advanced again; {@code -1} if not within
     *                   the recovery timeout
     */
    public record FaultResult(Fault fault, String target, long atMillis, long recoveryMs) {

        public boolean recovered() {
            return recoveryMs >= 0;
        }
    }

    /**
     * A member's heap used after full collections.
     *
     * @param atMillis    when, from the start of the run
     * @param member      the member's slot, 1 or 2
     * @param incarnation how many times that slot's member was started before this one
     * @param bytes       heap used
     */
    public record HeapSample(long atMillis, int member, int incarnation, long bytes) {
    }

    /** What the run did: per path, per fault, and the members' heap. */
    public record Result(List<PathResult> paths, List<FaultResult> faults, List<HeapSample> heap, Duration ran) {

        /** The path's figures. */
        public PathResult path(Ingest ingest) {
            return paths.stream().filter(p -> p.path() == ingest).findFirst().orElseThrow();
        }

        /** Every invariant of the class comment that does not hold, one sentence each; empty when all hold. */
        public List<String> violations() {
            List<String> v = new ArrayList<>();
            PathResult kafka = path(Ingest.KAFKA);
            PathResult mqtt = path(Ingest.MQTT);
            PathResult coap = path(Ingest.COAP);
            if (kafka.lost() != 0 || kafka.duplicated() != 0) {
                v.add(String.format("kafka (exactly once) lost %d and duplicated %d readings", kafka.lost(),
                        kafka.duplicated()));
            }
            for (PathResult p : List.of(kafka, mqtt)) {
                if (p.distinctDeadLetters() != p.badSent()) {
                    v.add(String.format("%s: %d distinct dead letters for %d bad payloads sent",
                            p.path().name().toLowerCase(Locale.ROOT), p.distinctDeadLetters(), p.badSent()));
                }
            }
            if (mqtt.lost() != 0) {
                v.add("mqtt (at least once) lost " + mqtt.lost() + " readings");
            }
            if (coap.duplicated() != 0) {
                v.add("coap counted " + coap.duplicated() + " readings more than were offered");
            }
            if (coap.distinctDeadLetters() > coap.badSent()) {
                v.add(String.format("coap: %d distinct dead letters for %d bad payloads sent",
                        coap.distinctDeadLetters(), coap.badSent()));
            }
            for (FaultResult f : faults) {
                if (!f.recovered()) {
                    v.add(String.format("%s at %.0f s (%s) did not recover", f.fault().label(), f.atMillis() / 1e3,
                            f.target()));
                }
            }
            return v;
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "soak of %s, %d faults%n",
                    format(ran), faults.size()));
            s.append(String.format(Locale.ROOT, "%-6s %10s %9s %11s %8s %8s %11s %13s %9s %13s  %s%n", "path",
                    "offered", "bad sent", "aggregated", "late", "lost", "duplicated", "dead letters", "distinct",
                    "failed sends", "guarantee"));
            for (PathResult p : paths) {
                s.append(String.format(Locale.ROOT, "%-6s %10d %9d %11d %8d %8d %11d %13d %9d %13d  %s%n",
                        p.path().name().toLowerCase(Locale.ROOT), p.offered(), p.badSent(), p.aggregated(), p.late(),
                        p.lost(),
                        p.duplicated(), p.deadLetters(), p.distinctDeadLetters(), p.failedSends(),
                        p.path().guarantee));
            }
            for (PathResult p : paths) {
                if (!p.mismatches().isEmpty() && p.path() != Ingest.COAP) {
                    s.append(String.format(Locale.ROOT, "%s: windows that differ, losses first: %s%n",
                            p.path().name().toLowerCase(Locale.ROOT), String.join(", ", p.mismatches())));
                }
            }
            s.append(String.format(Locale.ROOT, "%-13s %6s  %-34s %s%n", "fault", "count",
                    "recovery s: median (min–max)", "unrecovered"));
            for (Fault kind : Fault.values()) {
                List<FaultResult> of = faults.stream().filter(f -> f.fault() == kind).toList();
                double[] times = of.stream().filter(FaultResult::recovered).mapToDouble(f -> f.recoveryMs() / 1e3)
                                   .toArray();
                String spread = times.length == 0 ? "-" : spread(times);
                s.append(String.format(Locale.ROOT, "%-13s %6d  %-34s %d%n", kind.label(), of.size(), spread,
                        of.size() - times.length));
            }
            s.append("heap after GC, MB, per member slot: first, last, min–max over samples (restarts start anew)\n");
            for (int member : heap.stream().mapToInt(HeapSample::member).distinct().sorted().toArray()) {
                double[] mb = heap.stream().filter(h -> h.member() == member).mapToDouble(h -> h.bytes() / 1e6)
                                  .toArray();
                s.append(String.format(Locale.ROOT, "  member %d: %d samples, first %.1f, last %.1f, %.1f–%.1f%n",
                        member, mb.length, mb[0], mb[mb.length - 1], Arrays.stream(mb).min().orElseThrow(),
                        Arrays.stream(mb).max().orElseThrow()));
            }
            List<String> violations = violations();
            s.append(violations.isEmpty() ? "invariants: all hold"
                    : "invariants violated:\n  " + String.join("\n  ", violations));
            return s.toString();
        }

        private static String spread(double[] values) {
            Spread spread = Spread.of("s", values);
            return String.format(Locale.ROOT, "%.1f (%.1f–%.1f)", spread.median(), spread.min(), spread.max());
        }
    }

    /** The command line of {@link #main}. */
    @Command(name = "SoakBenchmark", sortOptions = false,
            description = "Two members, the CoAP, Kafka and MQTT jobs, steady sensors with bad payloads, and a fault "
                    + "every so often: what is offered, aggregated, lost and dead-lettered, recovery times, heap.")
    static final class Options {

        @Option(names = "--duration", paramLabel = "D", converter = Bench.DurationConverter.class,
                description = "how long faults go on (default 60m); at least one of each kind is made")
        Duration duration = Duration.ofMinutes(60);

        @Option(names = "--fault-every", paramLabel = "D", converter = Bench.DurationConverter.class,
                description = "time from one fault's start to the next's, or more while one recovers (default 1m)")
        Duration faultEvery = Duration.ofMinutes(1);

        @Option(names = "--sensors", paramLabel = "N", description = "sensors per path (default ${DEFAULT-VALUE})")
        int sensors = 20;

        @Option(names = "--rate", paramLabel = "R",
                description = "readings per second per sensor (default ${DEFAULT-VALUE})")
        double rate = 2;

        @Option(names = "--bad-share", paramLabel = "S",
                description = "share of payloads sent malformed (default ${DEFAULT-VALUE})")
        double badShare = 0.02;

        @Option(names = "--window", paramLabel = "D", converter = Bench.DurationConverter.class,
                description = "the jobs' window size (default 10s)")
        Duration window = Duration.ofSeconds(10);

        @Option(names = "--quiet-close", paramLabel = "D", converter = Bench.DurationConverter.class,
                description = "the CoAP job's quiet.close.after, which closes its last windows once the sensors "
                        + "stop; the Kafka and MQTT jobs run in pure event time (default 30s)")
        Duration quietClose = Duration.ofSeconds(30);

        @Option(names = "--heap-every", paramLabel = "D", converter = Bench.DurationConverter.class,
                description = "how often each member samples its heap after GC (default 1m)")
        Duration heapEvery = Duration.ofMinutes(1);

        @Option(names = "--recovery-timeout", paramLabel = "D", converter = Bench.DurationConverter.class,
                description = "how long a fault may take to recover before it counts as unrecovered (default 3m)")
        Duration recoveryTimeout = Duration.ofMinutes(3);

        @Option(names = "--member-heap", paramLabel = "SIZE",
                description = "each member JVM's -Xmx (default ${DEFAULT-VALUE})")
        String memberHeap = "512m";

        @Option(names = "--results", paramLabel = "DIR",
                description = "where summary.txt and the CSV files go (default bench/results/<date>/soak-<time>)")
        Path results;

        @Mixin
        Bench.Help help;

        /** What picocli cannot check alone; the sensors' and the jobs' settings check the rest when built. */
        void check() {
            for (Map.Entry<String, Duration> d : Map.of("--duration", duration, "--fault-every", faultEvery,
                    "--window", window, "--quiet-close", quietClose, "--heap-every", heapEvery,
                    "--recovery-timeout", recoveryTimeout).entrySet()) {
                if (d.getValue().isZero() || d.getValue().isNegative()) {
                    throw new IllegalArgumentException(d.getKey() + " must be positive, was " + format(d.getValue()));
                }
            }
        }

        Path resultsDir() {
            return results != null ? results : Path.of("bench", "results", LocalDate.now().toString(),
                    "soak-" + LocalTime.now().format(DateTimeFormatter.ofPattern("HHmmss")));
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Bench.options(new Options(), args);
        try {
            options.check();
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage() + " (--help lists the options)");
            System.exit(2);
        }
        Result result = run(options);
        System.out.println(result);
        System.exit(result.violations().isEmpty() ? 0 : 1);
    }

    /** One soak as {@code options} say; writes its files into {@link Options#resultsDir()}. */
    static Result run(Options options) throws Exception {
        options.check();
        Path dir = options.resultsDir();
        Files.createDirectories(dir);
        try (Soak soak = new Soak(options, dir)) {
            Result result = soak.run();
            write(dir, result);
            return result;
        }
    }

    /** The state of one run: its peers, processes, jobs and what they counted. */
    private static final class Soak implements AutoCloseable {

        private final Options options;
        private final Path dir;
        private final String cluster = "soak-" + UUID.randomUUID();
        private final List<HeapSample> heap = new CopyOnWriteArrayList<>();
        private final List<FaultResult> faults = new ArrayList<>();
        private final AggregationSettings[] settings = new AggregationSettings[Ingest.values().length];
        private final ChildJvm[] members = new ChildJvm[2];
        private final int[] incarnations = new int[2];
        private long start;
        private int memberPort;
        private int coapPort;
        private int coapIncarnation;
        /** What the CoAP sensors offered per sensor window, over every incarnation. */
        private final Map<String, Long> coapOffered = new ConcurrentHashMap<>();
        private long coapBad;
        private long coapNewest = Long.MIN_VALUE;
        private KafkaBroker kafka;
        private MosquittoBroker mosquitto;
        private ChildJvm coapSensors;
        private HazelcastInstance client;
        private final List<Job> jobs = new ArrayList<>();
        private KafkaSensorProducer kafkaSensors;
        private MqttSensorPublisher mqttSensors;
        private PublishedCount kafkaOffered;
        private PublishedCount mqttOffered;
        /** Counts what the in-process simulators confirm, every second, whatever the run is waiting for. */
        private final ScheduledExecutorService counter = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "soak-offered-count");
            t.setDaemon(true);
            return t;
        });
        private volatile RuntimeException countFailure;
        private final SimulationSettings simulation;

        Soak(Options options, Path dir) {
            this.options = options;
            this.dir = dir;
            simulation = SimulationSettings.builder()
                    .set(SimulationSettings.SENSORS, options.sensors)
                    .set(SimulationSettings.PLACES, places())
                    .set(SimulationSettings.READINGS_PER_SECOND, options.rate)
                    .set(SimulationSettings.BAD_PAYLOAD_SHARE, options.badShare)
                    .build();
            for (Ingest ingest : Ingest.values()) {
                settings[ingest.ordinal()] = AggregationSettings.builder()
                        .set(AggregationSettings.WINDOW_SIZE, options.window)
                        .set(AggregationSettings.EARLY_RESULTS_PERIOD, Duration.ofSeconds(1))
                        .set(AggregationSettings.QUIET_CLOSE_AFTER, ingest == Ingest.COAP ? options.quietClose : null)
                        .set(AggregationSettings.SENSOR_STATS_MAP, ingest.prefix() + "sensor_stats")
                        .set(AggregationSettings.PLACE_STATS_MAP, ingest.prefix() + "place_stats")
                        .set(AggregationSettings.READINGS_RINGBUFFER, ingest.prefix() + "readings")
                        .set(AggregationSettings.ALERTS_TOPIC, ingest.prefix() + "alerts")
                        .set(AggregationSettings.DEAD_LETTERS_MAP, ingest.prefix() + "dead_letters")
                        .set(AggregationSettings.LATE_READINGS_MAP, ingest.prefix() + "late_readings")
                        .set(AggregationSettings.SENSOR_STATUS_MAP, ingest.prefix() + "sensor_status")
                        .build();
            }
        }

        Result run() throws Exception {
            start = System.currentTimeMillis();
            // The members' JVMs start while the peers do: on two cores that is most of the set-up.
            memberPort = MosquittoBroker.freeTcpPort();
            for (int slot = 0; slot < members.length; slot++) {
                launchMember(slot);
            }
            startPeers();
            log("Kafka broker, Mosquitto and the CoAP sensors started (results in %s)", dir);
            connect();
            submitJobs();
            log("two members up, jobs submitted");
            startSensors();
            awaitFlowing();
            log("all three paths flowing; faults every %s for %s", format(options.faultEvery),
                    format(options.duration));
            long faultsStart = System.currentTimeMillis();
            Fault[] turns = Fault.values();
            for (int k = 0; ; k++) {
                long due = faultsStart + (k + 1) * options.faultEvery.toMillis();
                if (due - faultsStart > options.duration.toMillis() && k >= turns.length) {
                    break;
                }
                waitUntil(due);
                inject(turns[k % turns.length], k / turns.length);
            }
            stopSensors();
            awaitWindowsClosed();
            List<PathResult> paths = new ArrayList<>();
            for (Ingest ingest : Ingest.values()) {
                paths.add(count(ingest));
            }
            return new Result(paths, List.copyOf(faults), List.copyOf(heap),
                    Duration.ofMillis(System.currentTimeMillis() - start));
        }

        private void startPeers() throws IOException, InterruptedException {
            kafka = KafkaBroker.start();
            kafka.createTopic(KAFKA_TOPIC, KAFKA_PARTITIONS);
            // No limit on unacknowledged QoS 1 messages: the source acknowledges only after each snapshot.
            mosquitto = MosquittoBroker.start(MosquittoBroker.options().withPersistence().withMaxInflightMessages(0)
                                                             .withQuietLog());
            coapPort = freeUdpPort();
            startCoapSensors();
        }

        /** Starts the CoAP sensors' JVM, paused. */
        private void startCoapSensors() throws InterruptedException {
            coapSensors = ChildJvm.start("coap-sensors", SoakCoapSensors.class, "256m",
                    dir.resolve("coap-sensors.log"), line -> {
                        if (line.startsWith("W ")) {
                            String[] window = line.split(" ");
                            coapOffered.merge(window[1], Long.parseLong(window[2]), Long::sum);
                        }
                    },
                    String.valueOf(coapPort), String.valueOf(options.sensors), String.valueOf(places()),
                    String.valueOf(options.rate), String.valueOf(options.badShare),
                    String.valueOf(42 + coapIncarnation++), String.valueOf(options.window.toMillis()));
            coapSensors.awaitReady(START_TIMEOUT);
        }

        /** Waits for the members launched at the start, and connects to them as a client. */
        private void connect() throws InterruptedException {
            for (ChildJvm member : members) {
                member.awaitReady(START_TIMEOUT);
            }
            ClientConfig config = GridConfigs.loopbackClient(cluster, memberPort);
            config.setProperty("hazelcast.logging.type", "log4j2");
            config.getNetworkConfig().setAddresses(IntStream.range(memberPort,
                    memberPort + GridConfigs.LOOPBACK_MEMBERS).mapToObj(p -> "127.0.0.1:" + p).toList());
            client = HazelcastClient.newHazelcastClient(config);
        }

        private void startMember(int slot) throws InterruptedException {
            launchMember(slot);
            members[slot].awaitReady(START_TIMEOUT);
        }

        private void launchMember(int slot) {
            int member = slot + 1;
            int incarnation = incarnations[slot]++;
            members[slot] = ChildJvm.start("member-" + member, SoakMember.class, options.memberHeap,
                    dir.resolve("member-" + member + ".log"), line -> {
                        if (line.startsWith("HEAP ")) {
                            heap.add(new HeapSample(System.currentTimeMillis() - start, member, incarnation,
                                    Long.parseLong(line.substring(5))));
                        }
                    }, cluster, String.valueOf(memberPort), String.valueOf(options.heapEvery.toMillis()));
        }

        private void submitJobs() {
            AggregationSettings coap = settings[Ingest.COAP.ordinal()];
            List<String> uris = IntStream.rangeClosed(1, options.sensors)
                    .mapToObj(i -> "coap://127.0.0.1:" + coapPort + "/sensors/s-" + i).toList();
            submit(Ingest.COAP, AggregationJob.coapSource(CoapObserveSettings.of(uris.toArray(String[]::new)), coap),
                    JobSettings.builder(AggregationJob.COAP_JOB).set(JobSettings.JOB_NAME, "soak-coap").build()
                               .jobConfig());

            AggregationSettings kafkaSettings = settings[Ingest.KAFKA.ordinal()];
            KafkaJobSettings kafkaJob = KafkaJobSettings.of(kafka.bootstrapServers(), KAFKA_TOPIC).toBuilder()
                    .set(JobSettings.JOB_NAME, "soak-kafka").build();
            submit(Ingest.KAFKA, KafkaAggregationJob.source(kafkaJob, kafkaSettings), kafkaJob.jobConfig());

            AggregationSettings mqtt = settings[Ingest.MQTT.ordinal()];
            MqttSourceSettings source = MqttSourceSettings.builder()
                    .set(MqttSourceSettings.BROKER, "mqtt://" + mosquitto.hostAndPort())
                    .set(MqttSourceSettings.TOPICS, List.of(MQTT_FILTER))
                    // One plain subscription: Mosquitto 2.0 restores a persisted session without its shared
                    // subscriptions, so what is published between its restart and the re-subscribe would be lost
                    // to a shared group (docs/sources.md); a plain one is restored and queues meanwhile.
                    .set(MqttSourceSettings.SHARED_GROUP, null)
                    .set(MqttSourceSettings.SESSIONS, MQTT_SESSIONS)
                    .set(MqttSourceSettings.CLIENT_ID, "soak")
                    .build();
            submit(Ingest.MQTT, AggregationJob.mqttSource(source, mqtt),
                    JobSettings.builder(AggregationJob.MQTT_JOB).set(JobSettings.JOB_NAME, "soak-mqtt").build()
                               .jobConfig());
        }

        private void submit(Ingest ingest, StreamSource<Decoded> source, JobConfig config) {
            jobs.add(client.getJet().newJob(pipeline(source, settings[ingest.ordinal()], closedWindowsMap(ingest)),
                    config));
        }

        /**
         * Starts the sensors once their job listens, since what is sent before would only count as lost: the CoAP
         * sensors once every resource is observed, the MQTT ones once each session of the job subscribed.
         */
        private void startSensors() throws InterruptedException {
            await(() -> {
                coapSensors.send("observers");
                try {
                    return Integer.parseInt(coapSensors.await("OBSERVERS", Duration.ofSeconds(10)).split(" ")[1])
                            >= options.sensors;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }, START_TIMEOUT, "observe relation on every CoAP sensor");
            coapSensors.send("resume");
            mosquitto.awaitLog(" " + MQTT_FILTER, MQTT_SESSIONS, START_TIMEOUT);
            kafkaSensors = KafkaSensorProducer.start(KafkaSimulationSettings.of(kafka.bootstrapServers(), KAFKA_TOPIC)
                    .toBuilder().set(KafkaSimulationSettings.SIMULATION, simulation).build());
            kafkaOffered = new PublishedCount(kafkaSensors::published, options.window.toMillis());
            mqttSensors = MqttSensorPublisher.start(MqttSimulationSettings.builder()
                    .set(MqttSimulationSettings.BROKER, "mqtt://" + mosquitto.hostAndPort())
                    .set(MqttSimulationSettings.SIMULATION, simulation).build());
            mqttOffered = new PublishedCount(mqttSensors::published, options.window.toMillis());
            counter.scheduleWithFixedDelay(() -> {
                try {
                    updateOffered();
                } catch (RuntimeException e) {
                    countFailure = e;
                    throw e;
                }
            }, 1, 1, TimeUnit.SECONDS);
        }

        private void awaitFlowing() throws InterruptedException {
            long since = System.currentTimeMillis();
            await(() -> Arrays.stream(Ingest.values()).allMatch(i -> newestReading(i) >= since), START_TIMEOUT,
                    "readings of every path in the grid");
        }

        private void inject(Fault fault, int round) throws Exception {
            long faultStart = System.currentTimeMillis();
            String target;
            switch (fault) {
                case MEMBER -> {
                    int slot = round % members.length;
                    target = "member " + (slot + 1) + " (pid " + members[slot].pid() + ")";
                    members[slot].kill();
                    startMember(slot);
                }
                case KAFKA_BROKER -> {
                    target = "Kafka broker (pid " + kafka.pid() + ")";
                    kafka.restart();
                }
                case MQTT_BROKER -> {
                    target = "Mosquitto (pid " + mosquitto.pid() + ")";
                    mosquitto.stop();
                    mosquitto.restart();
                }
                case COAP_SERVER -> {
                    target = "CoAP server (pid " + coapSensors.pid() + ")";
                    pauseCoapSensors();
                    coapSensors.kill();
                    startCoapSensors();
                    coapSensors.send("resume");
                }
                default -> throw new IllegalStateException("unknown fault " + fault);
            }
            long back = System.currentTimeMillis();
            long recovered = -1;
            try {
                await(() -> fault.affects.stream().allMatch(i -> newestReading(i) >= back), options.recoveryTimeout,
                        "recovery");
                recovered = System.currentTimeMillis() - faultStart;
            } catch (IllegalStateException e) {
                // Counted as unrecovered; the run goes on, so that the report says what else happened.
            }
            FaultResult result = new FaultResult(fault, target, faultStart - start, recovered);
            faults.add(result);
            log("%s: %s at %.0f s, %s", fault.label(), target, result.atMillis() / 1e3,
                    result.recovered() ? String.format(Locale.ROOT, "recovered in %.1f s", recovered / 1e3)
                            : "NOT recovered within " + format(options.recoveryTimeout));
        }

        /** Stops the CoAP sensors publishing and adds what this incarnation offered to the totals. */
        private void pauseCoapSensors() throws InterruptedException {
            coapSensors.send("pause");
            // The W lines come before PAUSED, and the reader thread merges each before it hands on the next.
            String[] paused = coapSensors.await("PAUSED", Duration.ofSeconds(30)).split(" ");
            coapBad += Long.parseLong(paused[2]);
            coapNewest = Math.max(coapNewest, Long.parseLong(paused[3]));
        }

        private void stopSensors() throws InterruptedException {
            pauseCoapSensors();
            kafkaSensors.close();
            mqttSensors.close();
            counter.shutdown();
            if (!counter.awaitTermination(1, TimeUnit.MINUTES) || countFailure != null) {
                throw new IllegalStateException("the offered readings were not all counted", countFailure);
            }
            updateOffered();
            closeKafkaWindows();
            closeMqttWindows();
            log("sensors stopped; waiting for the last windows to close");
        }

        /**
         * Writes one {@link #END_SENSOR} reading to each partition of the Kafka topic, late enough in event time that
         * the watermark of every partition passes the end of the window of the newest reading offered.
         */
        private void closeKafkaWindows() {
            long end = endOfLastWindow(kafkaOffered.newest(), Ingest.KAFKA);
            Properties p = new Properties();
            p.setProperty("bootstrap.servers", kafka.bootstrapServers());
            p.setProperty("key.serializer", ByteArraySerializer.class.getName());
            p.setProperty("value.serializer", ByteArraySerializer.class.getName());
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
                for (int partition = 0; partition < KAFKA_PARTITIONS; partition++) {
                    producer.send(new ProducerRecord<>(KAFKA_TOPIC, partition, end,
                            END_SENSOR.getBytes(StandardCharsets.UTF_8),
                            BenchReadings.json(END_SENSOR, END_SENSOR, end, 20, 50, 1000, 100))).get(1, TimeUnit.MINUTES);
                }
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("cannot write the readings that close the Kafka windows", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted writing the readings that close the Kafka windows", e);
            }
        }

        /**
         * Publishes {@link #END_SENSOR} readings, late enough in event time to close the window of the newest reading
         * offered: two per session, as the broker hands a shared subscription's messages to its sessions in turn, so
         * that every session's watermark passes it.
         */
        private void closeMqttWindows() {
            long end = endOfLastWindow(mqttOffered.newest(), Ingest.MQTT);
            Mqtt5BlockingClient publisher = MqttClient.builder().useMqttVersion5()
                    .identifier("soak-end-" + UUID.randomUUID())
                    .serverHost("127.0.0.1").serverPort(mosquitto.port()).buildBlocking();
            publisher.connect();
            try {
                for (int i = 0; i < 2 * MQTT_SESSIONS; i++) {
                    publisher.publishWith().topic("plant/" + END_SENSOR + "/sensors/" + END_SENSOR)
                             .qos(MqttQos.AT_LEAST_ONCE)
                             .payload(BenchReadings.json(END_SENSOR, END_SENSOR, end + i, 20, 50, 1000, 100)).send();
                }
            } finally {
                publisher.disconnect();
            }
        }

        /**
         * An event time past the end of the window of {@code newest} by more than the path's allowed lateness, so
         * that a watermark at it closes that window.
         */
        private long endOfLastWindow(long newest, Ingest ingest) {
            long window = options.window.toMillis();
            return newest - Math.floorMod(newest, window) + window
                    + settings[ingest.ordinal()].allowedLateness().toMillis() + 1;
        }

        /** Waits until each path's closed windows include the window of its newest offered reading, and settle. */
        private void awaitWindowsClosed() throws InterruptedException {
            Duration atMost = options.quietClose.plus(options.window).multipliedBy(2).plus(Duration.ofMinutes(1));
            for (Ingest ingest : Ingest.values()) {
                long newest = switch (ingest) {
                    case COAP -> coapNewest;
                    case KAFKA -> kafkaOffered.newest();
                    case MQTT -> mqttOffered.newest();
                };
                long lastWindow = newest - Math.floorMod(newest, options.window.toMillis());
                var closed = client.<String, Long>getMap(closedWindowsMap(ingest));
                try {
                    await(() -> closed.keySet().stream().anyMatch(k -> windowStart(k) >= lastWindow), atMost,
                            "the last window of " + ingest);
                } catch (IllegalStateException e) {
                    // CoAP may have lost every reading of its last window; the sum below says what it has.
                    log("%s: no closed window at or after its newest reading's within %s", ingest, format(atMost));
                }
                // Settled: the same sum for 3 s (the map sink writes in batches).
                long[] last = {-1, System.nanoTime()};
                await(() -> {
                    long sum = closedSum(ingest);
                    if (sum != last[0]) {
                        last[0] = sum;
                        last[1] = System.nanoTime();
                    }
                    return System.nanoTime() - last[1] > TimeUnit.SECONDS.toNanos(3);
                }, atMost, "the closed windows of " + ingest + " to settle");
            }
        }

        private PathResult count(Ingest ingest) {
            var letters = client.<Object, DeadLetter>getMap(settings[ingest.ordinal()].deadLettersMap()).values();
            Set<String> distinct = new HashSet<>();
            for (DeadLetter letter : letters) {
                distinct.add(letter.source() + '\n' + new String(letter.payload(), StandardCharsets.UTF_8));
            }
            Map<String, Long> aggregated = new HashMap<>(client.<String, Long>getMap(closedWindowsMap(ingest)));
            aggregated.keySet().removeIf(window -> window.endsWith('/' + END_SENSOR));
            Map<String, Long> late = new HashMap<>();
            for (LateReading reading : client.<String, LateReading>getMap(
                    settings[ingest.ordinal()].lateReadingsMap()).values()) {
                if (!reading.sensorId().equals(END_SENSOR)) {
                    late.merge(PublishedCount.windowKey(reading.windowStart(), reading.sensorId()), 1L, Long::sum);
                }
            }
            return switch (ingest) {
                case COAP -> PathResult.of(ingest, coapOffered, coapBad, 0, aggregated, late, letters.size(),
                        distinct.size());
                case KAFKA -> PathResult.of(ingest, kafkaOffered.byWindow(), kafkaSensors.badPayloads(),
                        kafkaSensors.failed(), aggregated, late, letters.size(), distinct.size());
                case MQTT -> PathResult.of(ingest, mqttOffered.byWindow(), mqttSensors.badPayloads(),
                        mqttSensors.failed(), aggregated, late, letters.size(), distinct.size());
            };
        }

        private long closedSum(Ingest ingest) {
            Long sum = client.<String, Long>getMap(closedWindowsMap(ingest)).aggregate(Aggregators.longSum());
            return sum == null ? 0 : sum;
        }

        /** Counts what the in-process simulators confirmed; often enough that their history never overflows. */
        private synchronized void updateOffered() {
            kafkaOffered.update();
            mqttOffered.update();
        }

        /**
         * The event time of the newest reading in the path's readings Ringbuffer, or {@link Long#MIN_VALUE} when
         * there is none or the cluster does not answer (it may be failing over).
         */
        private long newestReading(Ingest ingest) {
            try {
                Ringbuffer<SensorReading> readings = client.getRingbuffer(
                        settings[ingest.ordinal()].readingsRingbuffer());
                long tail = readings.tailSequence();
                return tail < 0 ? Long.MIN_VALUE : readings.readOne(tail).timestamp();
            } catch (RuntimeException e) {
                return Long.MIN_VALUE;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Long.MIN_VALUE;
            }
        }

        private void await(BooleanSupplier condition, Duration atMost, String what) throws InterruptedException {
            long deadline = System.nanoTime() + atMost.toNanos();
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no " + what + " within " + format(atMost));
                }
                TimeUnit.MILLISECONDS.sleep(250);
            }
        }

        /** Waits for the clock. */
        private void waitUntil(long due) throws InterruptedException {
            long wait = due - System.currentTimeMillis();
            if (wait > 0) {
                TimeUnit.MILLISECONDS.sleep(wait);
            }
        }

        private int places() {
            return Math.max(1, options.sensors / 4);
        }

        private void log(String format, Object... args) {
            System.out.printf(Locale.ROOT, "%6.0f s  %s%n", (System.currentTimeMillis() - start) / 1e3,
                    String.format(Locale.ROOT, format, args));
            System.out.flush();
        }

        @Override
        public void close() throws Exception {
            List<Exception> failures = new ArrayList<>();
            for (AutoCloseable c : closeOrder()) {
                try {
                    if (c != null) {
                        c.close();
                    }
                } catch (Exception e) {
                    failures.add(e);
                }
            }
            if (!failures.isEmpty()) {
                Exception first = failures.get(0);
                failures.subList(1, failures.size()).forEach(first::addSuppressed);
                throw first;
            }
        }

        private List<AutoCloseable> closeOrder() {
            List<AutoCloseable> order = new ArrayList<>();
            order.add(counter::shutdownNow);
            order.add(kafkaSensors);
            order.add(mqttSensors);
            for (Job job : jobs) {
                order.add(() -> Bench.cancel(job));
            }
            order.add(client == null ? null : client::shutdown);
            order.addAll(Arrays.asList(members));
            order.add(coapSensors);
            order.add(mosquitto);
            order.add(kafka);
            return order;
        }
    }

    /**
     * The job of one path: {@link AggregationJob#aggregate} from {@code source}, as each flavour's job wires it,
     * plus the final result of every sensor window into {@code closedMap}, keyed {@code <window start>/<sensor>} with
     * the window's count, so that a window written again after a restore replaces itself.
     */
    static Pipeline pipeline(StreamSource<Decoded> source, AggregationSettings settings, String closedMap) {
        Pipeline p = Pipeline.create();
        AggregationJob.Aggregates aggregates = AggregationJob.aggregate(
                p.readFrom(source).withTimestamps(AggregationJob::eventTime, settings.allowedLateness().toMillis()),
                settings);
        aggregates.bySensor().filter(w -> !w.early()).setName("closedWindows(" + closedMap + ')')
                  .writeTo(Sinks.map(closedMap, w -> PublishedCount.windowKey(w.windowStart(), w.id()),
                          WindowStats::count));
        return p;
    }

    static String closedWindowsMap(Ingest ingest) {
        return ingest.prefix() + "closed_windows";
    }

    private static long windowStart(String closedKey) {
        return Long.parseLong(closedKey.substring(0, closedKey.indexOf('/')));
    }

    private static void write(Path dir, Result result) throws IOException {
        Files.writeString(dir.resolve("summary.txt"), result + "\n");
        Files.write(dir.resolve("paths.csv"), lines("path,offered,bad_sent,failed_sends,aggregated,late,lost,"
                + "duplicated,dead_letters,distinct_dead_letters", result.paths().stream().map(p -> String.join(",",
                p.path().name().toLowerCase(Locale.ROOT), String.valueOf(p.offered()), String.valueOf(p.badSent()),
                String.valueOf(p.failedSends()), String.valueOf(p.aggregated()), String.valueOf(p.late()),
                String.valueOf(p.lost()),
                String.valueOf(p.duplicated()), String.valueOf(p.deadLetters()),
                String.valueOf(p.distinctDeadLetters())))));
        Files.write(dir.resolve("faults.csv"), lines("at_s,fault,target,recovery_ms", result.faults().stream()
                .map(f -> String.format(Locale.ROOT, "%.1f,%s,%s,%d", f.atMillis() / 1e3, f.fault().label(),
                        f.target(), f.recoveryMs()))));
        Files.write(dir.resolve("heap.csv"), lines("at_s,member,incarnation,heap_after_gc_bytes", result.heap()
                .stream().map(h -> String.format(Locale.ROOT, "%.1f,%d,%d,%d", h.atMillis() / 1e3, h.member(),
                        h.incarnation(), h.bytes()))));
    }

    private static List<String> lines(String header, java.util.stream.Stream<String> rows) {
        List<String> lines = new ArrayList<>();
        lines.add(header);
        rows.forEach(lines::add);
        return lines;
    }

    private static String format(Duration d) {
        return io.iotgrid.core.Durations.format(d);
    }

    private static int freeUdpPort() {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free UDP port", e);
        }
    }
}
