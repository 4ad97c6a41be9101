package io.iotgrid.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.config.ProcessingGuarantee;
import com.hazelcast.jet.core.metrics.Measurement;
import com.hazelcast.jet.pipeline.Pipeline;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.Measure;
import io.iotgrid.core.MeasureStats;
import io.iotgrid.core.WindowStats;
import io.iotgrid.jobs.AggregationJob;
import io.iotgrid.jobs.AggregationSettings;
import io.iotgrid.jobs.JobSettings;
import io.iotgrid.jobs.KafkaAggregationJob;
import io.iotgrid.jobs.KafkaJobSettings;
import io.iotgrid.kafka.broker.KafkaBroker;
import io.iotgrid.kafka.broker.KafkaBrokerSettings;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * Kafka → per-sensor 1-minute aggregates, iot-grid's Kafka job against a Kafka Streams application doing the same
 * work on the same topic, and Kafka's own consumer reading that topic: input readings per second from the start of
 * each until every final window of the data set is readable in its results topic (the consumer: until it has read
 * every record), CPU µs per reading of each JVM involved, and the ratios within each pair of runs.
 * <p>
 * How to run (from the repository root):
 * <pre>
 * mvn -q -B -DskipTests -pl bench -am package
 * java -cp "bench/target/iot-grid-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath)" \
 *      io.iotgrid.bench.KafkaStreamsBenchmark --readings 5000000 --runs 5
 * </pre>
 * Options (defaults): {@code --readings 5000000}, {@code --sensors 10000}, {@code --places 100}, {@code --runs 5}
 * rounds, {@code --guarantee at_least_once} (or {@code exactly_once}), {@code --xmx 2g} for each run's JVM,
 * {@code --timeout 10m} per run, {@code --member-port 0} (a free port), {@code --jfr FILE} to record the first
 * iot-grid run with JFR's profile settings. Output, one line per run and then the spreads; these lines are from a
 * tiny run ({@code --readings 200000}) on a 2-core machine loaded by other work (load average 40 to 60), so the
 * figures themselves mean little:
 * <pre>
 * filled 200000 readings (+4 sentinels) in 18.1 s (11053 readings/s), load average 41.19
 * round 1 iot-grid:       readings=200000 seconds=60.78 readings/s=3291 cpu-us/reading own=77.45 broker=11.85
 *   first-window-s=47.00 windows=10000 checks=OK repeated=0 late=0 load=53.74
 * Kafka Streams peer: 4.1.1 (this JVM's kafka-clients 3.6.1)
 * round 1 Kafka Streams:  readings=200000 seconds=230.14 readings/s=869 cpu-us/reading own=126.35 broker=37.70 ...
 * round 1 Kafka consumer: readings=200004 seconds=10.61 readings/s=18858 cpu-us/reading own=4.25 broker=1.00 ...
 * ...
 * iot-grid readings/s: 3,291 (2,449–6,259) over 5 runs
 * ...
 * ratio iot-grid/Kafka Streams readings/s: 2.39 (1.58–6.46) over 5 runs
 * ratio iot-grid/Kafka Streams cpu-us/reading own JVM: 0.613 (0.549–0.692) over 5 runs
 * ratio Kafka consumer/Kafka Streams readings/s: 27 (13–71) over 5 runs
 * </pre>
 * <b>What runs.</b> The benchmark starts a {@link KafkaBroker} (its own JVM, temporary data directory) and fills a
 * 4-partition topic once with {@link BenchReadings} (key the sensor id, each record on the reading's partition,
 * record timestamp the reading's event time), then one sentinel per partition stamped 10 minutes after the last
 * window, which closes every window in both systems; the sentinels' windows are not checked. Each round runs the
 * three in turn, each in a fresh JVM (same {@code -Xmx}, default GC), so none inherits another's JIT or heap:
 * <ul>
 * <li>iot-grid: one member, {@link KafkaAggregationJob} as shipped, early results off, pure event time, final
 *     sensor windows to a results topic ({@code results.sensor.topic}); this module's classpath (kafka-clients
 *     3.6.1, which Hazelcast's Kafka connector is built with).</li>
 * <li>Kafka Streams: {@link KafkaStreamsPeer} running {@link KafkaStreamsAggregation} with Kafka Streams and
 *     kafka-clients of the broker's version (4.1.1), on a classpath of their own ({@link KafkaStreamsPeer#classpath});
 *     as many stream threads as the member has cooperative threads (one per core), commits every second under at
 *     least once and every 100 ms (Kafka's default) under exactly once, 8 MiB partition fetches, 2 000 records a
 *     poll and a 64 MiB record cache.</li>
 * <li>Kafka consumer: Kafka's own ceiling on the same topic, {@link KafkaStreamsPeer}'s {@code consume} mode: a plain
 *     4.1.1 consumer reading every record of the topic as byte arrays.</li>
 * </ul>
 * The clock starts when the JVM, already set up (member started, streams built, consumer assigned), is told to
 * start (job submitted, {@code KafkaStreams.start()}, first poll) and stops when this JVM's consumer
 * ({@code read_committed}) has seen every (sensor, window) of the data set in the run's results topic, never
 * earlier, or when the consumer run has read every record. Under {@code exactly_once} results become readable only
 * when their transaction commits: at iot-grid's snapshots (its default interval) and at Kafka Streams' commits;
 * the times include that wait. CPU is each process's user and system time between start and stop, read from the OS
 * ({@link ChildJvm#cpuNanos(long)}): the run's own JVM, and the broker's (serving the reads, the results and, under
 * exactly once, the transactions). Both systems are checked against checksums computed from
 * {@link BenchReadings} alone and against each other ({@link WindowChecksums}); any difference fails the run with
 * both values.
 */
public final class KafkaStreamsBenchmark {

    static final int PARTITIONS = 4;
    private static final String INPUT_TOPIC = "bench-readings";
    private static final String CHILD = "--child";
    /** The counter of the job's sensor stage: readings found late, which no window counts. */
    private static final String LATE_READINGS = AggregationJob.LATE_READINGS;
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * A run that emitted windows and then none for this long will not complete (e.g. a window whose readings were
     * all dropped as late): it ends early and fails its checks instead of waiting for the timeout. Far above the
     * gaps of a healthy run: a window's worth of input (a minute of event time on every partition) took Kafka
     * Streams about 70 s on a loaded 2-core machine.
     */
    private static final long STALL_NANOS = TimeUnit.MINUTES.toNanos(5);
    /** How long a run's JVM may take to set up (start a member, build the topology) before the clock starts. */
    private static final Duration SET_UP = Duration.ofMinutes(3);

    private KafkaStreamsBenchmark() {
    }

    /** What is measured: the two systems and Kafka's own consumer on the same topic. */
    public enum Engine {
        IOT_GRID("iot-grid"), KAFKA_STREAMS("Kafka Streams"), KAFKA_CONSUMER("Kafka consumer");

        private final String label;

        Engine(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /**
     * The delivery guarantee of both systems: Jet's processing guarantee, Kafka Streams' one, and Kafka Streams'
     * commit interval under it (issue 18's tuning, 1 s, under at least once; Kafka's own default for exactly once,
     * 100 ms, under exactly once, where a commit is what makes results readable).
     */
    public enum Guarantee {
        AT_LEAST_ONCE(ProcessingGuarantee.AT_LEAST_ONCE, StreamsConfig.AT_LEAST_ONCE, 1_000),
        EXACTLY_ONCE(ProcessingGuarantee.EXACTLY_ONCE, StreamsConfig.EXACTLY_ONCE_V2, 100);

        private final ProcessingGuarantee jet;
        private final String streams;
        private final long streamsCommitMillis;

        Guarantee(ProcessingGuarantee jet, String streams, long streamsCommitMillis) {
            this.jet = jet;
            this.streams = streams;
            this.streamsCommitMillis = streamsCommitMillis;
        }
    }

    /**
     * What to run.
     *
     * @param readings      readings in the topic, sentinels aside; default 5 000 000
     * @param sensors       sensors, a multiple of 4 (the partitions); default 10 000
     * @param places        places; default 100
     * @param runs          rounds (iot-grid, Kafka Streams, Kafka consumer); default 5
     * @param guarantee     delivery guarantee of both systems; default at least once
     * @param maxHeap       {@code -Xmx} of every run's JVM; default {@code 2g}
     * @param jfr           file for a JFR recording (profile settings, 60 s) of the first iot-grid run; null for none
     * @param memberPort    port of the member; default 0, a free one
     * @param timeout       how long a run may take to produce every final window; default 10 minutes
     * @param snapshotInterval iot-grid's snapshot interval, which under exactly once is how often its results
     *                      commit; null for the Kafka job's default ({@code job.snapshot.interval})
     * @param classpath     classpath of the iot-grid runs' JVMs; default this JVM's
     * @param peerClasspath classpath of the Kafka Streams and Kafka consumer runs' JVMs; default
     *                      {@link KafkaStreamsPeer#classpath()}
     */
    public record Options(long readings, int sensors, int places, int runs, Guarantee guarantee, String maxHeap,
                          Path jfr, int memberPort, Duration timeout, Duration snapshotInterval, String classpath,
                          String peerClasspath) {

        public Options {
            if (runs < 1) {
                throw new IllegalArgumentException("--runs must be at least 1, was " + runs);
            }
            if (maxHeap == null || !maxHeap.matches("\\d+[kKmMgG]?")) {
                throw new IllegalArgumentException("--xmx must be a JVM size such as 2g, was '" + maxHeap + "'");
            }
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("--timeout must be positive, was " + timeout);
            }
            if (snapshotInterval != null && snapshotInterval.toMillis() < 1) {
                throw new IllegalArgumentException("--snapshot-interval must be at least 1ms, was " + snapshotInterval);
            }
            if (memberPort < 0 || memberPort > 65_535 - GridConfigs.LOOPBACK_MEMBERS) {
                throw new IllegalArgumentException("--member-port must be 0 (a free one) or a port, was " + memberPort);
            }
            if (guarantee == null || classpath == null || classpath.isBlank() || peerClasspath == null
                    || peerClasspath.isBlank()) {
                throw new IllegalArgumentException("guarantee, classpath and peerClasspath must be given");
            }
            // Fails here, before a broker starts, on a bad sensors/partitions pair or too few readings.
            new KafkaDataset(new BenchReadings(sensors, places, PARTITIONS, 0), readings, Bench.WINDOW.toMillis());
        }

        /** The defaults listed on the components. */
        public static Options defaults() {
            return new Options(5_000_000, 10_000, 100, 5, Guarantee.AT_LEAST_ONCE, "2g", null, 0,
                    Duration.ofMinutes(10), null, System.getProperty("java.class.path"), KafkaStreamsPeer.classpath());
        }
    }

    /**
     * One run of one engine.
     *
     * @param round             which round of runs, from 1
     * @param readings          records the run had to take in: the readings, and for the consumer the sentinels too
     * @param seconds           from the start to the last final window seen (the consumer: to its last record)
     * @param firstWindowSeconds from the start to the first final window seen: mostly start-up, before the first
     *                           window of the data set can close; NaN for the consumer
     * @param windows           distinct final sensor windows seen; 0 for the consumer
     * @param repeated          final windows seen again (none without failures)
     * @param lateEventsDropped readings the system left out of the sensor windows as late (the job's
     *                          {@code lateReadings} of its sensor stage, Kafka Streams'
     *                          {@code dropped-records-total}); 0 in a correct run
     * @param ownCpuNanos       CPU time of the run's own JVM (member, peer or consumer) from start to stop
     * @param brokerCpuNanos    CPU time of the broker's JVM from start to stop
     * @param loadAverage       the system load average when the run ended
     * @param checked           whether its windows equal the expected ones (the consumer: whether it read every record)
     */
    public record RunResult(Engine engine, int round, long readings, double seconds, double firstWindowSeconds,
                            long windows, long repeated, long lateEventsDropped, long ownCpuNanos,
                            long brokerCpuNanos, double loadAverage, boolean checked) {

        public double readingsPerSecond() {
            return readings / seconds;
        }

        /** CPU µs per reading of the run's own JVM. */
        public double ownCpuMicrosPerReading() {
            return ownCpuNanos / 1e3 / readings;
        }

        /** CPU µs per reading of the broker's JVM. */
        public double brokerCpuMicrosPerReading() {
            return brokerCpuNanos / 1e3 / readings;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "round %d %-15s readings=%d seconds=%.2f readings/s=%.0f "
                            + "cpu-us/reading own=%.2f broker=%.2f first-window-s=%.2f windows=%d checks=%s "
                            + "repeated=%d late=%d load=%.2f", round, engine + ":", readings, seconds,
                    readingsPerSecond(), ownCpuMicrosPerReading(), brokerCpuMicrosPerReading(), firstWindowSeconds,
                    windows, checked ? "OK" : "FAILED", repeated, lateEventsDropped, loadAverage);
        }
    }

    /** Every run, all checked: each system's windows equal the expected ones and each other's. */
    public record Result(long readings, double fillSeconds, String peerKafkaVersion, List<RunResult> runs) {

        /** {@code figure} of {@code engine} over its runs, named {@code name}. */
        public Spread spread(Engine engine, String name, ToDoubleFunction<RunResult> figure) {
            return Spread.of(engine + " " + name, of(engine).stream().mapToDouble(figure).toArray());
        }

        /** {@code figure} of {@code a} over that of {@code b}, round by round. */
        public Spread ratio(Engine a, Engine b, String name, ToDoubleFunction<RunResult> figure) {
            List<RunResult> as = of(a);
            List<RunResult> bs = of(b);
            double[] ratios = new double[as.size()];
            for (int i = 0; i < ratios.length; i++) {
                ratios[i] = figure.applyAsDouble(as.get(i)) / figure.applyAsDouble(bs.get(i));
            }
            return Spread.of("ratio " + a + "/" + b + " " + name, ratios);
        }

        /** iot-grid's readings per second over Kafka Streams', round by round. */
        public Spread ratio() {
            return ratio(Engine.IOT_GRID, Engine.KAFKA_STREAMS, "readings/s", RunResult::readingsPerSecond);
        }

        /** The spreads printed after the runs: every engine's figures, then the ratios to Kafka Streams. */
        public List<Spread> summary() {
            List<Spread> lines = new ArrayList<>();
            for (Engine engine : Engine.values()) {
                lines.add(spread(engine, "readings/s", RunResult::readingsPerSecond));
                lines.add(spread(engine, "cpu-us/reading own JVM", RunResult::ownCpuMicrosPerReading));
                lines.add(spread(engine, "cpu-us/reading broker JVM", RunResult::brokerCpuMicrosPerReading));
            }
            lines.add(ratio());
            lines.add(ratio(Engine.IOT_GRID, Engine.KAFKA_STREAMS, "cpu-us/reading own JVM",
                    RunResult::ownCpuMicrosPerReading));
            lines.add(ratio(Engine.KAFKA_CONSUMER, Engine.KAFKA_STREAMS, "readings/s", RunResult::readingsPerSecond));
            return lines;
        }

        private List<RunResult> of(Engine engine) {
            return runs.stream().filter(r -> r.engine() == engine).toList();
        }
    }

    /** The command line of {@link #main}; each option starts at {@link Options#defaults()}. */
    @Command(name = "KafkaStreamsBenchmark", sortOptions = false,
            description = "iot-grid's Kafka job against Kafka Streams and Kafka's own consumer on the same topic.")
    static final class Arguments {

        private static final Options DEFAULTS = Options.defaults();

        @Option(names = "--readings", paramLabel = "N", description = "readings in the topic (default ${DEFAULT-VALUE})")
        long readings = DEFAULTS.readings();

        @Option(names = "--sensors", paramLabel = "N",
                description = "sensors, a multiple of " + PARTITIONS + " (default ${DEFAULT-VALUE})")
        int sensors = DEFAULTS.sensors();

        @Option(names = "--places", paramLabel = "N", description = "places (default ${DEFAULT-VALUE})")
        int places = DEFAULTS.places();

        @Option(names = "--runs", paramLabel = "N",
                description = "rounds of runs, each iot-grid, Kafka Streams, Kafka consumer (default ${DEFAULT-VALUE})")
        int runs = DEFAULTS.runs();

        @Option(names = "--guarantee", paramLabel = "G",
                description = "at_least_once or exactly_once, for both systems (default ${DEFAULT-VALUE})")
        Guarantee guarantee = DEFAULTS.guarantee();

        @Option(names = "--xmx", paramLabel = "SIZE", description = "-Xmx of every run's JVM (default ${DEFAULT-VALUE})")
        String maxHeap = DEFAULTS.maxHeap();

        @Option(names = "--jfr", paramLabel = "FILE",
                description = "record the first iot-grid run with JFR's profile settings into FILE")
        Path jfr = DEFAULTS.jfr();

        @Option(names = "--member-port", paramLabel = "P",
                description = "port of the member, 0 for a free one (default ${DEFAULT-VALUE})")
        int memberPort = DEFAULTS.memberPort();

        @Option(names = "--timeout", paramLabel = "D", converter = Bench.DurationConverter.class,
                description = "how long a run may take to produce every final window (default 10m)")
        Duration timeout = DEFAULTS.timeout();

        @Option(names = "--snapshot-interval", paramLabel = "D", converter = Bench.DurationConverter.class,
                description = "iot-grid's snapshot interval, under exactly once how often its results commit "
                        + "(default: the Kafka job's, job.snapshot.interval)")
        Duration snapshotInterval = DEFAULTS.snapshotInterval();

        @Mixin
        Bench.Help help;

        Options options() {
            return new Options(readings, sensors, places, runs, guarantee, maxHeap, jfr, memberPort, timeout,
                    snapshotInterval, DEFAULTS.classpath(), DEFAULTS.peerClasspath());
        }
    }

    /** What an iot-grid run's JVM is told, by {@link #start}. */
    @Command(name = "KafkaStreamsBenchmark --child")
    static final class Child {

        @Option(names = CHILD, required = true)
        boolean child;

        @Option(names = "--bootstrap", required = true)
        String bootstrap;

        @Option(names = "--output", required = true)
        String output;

        @Option(names = "--guarantee", required = true)
        Guarantee guarantee;

        @Option(names = "--member-port", required = true)
        int memberPort;

        @Option(names = "--snapshot-ms")
        Long snapshotMillis;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals(CHILD)) {
            ChildJvm.runChild(() -> runGridChild(Bench.parse(new Child(), args)));
        }
        run(Bench.options(new Arguments(), args).options());
        System.exit(0);
    }

    /**
     * Starts a broker, fills the topic, runs {@code options.runs()} rounds in fresh JVMs, prints one line per run
     * and the spreads, and returns them all, checked. Runs whose windows differ go on to the end, so every figure is
     * printed, and then fail the call.
     *
     * @throws IllegalStateException when a run fails or times out (at once), or, after every run, when a run's
     *                               windows differ from the expected ones or from the other system's, with both
     *                               values of every difference
     */
    public static Result run(Options options) throws IOException, InterruptedException {
        // Old enough that even the sentinels are in the past (a broker may reject future timestamps), young enough
        // that no retention deletes anything during the run.
        long span = options.readings() / PARTITIONS + Bench.WINDOW.toMillis() * 12;
        long start = Instant.now().minusMillis(span).minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES)
                            .toEpochMilli();
        KafkaDataset dataset = new KafkaDataset(new BenchReadings(options.sensors(), options.places(), PARTITIONS,
                start), options.readings(), Bench.WINDOW.toMillis());
        WindowChecksums expected = dataset.expected();
        Path dir = Files.createTempDirectory("iot-grid-kstreams-bench-");
        try (KafkaBroker broker = KafkaBroker.start(KafkaBrokerSettings.defaults().withMaxHeap("1g"))) {
            broker.createTopic(INPUT_TOPIC, PARTITIONS);
            long t0 = System.nanoTime();
            fill(broker.bootstrapServers(), dataset);
            double fillSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "filled %d readings (+%d sentinels) in %.1f s (%.0f readings/s), "
                            + "load average %.2f%n", options.readings(), PARTITIONS, fillSeconds,
                    options.readings() / fillSeconds, loadAverage());

            List<RunResult> runs = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            String peerVersion = null;
            for (int round = 1; round <= options.runs(); round++) {
                Map<Engine, WindowChecksums> sums = new EnumMap<>(Engine.class);
                for (Engine engine : Engine.values()) {
                    Path runDir = Files.createDirectories(dir.resolve("round-" + round + "-" + engine.name()));
                    Run r = new Run(options, engine, round, broker, dataset, runDir);
                    RunResult result = r.run();
                    if (engine == Engine.KAFKA_STREAMS && peerVersion == null) {
                        peerVersion = r.kafkaVersion;
                        System.out.println("Kafka Streams peer: " + peerVersion + " (this JVM's kafka-clients "
                                + AppInfoParser.getVersion() + ")");
                    }
                    if (engine == Engine.KAFKA_CONSUMER) {
                        if (!result.checked()) {
                            failures.add("round " + round + ", " + engine + ": read " + r.consumed + " records of "
                                    + result.readings());
                        }
                    } else {
                        String context = "round " + round + ", " + engine + " (its final windows: " + result.windows()
                                + " of " + expected.windows() + " within " + options.timeout()
                                + ", late readings dropped: " + result.lateEventsDropped()
                                + ", windows outside the data set: " + r.windows.unexpected() + ")";
                        try {
                            expected.requireEqual("expected from BenchReadings", r.windows.sums(), engine.toString(),
                                    context);
                            if (!r.windows.unexpected().isEmpty()) {
                                throw new IllegalStateException(context + ": windows outside the data set");
                            }
                            sums.put(engine, r.windows.sums());
                        } catch (IllegalStateException e) {
                            result = r.result(false);
                            failures.add(e.getMessage());
                        }
                    }
                    runs.add(result);
                    System.out.println(result);
                }
                // Each side already equals the expected checksums; comparing them directly guards the checker too.
                if (sums.size() == 2) {
                    try {
                        sums.get(Engine.IOT_GRID).requireEqual(Engine.IOT_GRID.toString(),
                                sums.get(Engine.KAFKA_STREAMS), Engine.KAFKA_STREAMS.toString(),
                                "round " + round + ", iot-grid against Kafka Streams");
                    } catch (IllegalStateException e) {
                        failures.add(e.getMessage());
                    }
                }
            }
            Result result = new Result(options.readings(), fillSeconds, peerVersion, runs);
            result.summary().forEach(System.out::println);
            if (!failures.isEmpty()) {
                throw new IllegalStateException(failures.size() + " check(s) failed, the figures above are not "
                        + "valid:\n" + String.join("\n", failures));
            }
            return result;
        } finally {
            deleteTree(dir);
        }
    }

    /** Writes the data set and the sentinels, each reading on its partition, stamped with its event time. */
    private static void fill(String bootstrap, KafkaDataset dataset) {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", bootstrap);
        p.setProperty("key.serializer", ByteArraySerializer.class.getName());
        p.setProperty("value.serializer", ByteArraySerializer.class.getName());
        p.setProperty("batch.size", Integer.toString(1 << 20));
        p.setProperty("linger.ms", "20");
        p.setProperty("buffer.memory", Long.toString(128L << 20));
        // Both systems parse the very bytes written here.
        p.setProperty("compression.type", "none");
        AtomicReference<Exception> failure = new AtomicReference<>();
        BenchReadings readings = dataset.readings();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            long most = dataset.count(0);
            for (long n = 0; n < most; n++) {
                for (int partition = 0; partition < PARTITIONS; partition++) {
                    if (n < dataset.count(partition)) {
                        int sensor = readings.sensorOf(partition, n);
                        producer.send(new ProducerRecord<>(INPUT_TOPIC, partition, readings.timestampOf(n),
                                        BenchReadings.sensorId(sensor).getBytes(StandardCharsets.UTF_8),
                                        readings.json(partition, n)),
                                (metadata, e) -> failure.compareAndSet(null, e));
                    }
                }
            }
            for (int partition = 0; partition < PARTITIONS; partition++) {
                int sensor = readings.sensorOf(partition, dataset.count(partition));
                producer.send(new ProducerRecord<>(INPUT_TOPIC, partition, dataset.sentinelTimestamp(),
                                BenchReadings.sensorId(sensor).getBytes(StandardCharsets.UTF_8),
                                dataset.sentinelJson(partition)),
                        (metadata, e) -> failure.compareAndSet(null, e));
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("filling " + INPUT_TOPIC + " failed", failure.get());
        }
    }

    /**
     * One run of one engine in a fresh JVM: set up, then timed from {@code START} until this JVM's
     * {@code read_committed} consumer has every final window (or the consumer run has read every record).
     */
    private static final class Run {
        private final Options options;
        private final Engine engine;
        private final int round;
        private final KafkaBroker broker;
        private final Path dir;
        private final long records;
        private final String output;
        final WindowChecksums.Collector windows;
        String kafkaVersion;
        long consumed;
        private double seconds;
        private double firstWindowSeconds = Double.NaN;
        private long late;
        private long ownCpu;
        private long brokerCpu;

        Run(Options options, Engine engine, int round, KafkaBroker broker, KafkaDataset dataset, Path dir) {
            this.options = options;
            this.engine = engine;
            this.round = round;
            this.broker = broker;
            this.dir = dir;
            // The consumer reads the sentinels too: it is timed over every record of the topic.
            records = engine == Engine.KAFKA_CONSUMER ? dataset.total() + PARTITIONS : dataset.total();
            output = "results-" + round + '-' + engine.name().toLowerCase(Locale.ROOT);
            // Before the clock starts: how many final windows to wait for.
            windows = new WindowChecksums.Collector(dataset, dataset.expected().windows());
        }

        RunResult run() throws IOException, InterruptedException {
            if (engine != Engine.KAFKA_CONSUMER) {
                broker.createTopic(output, PARTITIONS);
            }
            try (ChildJvm child = start();
                 KafkaConsumer<String, byte[]> consumer = engine == Engine.KAFKA_CONSUMER ? null
                         : resultsConsumer(broker.bootstrapServers(), output)) {
                kafkaVersion = child.awaitReady(SET_UP);
                long ownBefore = child.cpuNanos();
                long brokerBefore = ChildJvm.cpuNanos(broker.pid());
                long t0 = System.nanoTime();
                child.send("START");
                if (consumer == null) {
                    String[] done = child.await("CONSUMED", options.timeout()).split(" ");
                    consumed = Long.parseLong(done[1]);
                } else {
                    awaitWindows(consumer, child, t0);
                }
                seconds = (System.nanoTime() - t0) / 1e9;
                ownCpu = child.cpuNanos() - ownBefore;
                brokerCpu = ChildJvm.cpuNanos(broker.pid()) - brokerBefore;
                child.send("STOP");
                late = Long.parseLong(child.await("DROPPED", Duration.ofMinutes(1)).substring("DROPPED ".length()));
            }
            return result(engine != Engine.KAFKA_CONSUMER || consumed == records);
        }

        RunResult result(boolean checked) {
            return new RunResult(engine, round, records, seconds, firstWindowSeconds, windows.distinct(),
                    windows.repeated(), late, ownCpu, brokerCpu, loadAverage(), checked);
        }

        private ChildJvm start() {
            Path log = dir.resolve("output.log");
            Consumer<String> onLine = line -> { };
            String bootstrap = broker.bootstrapServers();
            if (engine == Engine.IOT_GRID) {
                List<String> jvmArgs = options.jfr() != null && round == 1
                        ? List.of("-XX:StartFlightRecording=duration=60s,filename=" + options.jfr().toAbsolutePath()
                        + ",settings=profile")
                        : List.of();
                int port = options.memberPort() == 0 ? Bench.freePort() : options.memberPort();
                List<String> childArgs = new ArrayList<>(List.of(CHILD, "--bootstrap", bootstrap, "--output", output,
                        "--guarantee", options.guarantee().name(), "--member-port", Integer.toString(port)));
                if (options.snapshotInterval() != null) {
                    childArgs.addAll(List.of("--snapshot-ms", Long.toString(options.snapshotInterval().toMillis())));
                }
                return ChildJvm.start(engine.toString(), List.of(), options.classpath(),
                        KafkaStreamsBenchmark.class.getName(), options.maxHeap(), jvmArgs, log, onLine,
                        childArgs.toArray(String[]::new));
            }
            List<String> args = new ArrayList<>(List.of("--bootstrap", bootstrap, "--input", INPUT_TOPIC));
            if (engine == Engine.KAFKA_STREAMS) {
                args.addAll(List.of("--mode", "streams", "--output", output,
                        "--guarantee", options.guarantee().streams,
                        // As many stream threads as the member has cooperative threads (Jet's default: one per core).
                        "--threads", Integer.toString(GridConfigs.member().getJetConfig().getCooperativeThreadCount()),
                        "--commit-ms", Long.toString(options.guarantee().streamsCommitMillis),
                        "--state-dir", dir.resolve("state").toString(),
                        "--window-ms", Long.toString(Bench.WINDOW.toMillis()),
                        "--grace-ms", Long.toString(Bench.LATENESS.toMillis())));
            } else {
                args.addAll(List.of("--mode", "consume"));
            }
            return ChildJvm.start(engine.toString(), List.of(), options.peerClasspath(),
                    KafkaStreamsPeer.class.getName(), options.maxHeap(), List.of(), log, onLine,
                    args.toArray(String[]::new));
        }

        private void awaitWindows(KafkaConsumer<String, byte[]> consumer, ChildJvm child, long t0)
                throws IOException {
            long timeoutNanos = options.timeout().toNanos();
            long progressAt = t0;
            long seen = 0;
            while (!windows.complete() && System.nanoTime() - t0 < timeoutNanos
                    && (seen == 0 || System.nanoTime() - progressAt < STALL_NANOS)) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                    accept(r);
                }
                if (windows.distinct() > seen) {
                    if (seen == 0) {
                        firstWindowSeconds = (System.nanoTime() - t0) / 1e9;
                    }
                    seen = windows.distinct();
                    progressAt = System.nanoTime();
                }
                String failure = child.failure();
                if (failure != null) {
                    throw new IllegalStateException("round " + round + ", " + engine + " failed: " + failure
                            + "; its log: " + dir.resolve("output.log"));
                }
            }
        }

        /** Adds one record of the results topic: iot-grid's JSON window results, the peer's binary ones. */
        private void accept(ConsumerRecord<String, byte[]> record) throws IOException {
            if (engine == Engine.IOT_GRID) {
                WindowStats w = JSON.readValue(record.value(), WindowStats.class);
                Measure[] measures = Measure.values();
                long[] counts = new long[measures.length];
                double[] min = new double[measures.length];
                double[] max = new double[measures.length];
                double[] avg = new double[measures.length];
                for (int m = 0; m < measures.length; m++) {
                    MeasureStats s = w.stats(measures[m]);
                    counts[m] = s.count();
                    min[m] = s.count() == 0 ? Double.NaN : s.min();
                    max[m] = s.count() == 0 ? Double.NaN : s.max();
                    avg[m] = s.count() == 0 ? Double.NaN : s.avg();
                }
                windows.accept(w.id(), w.windowStart(), w.count(), counts, min, max, avg);
            } else {
                KafkaStreamsAggregation.Result r = KafkaStreamsAggregation.RESULT_SERDE.deserializer()
                        .deserialize(record.topic(), record.value());
                KafkaStreamsAggregation.Stats s = r.stats();
                double[] avg = new double[WindowChecksums.MEASURES];
                for (int m = 0; m < avg.length; m++) {
                    avg[m] = s.avg(m);
                }
                windows.accept(record.key(), r.windowStart(), s.count, s.counts, s.min, s.max, avg);
            }
        }
    }

    /**
     * The iot-grid run's JVM: {@link KafkaAggregationJob} as shipped on one member, set up before {@code READY};
     * submitted on {@code START}; on {@code STOP} it answers {@code DROPPED} with the late readings the per-sensor
     * windows dropped. Its final sensor windows are read back from its results topic, as Kafka Streams' are from
     * theirs: one measuring path for both, both paying for writing their results to Kafka, and the job runs
     * unchanged (the grid maps, the readings Ringbuffer and all).
     */
    private static void runGridChild(Child a) throws IOException {
        Config config = GridConfigs.loopbackMember("bench-" + UUID.randomUUID(), a.memberPort);
        config.getMetricsConfig().setCollectionFrequencySeconds(1);
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
        try {
            KafkaJobSettings.Builder builder = KafkaJobSettings.of(a.bootstrap, INPUT_TOPIC).toBuilder()
                    .set(JobSettings.GUARANTEE, a.guarantee.jet)
                    .set(KafkaJobSettings.SENSOR_RESULTS_TOPIC, a.output);
            if (a.snapshotMillis != null) {
                builder.set(JobSettings.SNAPSHOT_INTERVAL, Duration.ofMillis(a.snapshotMillis));
            }
            KafkaJobSettings kafka = builder.build();
            AggregationSettings settings = Bench.finalWindows().build();
            Pipeline pipeline = KafkaAggregationJob.build(KafkaAggregationJob.source(kafka, settings), settings, kafka);
            AtomicReference<Job> job = new AtomicReference<>();
            ChildJvm.tell("READY " + AppInfoParser.getVersion());
            ChildJvm.serveCommands(command -> {
                switch (command) {
                    case "START" -> {
                        job.set(member.getJet().newJob(pipeline, kafka.jobConfig()));
                        watch(job.get());
                    }
                    case "STOP" -> ChildJvm.tell("DROPPED " + lateReadings(job.get()));
                    default -> ChildJvm.tell("FAILED unknown command " + command);
                }
            });
            if (job.get() != null) {
                job.get().cancel();
            }
        } finally {
            member.shutdown();
        }
    }

    /** Says {@code FAILED} if {@code job} fails or ends. */
    private static void watch(Job job) {
        Thread watcher = new Thread(() -> {
            try {
                job.join();
                ChildJvm.tell("FAILED the iot-grid job ended: " + job.getStatus());
            } catch (CancellationException e) {
                // Cancelled at the end of the run.
            } catch (RuntimeException e) {
                ChildJvm.tell("FAILED the iot-grid job failed: " + e);
            }
        }, "job-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    /**
     * The job's {@value #LATE_READINGS}: readings its sensor stage found late, which went to the late-readings map
     * instead of a window; waited for until collected after this call, at most 10 s.
     */
    private static long lateReadings(Job job) {
        long asked = System.currentTimeMillis();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<Measurement> m = job.getMetrics().get(LATE_READINGS);
        while ((m.isEmpty() || m.stream().anyMatch(x -> x.timestamp() <= asked)) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            m = job.getMetrics().get(LATE_READINGS);
        }
        return m.stream().mapToLong(Measurement::value).sum();
    }

    private static KafkaConsumer<String, byte[]> resultsConsumer(String bootstrap, String topic) {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", bootstrap);
        p.setProperty("key.deserializer", StringDeserializer.class.getName());
        p.setProperty("value.deserializer", ByteArrayDeserializer.class.getName());
        p.setProperty("isolation.level", "read_committed");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p);
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
