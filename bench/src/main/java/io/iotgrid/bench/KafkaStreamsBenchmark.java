package io.iotgrid.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.config.ProcessingGuarantee;
import com.hazelcast.jet.core.JobStatus;
import com.hazelcast.jet.core.metrics.Measurement;
import com.hazelcast.jet.pipeline.Pipeline;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.Measure;
import io.iotgrid.core.MeasureStats;
import io.iotgrid.core.WindowStats;
import io.iotgrid.jobs.AggregationSettings;
import io.iotgrid.jobs.KafkaAggregationJob;
import io.iotgrid.jobs.JobSettings;
import io.iotgrid.jobs.KafkaJobSettings;
import io.iotgrid.kafka.broker.KafkaBroker;
import io.iotgrid.kafka.broker.KafkaBrokerSettings;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Kafka → per-sensor 1-minute aggregates, iot-grid's Kafka job against a Kafka Streams application doing the same
 * work on the same topic: input readings per second from the start of each system until the last final window of
 * the data set is seen in its results topic, and the ratio.
 * <p>
 * How to run (from the repository root):
 * <pre>
 * mvn -q -B -DskipTests -pl bench -am package
 * java -cp "bench/target/iot-grid-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath)" \
 *      io.iotgrid.bench.KafkaStreamsBenchmark --readings 5000000 --runs 3
 * </pre>
 * Options (defaults): {@code --readings 5000000}, {@code --sensors 10000}, {@code --places 100}, {@code --runs 3}
 * pairs, {@code --guarantee at_least_once} (or {@code exactly_once}), {@code --xmx 2g} for each run's JVM,
 * {@code --timeout 10m} per run, {@code --member-port 6700}, {@code --jfr FILE} to record the first iot-grid run
 * with JFR's profile settings. Output of one run on a shared 2-core machine (load average 5 to 8):
 * <pre>
 * filled 5000000 readings (+4 sentinels) in 7.2 s (693263 readings/s), load average 6.65
 * pair 1 iot-grid:      readings=5000000 seconds=20.03 readings/s=249658 first-window-s=2.87 windows=210000 checks=OK
 *   repeated=0 late=0 load=6.03
 * pair 1 Kafka Streams: readings=5000000 seconds=23.54 readings/s=212376 first-window-s=9.47 windows=210000 checks=OK
 *   repeated=0 late=0 load=4.95
 * ...
 * iot-grid readings/s: 216,498 (214,771–249,658) over 3 runs
 * Kafka Streams readings/s: 211,155 (174,128–212,376) over 3 runs
 * ratio iot-grid/Kafka Streams: 1.18 (1.02–1.24) over 3 runs
 * </pre>
 * <b>What runs.</b> The benchmark starts a {@link KafkaBroker} (its own JVM, temporary data directory) and fills a
 * 4-partition topic once with {@link BenchReadings} (key the sensor id, each record on the reading's partition,
 * record timestamp the reading's event time), then one sentinel per partition stamped 10 minutes after the last
 * window, which closes every window in both systems; the sentinels' windows are not checked. Each run is a fresh JVM
 * (same {@code -Xmx}, same classpath, default GC), iot-grid and Kafka Streams alternating, so neither inherits the
 * other's JIT or heap:
 * <ul>
 * <li>iot-grid: one member in the run's JVM, {@link KafkaAggregationJob} as shipped, early results off, pure event
 *     time, final sensor windows to a results topic ({@code results.sensor.topic}).</li>
 * <li>Kafka Streams: {@link KafkaStreamsAggregation}, as many stream threads as the member has cooperative threads,
 *     a fresh application id and state directory.</li>
 * </ul>
 * The clock starts when the job is submitted or {@code KafkaStreams.start()} is called and stops when the run's
 * consumer (in the same JVM, {@code read_committed}) has seen every (sensor, window) of the data set. Both systems
 * are checked against checksums computed from {@link BenchReadings} alone and against each other
 * ({@link WindowChecksums}); any difference fails the run with both values. Under {@code exactly_once}, results
 * become visible when their transaction commits: at iot-grid's snapshots (every 10 s by default) and at Kafka
 * Streams' commits (every 100 ms by default), which the times include.
 */
public final class KafkaStreamsBenchmark {

    static final int PARTITIONS = 4;
    static final Duration WINDOW = Duration.ofMinutes(1);
    static final Duration LATENESS = Duration.ofSeconds(5);
    private static final String INPUT_TOPIC = "bench-readings";
    private static final String CHILD = "--child";
    /** The counter of Jet's window processors (SlidingWindowP); MetricNames has no constant for it. */
    private static final String LATE_EVENTS_DROPPED = "lateEventsDropped";
    /** What the build gives Hazelcast's JVMs (root pom's hazelcast.jvm.args); both systems' runs get the same. */
    private static final List<String> JVM_ARGS = List.of("--add-modules", "java.se",
            "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.management/sun.management=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "-Dhazelcast.phone.home.enabled=false", "-Dhazelcast.logging.type=log4j2");
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * A run that emitted windows and then none for this long will not complete (e.g. a window whose readings were
     * all dropped as late): it ends early and fails its checks instead of waiting for the timeout. Far above the
     * gaps of a healthy run: a window's worth of input (a minute of event time on every partition) took Kafka
     * Streams about 70 s on a loaded 2-core machine.
     */
    private static final long STALL_NANOS = TimeUnit.MINUTES.toNanos(5);

    private KafkaStreamsBenchmark() {
    }

    /** The two systems measured. */
    public enum Engine {
        IOT_GRID("iot-grid"), KAFKA_STREAMS("Kafka Streams");

        private final String label;

        Engine(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** The delivery guarantee of both systems: Jet's processing guarantee and Kafka Streams' one. */
    public enum Guarantee {
        AT_LEAST_ONCE(ProcessingGuarantee.AT_LEAST_ONCE, StreamsConfig.AT_LEAST_ONCE),
        EXACTLY_ONCE(ProcessingGuarantee.EXACTLY_ONCE, StreamsConfig.EXACTLY_ONCE_V2);

        private final ProcessingGuarantee jet;
        private final String streams;

        Guarantee(ProcessingGuarantee jet, String streams) {
            this.jet = jet;
            this.streams = streams;
        }
    }

    /**
     * What to run.
     *
     * @param readings   readings in the topic, sentinels aside; default 5 000 000
     * @param sensors    sensors, a multiple of 4 (the partitions); default 10 000
     * @param places     places; default 100
     * @param runs       pairs of runs (iot-grid then Kafka Streams); default 3
     * @param guarantee  delivery guarantee of both; default at least once
     * @param maxHeap    {@code -Xmx} of every run's JVM; default {@code 2g}
     * @param jfr        file for a JFR recording (profile settings, 60 s) of the first iot-grid run; null for none
     * @param memberPort first port of the member (it takes up to 5 from there); default 6700
     * @param timeout    how long a run may take to produce every final window; default 10 minutes
     * @param classpath  classpath of the runs' JVMs; default this JVM's
     */
    public record Options(long readings, int sensors, int places, int runs, Guarantee guarantee, String maxHeap,
                          Path jfr, int memberPort, Duration timeout, String classpath) {

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
            if (guarantee == null || classpath == null || classpath.isBlank()) {
                throw new IllegalArgumentException("guarantee and classpath must be given");
            }
            // Fails here, before a broker starts, on a bad sensors/partitions pair or too few readings.
            new KafkaDataset(new BenchReadings(sensors, places, PARTITIONS, 0), readings, WINDOW.toMillis());
        }

        /** The defaults listed on the components. */
        public static Options defaults() {
            return new Options(5_000_000, 10_000, 100, 3, Guarantee.AT_LEAST_ONCE, "2g", null, 6700,
                    Duration.ofMinutes(10), System.getProperty("java.class.path"));
        }
    }

    /**
     * One run of one system.
     *
     * @param pair              which pair of runs, from 1
     * @param seconds           from the start to the last final window seen
     * @param firstWindowSeconds from the start to the first final window seen: mostly start-up, before the first
     *                           window of the data set can close
     * @param windows           distinct final sensor windows seen
     * @param repeated          final windows seen again (none without failures)
     * @param lateEventsDropped readings the system left out of the sensor windows as late (Jet's
     *                          {@code lateEventsDropped} of the per-sensor windows, Kafka Streams'
     *                          {@code dropped-records-total}); 0 in a correct run
     * @param loadAverage       the system load average when the run ended
     * @param checked           whether its windows equal the expected ones
     */
    public record RunResult(Engine engine, int pair, long readings, double seconds, double firstWindowSeconds,
                            long windows, long repeated,
                            long lateEventsDropped, double loadAverage, boolean checked) {

        public double readingsPerSecond() {
            return readings / seconds;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "pair %d %-14s readings=%d seconds=%.2f readings/s=%.0f first-window-s=%.2f windows=%d "
                            + "checks=%s repeated=%d late=%d load=%.2f", pair, engine + ":", readings, seconds,
                    readingsPerSecond(), firstWindowSeconds, windows, checked ? "OK" : "FAILED", repeated, lateEventsDropped,
                    loadAverage);
        }
    }

    /** Every run, all checked: each system's windows equal the expected ones and each other's. */
    public record Result(long readings, double fillSeconds, List<RunResult> runs) {

        /** Readings per second of {@code engine} over its runs. */
        public Spread readingsPerSecond(Engine engine) {
            return Spread.of(engine + " readings/s", runs.stream().filter(r -> r.engine() == engine)
                                                          .mapToDouble(RunResult::readingsPerSecond).toArray());
        }

        /** iot-grid's readings per second over Kafka Streams', per pair. */
        public Spread ratio() {
            List<RunResult> grid = runs.stream().filter(r -> r.engine() == Engine.IOT_GRID).toList();
            List<RunResult> streams = runs.stream().filter(r -> r.engine() == Engine.KAFKA_STREAMS).toList();
            double[] ratios = new double[grid.size()];
            for (int i = 0; i < ratios.length; i++) {
                ratios[i] = grid.get(i).readingsPerSecond() / streams.get(i).readingsPerSecond();
            }
            return Spread.of("ratio iot-grid/Kafka Streams", ratios);
        }
    }

    /** The command line of {@link #main}; each option starts at {@link Options#defaults()}. */
    @Command(name = "KafkaStreamsBenchmark", sortOptions = false,
            description = "iot-grid's Kafka job against Kafka Streams on the same topic: readings per second.")
    static final class Arguments {

        private static final Options DEFAULTS = Options.defaults();

        @Option(names = "--readings", paramLabel = "N", description = "readings in the topic (default ${DEFAULT-VALUE})")
        long readings = DEFAULTS.readings();

        @Option(names = "--sensors", paramLabel = "N",
                description = "sensors, a multiple of " + PARTITIONS + " (default ${DEFAULT-VALUE})")
        int sensors = DEFAULTS.sensors();

        @Option(names = "--places", paramLabel = "N", description = "places (default ${DEFAULT-VALUE})")
        int places = DEFAULTS.places();

        @Option(names = "--runs", paramLabel = "N", description = "pairs of runs (default ${DEFAULT-VALUE})")
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
                description = "first port of the member (default ${DEFAULT-VALUE})")
        int memberPort = DEFAULTS.memberPort();

        @Option(names = "--timeout", paramLabel = "D", converter = Bench.DurationConverter.class,
                description = "how long a run may take to produce every final window (default 10m)")
        Duration timeout = DEFAULTS.timeout();

        @Mixin
        Bench.Help help;

        Options options() {
            return new Options(readings, sensors, places, runs, guarantee, maxHeap, jfr, memberPort, timeout,
                    DEFAULTS.classpath());
        }
    }

    /** What a run's JVM is told, by {@link #fork}. */
    @Command(name = "KafkaStreamsBenchmark --child")
    static final class Child {

        @Option(names = CHILD, required = true)
        Engine engine;

        @Option(names = "--bootstrap", required = true)
        String bootstrap;

        @Option(names = "--output", required = true)
        String output;

        @Option(names = "--readings", required = true)
        long readings;

        @Option(names = "--sensors", required = true)
        int sensors;

        @Option(names = "--places", required = true)
        int places;

        @Option(names = "--start", required = true)
        long start;

        @Option(names = "--guarantee", required = true)
        Guarantee guarantee;

        @Option(names = "--member-port", required = true)
        int memberPort;

        @Option(names = "--timeout-ms", required = true)
        long timeoutMillis;

        @Option(names = "--dir", required = true)
        Path dir;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals(CHILD)) {
            try {
                runChild(Bench.parse(new Child(), args));
            } catch (Throwable e) {
                // A thread a failed start left behind (a member's, a stream thread) must not keep this JVM alive.
                e.printStackTrace();
                System.exit(1);
            }
            System.exit(0);
        }
        run(Bench.options(new Arguments(), args).options());
        System.exit(0);
    }

    /**
     * Starts a broker, fills the topic, runs {@code options.runs()} pairs in fresh JVMs, prints one line per run
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
        long span = options.readings() / PARTITIONS + WINDOW.toMillis() * 12;
        long start = Instant.now().minusMillis(span).minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES)
                            .toEpochMilli();
        KafkaDataset dataset = new KafkaDataset(new BenchReadings(options.sensors(), options.places(), PARTITIONS,
                start), options.readings(), WINDOW.toMillis());
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
            for (int pair = 1; pair <= options.runs(); pair++) {
                Map<Engine, WindowChecksums> sums = new HashMap<>();
                for (Engine engine : Engine.values()) {
                    String output = "results-" + pair + '-' + engine.name().toLowerCase(Locale.ROOT);
                    broker.createTopic(output, PARTITIONS);
                    Path runDir = Files.createDirectories(dir.resolve(output));
                    boolean jfr = options.jfr() != null && pair == 1 && engine == Engine.IOT_GRID;
                    Properties outcome = fork(options, engine, broker.bootstrapServers(), output, start, runDir, jfr);
                    WindowChecksums actual = WindowChecksums.read(runDir.resolve("windows"));
                    long late = Long.parseLong(outcome.getProperty("lateEventsDropped"));
                    String context = "pair " + pair + ", " + engine + " (its final windows: "
                            + outcome.getProperty("windows") + " of " + expected.windows() + " within "
                            + options.timeout() + ", late readings dropped: " + late
                            + ", windows outside the data set: " + outcome.getProperty("unexpected") + ")";
                    boolean checked = true;
                    try {
                        expected.requireEqual("expected from BenchReadings", actual, engine.toString(), context);
                        if (!outcome.getProperty("unexpected").equals("[]")) {
                            throw new IllegalStateException(context + ": windows outside the data set");
                        }
                        sums.put(engine, actual);
                    } catch (IllegalStateException e) {
                        checked = false;
                        failures.add(e.getMessage());
                    }
                    RunResult r = new RunResult(engine, pair, options.readings(),
                            Double.parseDouble(outcome.getProperty("seconds")),
                            Double.parseDouble(outcome.getProperty("firstWindowSeconds")),
                            Long.parseLong(outcome.getProperty("windows")),
                            Long.parseLong(outcome.getProperty("repeated")), late, loadAverage(), checked);
                    runs.add(r);
                    System.out.println(r);
                }
                // Each side already equals the expected checksums; comparing them directly guards the checker too.
                if (sums.size() == 2) {
                    try {
                        sums.get(Engine.IOT_GRID).requireEqual(Engine.IOT_GRID.toString(),
                                sums.get(Engine.KAFKA_STREAMS), Engine.KAFKA_STREAMS.toString(),
                                "pair " + pair + ", iot-grid against Kafka Streams");
                    } catch (IllegalStateException e) {
                        failures.add(e.getMessage());
                    }
                }
            }
            Result result = new Result(options.readings(), fillSeconds, runs);
            System.out.println(result.readingsPerSecond(Engine.IOT_GRID));
            System.out.println(result.readingsPerSecond(Engine.KAFKA_STREAMS));
            System.out.println(result.ratio());
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

    /** Runs one system in a fresh JVM and returns what it wrote to {@code runDir/outcome}. */
    private static Properties fork(Options options, Engine engine, String bootstrap, String output, long start,
                                   Path runDir, boolean jfr) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + options.maxHeap());
        command.addAll(JVM_ARGS);
        if (jfr) {
            command.add("-XX:StartFlightRecording=duration=60s,filename=" + options.jfr().toAbsolutePath()
                    + ",settings=profile");
        }
        command.addAll(List.of("-cp", options.classpath(), KafkaStreamsBenchmark.class.getName(),
                CHILD, engine.name(), "--bootstrap", bootstrap, "--output", output,
                "--readings", Long.toString(options.readings()), "--sensors", Integer.toString(options.sensors()),
                "--places", Integer.toString(options.places()), "--start", Long.toString(start),
                "--guarantee", options.guarantee().name(), "--member-port", Integer.toString(options.memberPort()),
                "--timeout-ms", Long.toString(options.timeout().toMillis()), "--dir", runDir.toString()));
        Path log = runDir.resolve("output.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(options.timeout().toMillis() + TimeUnit.MINUTES.toMillis(2), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(engine + " run did not end within " + options.timeout()
                        + " plus 2 minutes; the end of its output:\n" + tail(log));
            }
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor();
            }
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(engine + " run failed (exit " + process.exitValue()
                    + "); the end of its output:\n" + tail(log));
        }
        Properties outcome = new Properties();
        try (InputStream in = Files.newInputStream(runDir.resolve("outcome"))) {
            outcome.load(in);
        }
        return outcome;
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** The work of one run, in its own JVM: start the system, consume its results until complete, write them. */
    private static void runChild(Child a) throws Exception {
        Engine engine = a.engine;
        String bootstrap = a.bootstrap;
        String output = a.output;
        Path dir = a.dir;
        KafkaDataset dataset = new KafkaDataset(new BenchReadings(a.sensors, a.places, PARTITIONS, a.start),
                a.readings, WINDOW.toMillis());
        // Before the clock starts: how many final windows to wait for.
        WindowChecksums.Collector windows = new WindowChecksums.Collector(dataset, dataset.expected().windows());
        Guarantee guarantee = a.guarantee;
        long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(a.timeoutMillis);
        try (KafkaConsumer<String, byte[]> consumer = resultsConsumer(bootstrap, output);
             SystemRun run = engine == Engine.IOT_GRID
                     ? new GridRun(bootstrap, output, guarantee, a.memberPort)
                     : new StreamsRun(bootstrap, output, guarantee, dir.resolve("state"))) {
            long t0 = System.nanoTime();
            run.start();
            long progressAt = t0;
            long firstAt = 0;
            long seen = 0;
            while (!windows.complete() && System.nanoTime() - t0 < timeoutNanos
                    && (seen == 0 || System.nanoTime() - progressAt < STALL_NANOS)) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    run.accept(r, windows);
                }
                if (windows.distinct() > seen) {
                    firstAt = seen == 0 ? System.nanoTime() : firstAt;
                    seen = windows.distinct();
                    progressAt = System.nanoTime();
                }
                run.requireRunning();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Properties outcome = new Properties();
            outcome.setProperty("seconds", Double.toString(seconds));
            outcome.setProperty("firstWindowSeconds", Double.toString(seen == 0 ? Double.NaN : (firstAt - t0) / 1e9));
            outcome.setProperty("windows", Long.toString(windows.distinct()));
            outcome.setProperty("repeated", Long.toString(windows.repeated()));
            outcome.setProperty("unexpected", windows.unexpected().toString());
            outcome.setProperty("lateEventsDropped", Long.toString(run.lateEventsDropped()));
            windows.sums().write(dir.resolve("windows"));
            try (OutputStream out = Files.newOutputStream(dir.resolve("outcome"))) {
                outcome.store(out, engine.toString());
            }
        }
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

    /** One system in a run: started with the clock, its results decoded, stopped at the end. */
    private interface SystemRun extends AutoCloseable {
        void start();

        /** Adds one record of the results topic. */
        void accept(ConsumerRecord<String, byte[]> record, WindowChecksums.Collector windows) throws IOException;

        /** Throws if the system failed. */
        void requireRunning();

        long lateEventsDropped() throws InterruptedException;
    }

    /**
     * iot-grid: {@link KafkaAggregationJob} as shipped on one member. Its final sensor windows are read back from
     * its results topic, as Kafka Streams' are from theirs: one measuring path for both, both paying for writing
     * their results to Kafka, and the job runs unchanged (the grid maps, the readings Ringbuffer and all).
     */
    private static final class GridRun implements SystemRun {
        private final HazelcastInstance member;
        private final KafkaJobSettings kafka;
        private final Pipeline pipeline;
        private Job job;

        GridRun(String bootstrap, String output, Guarantee guarantee, int port) {
            Config config = GridConfigs.loopbackMember("bench-" + UUID.randomUUID(), port);
            config.getMetricsConfig().setCollectionFrequencySeconds(1);
            member = Hazelcast.newHazelcastInstance(config);
            kafka = KafkaJobSettings.of(bootstrap, INPUT_TOPIC).toBuilder()
                    .set(JobSettings.GUARANTEE, guarantee.jet)
                    .set(KafkaJobSettings.SENSOR_RESULTS_TOPIC, output)
                    .build();
            AggregationSettings settings = AggregationSettings.builder()
                    .set(AggregationSettings.WINDOW_SIZE, WINDOW)
                    .set(AggregationSettings.ALLOWED_LATENESS, LATENESS)
                    .set(AggregationSettings.EARLY_RESULTS_PERIOD, Duration.ZERO)
                    .set(AggregationSettings.QUIET_CLOSE_AFTER, null)
                    .build();
            pipeline = KafkaAggregationJob.build(KafkaAggregationJob.source(kafka, settings), settings, kafka);
        }

        @Override
        public void start() {
            job = member.getJet().newJob(pipeline, kafka.jobConfig());
        }

        @Override
        public void accept(ConsumerRecord<String, byte[]> record, WindowChecksums.Collector windows)
                throws IOException {
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
        }

        @Override
        public void requireRunning() {
            JobStatus status = job.getStatus();
            if (status == JobStatus.FAILED || status == JobStatus.COMPLETED) {
                try {
                    job.join();
                } catch (RuntimeException e) {
                    throw new IllegalStateException("the iot-grid job ended: " + status, e);
                }
                throw new IllegalStateException("the iot-grid job ended: " + status);
            }
        }

        /** Jet's metric, waited for until collected after this call, at most 10 s. */
        @Override
        public long lateEventsDropped() throws InterruptedException {
            long asked = System.currentTimeMillis();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            List<Measurement> m = job.getMetrics().get(LATE_EVENTS_DROPPED);
            while ((m.isEmpty() || m.stream().anyMatch(x -> x.timestamp() <= asked)) && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(200);
                m = job.getMetrics().get(LATE_EVENTS_DROPPED);
            }
            // The per-place windows drop the same readings again: count the per-sensor ones only.
            return m.stream().filter(x -> String.valueOf(x.tag("vertex")).startsWith("bySensor"))
                    .mapToLong(Measurement::value).sum();
        }

        @Override
        public void close() {
            try {
                if (job != null) {
                    job.cancel();
                }
            } finally {
                member.shutdown();
            }
        }
    }

    /** Kafka Streams: {@link KafkaStreamsAggregation} with a fresh application id and state directory. */
    private static final class StreamsRun implements SystemRun {
        private final KafkaStreams streams;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        StreamsRun(String bootstrap, String output, Guarantee guarantee, Path stateDir) {
            Properties p = new Properties();
            p.setProperty(StreamsConfig.APPLICATION_ID_CONFIG, "bench-" + UUID.randomUUID());
            p.setProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.setProperty(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            // As many threads as the member has cooperative threads (Jet's default: one per core).
            p.setProperty(StreamsConfig.NUM_STREAM_THREADS_CONFIG,
                    Integer.toString(GridConfigs.member().getJetConfig().getCooperativeThreadCount()));
            p.setProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee.streams);
            // Otherwise onWindowClose checks for closed windows at most once a second of wall time, and only when a
            // record arrives: the last windows of a finite input would never come out.
            p.setProperty("__emit.interval.ms.kstreams.windowed.aggregation__", "0");
            p.setProperty(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
            streams = new KafkaStreams(KafkaStreamsAggregation.topology(INPUT_TOPIC, output, WINDOW, LATENESS), p);
            streams.setUncaughtExceptionHandler(e -> {
                failure.compareAndSet(null, e);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
        }

        @Override
        public void start() {
            streams.start();
        }

        @Override
        public void accept(ConsumerRecord<String, byte[]> record, WindowChecksums.Collector windows) {
            KafkaStreamsAggregation.Result r = KafkaStreamsAggregation.RESULT_SERDE.deserializer()
                    .deserialize(record.topic(), record.value());
            KafkaStreamsAggregation.Stats s = r.stats();
            double[] avg = new double[WindowChecksums.MEASURES];
            for (int m = 0; m < avg.length; m++) {
                avg[m] = s.avg(m);
            }
            windows.accept(record.key(), r.windowStart(), s.count, s.counts, s.min, s.max, avg);
        }

        @Override
        public void requireRunning() {
            if (failure.get() != null || streams.state() == KafkaStreams.State.ERROR) {
                throw new IllegalStateException("Kafka Streams failed: " + streams.state(), failure.get());
            }
        }

        /** The tasks' {@code dropped-records-total}: late records (beyond the grace) and records it skipped. */
        @Override
        public long lateEventsDropped() {
            long dropped = 0;
            for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
                if (e.getKey().name().equals("dropped-records-total")
                        && e.getValue().metricValue() instanceof Number n) {
                    dropped += n.longValue();
                }
            }
            return dropped;
        }

        @Override
        public void close() {
            streams.close(Duration.ofSeconds(30));
        }
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
