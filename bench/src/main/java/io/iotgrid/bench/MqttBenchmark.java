package io.iotgrid.bench;

import com.hazelcast.config.Config;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.query.Predicates;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.WindowStats;
import io.iotgrid.jobs.AggregationJob;
import io.iotgrid.jobs.AggregationSettings;
import io.iotgrid.jobs.JobSettings;
import io.iotgrid.sources.MosquittoBroker;
import io.iotgrid.sources.MqttSourceSettings;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Mosquitto → grid: messages per second that the aggregation job on one member takes from a Mosquitto broker at QoS 0
 * and QoS 1, the latency from publish to the reading's effect in {@code sensor_stats}, and the CPU time of the
 * member's JVM per message; against the ceiling of Mosquitto itself in the same run: the same publisher, the same
 * messages, {@code mosquitto_sub} writing to /dev/null as the only subscriber.
 * <p>
 * How to run (from the repository root; needs {@code mosquitto} and {@code mosquitto-clients} from Debian):
 * <pre>
 * mvn -q -B -DskipTests -pl bench -am package
 * java -cp "bench/target/iot-grid-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath)" \
 *      io.iotgrid.bench.MqttBenchmark --qos 0,1 --messages 300000 --sensors 1000 --runs 3 --warmup-runs 1
 * </pre>
 * Output, one line per run, the Mosquitto ceiling and the grid alternating, then the spread per QoS; these lines
 * are from a run on the 2-core development machine (BENCHMARKS.md):
 * <pre>
 * mosquitto qos=1 messages=300000 received=300000 seconds=6.42 rate=46741/s
 * grid qos=1 messages=300000 received=300000 seconds=8.18 rate=36675/s latency ms p50=4026.4 p99=7782.4
 *   max=7897.1 cpu=26.7 us/msg
 * ...
 * qos=1 grid/mosquitto rate: 0.785 (0.757–0.887) over 3 runs
 * </pre>
 * <b>What is measured.</b> The publisher is one {@code mosquitto_pub -l} (MQTT 5) fed, line by line, by this JVM:
 * {@code --messages} readings of {@code --sensors} sensors in turn, as fast as it takes them or at
 * {@code --rate}, in the nested JSON of {@link BenchReadings}, all on topic {@code bench/readings} and all in one
 * event-time window (so each sensor's count in {@code sensor_stats} only grows), each line's instant
 * ({@link System#nanoTime}) kept when it is handed to the publisher. The broker is
 * Mosquitto 2.0 with {@code max_inflight_messages 0}: the source acknowledges QoS 1 messages only after the snapshot
 * that holds them, and Mosquitto's default of 20 unacknowledged messages per session would cap it at 20 per snapshot
 * interval (README, "MQTT source"); it logs connections and subscriptions, not every message.
 * <ul>
 *   <li><b>mosquitto</b>: {@code mosquitto_sub -C <messages>} at the same QoS to /dev/null; the time from the first
 *       line handed to the publisher until the subscriber exited with every message.</li>
 *   <li><b>grid</b>: a fresh member in this JVM running the aggregation job (the jar's job settings: at least once,
 *       a snapshot every second) on the MQTT source (2 sessions in a shared subscription, 2 processors,
 *       QoS as given); a local entry listener on {@code sensor_stats} credits each update: sensor {@code s} at count
 *       {@code c} makes its first {@code c} readings visible, each timed from its line's instant. The time runs from
 *       the first line until the last reading became visible (or nothing changed for {@code --timeout}); the CPU
 *       time is this JVM's over the same span, member, listener and feeding thread included, divided by the
 *       messages received.</li>
 * </ul>
 * The spread of each figure is over {@code --runs} runs per QoS, the two kinds alternating, after
 * {@code --warmup-runs} that are printed but not counted.
 */
public final class MqttBenchmark {

    private static final int PORT = 6740;
    private static final String TOPIC = "bench/readings";
    /** Event times one millisecond apart per sensor from here: a run stays in one window of an hour. */
    private static final long WINDOW_START = 1_700_000_000_000L / 3_600_000 * 3_600_000;

    private MqttBenchmark() {
    }

    /**
     * What one run measured.
     *
     * @param kind           {@code mosquitto} (the ceiling) or {@code grid}
     * @param qos            the subscription's QoS (the publisher's too)
     * @param messages       messages published
     * @param received       messages the subscriber got, or readings visible in {@code sensor_stats}
     * @param seconds        from the first message handed to the publisher until the last was received
     * @param latencyMicros  publish to visible, µs; {@code null} for the ceiling
     * @param cpuNanos       this JVM's CPU time over the run; 0 for the ceiling
     */
    public record Result(String kind, int qos, long messages, long received, double seconds, Histogram latencyMicros,
                         long cpuNanos) {

        /** Messages received per second. */
        public double rate() {
            return received / seconds;
        }

        /** A percentile of the latency, ms. */
        public double ms(double percentile) {
            return latencyMicros.getValueAtPercentile(percentile) / 1000.0;
        }

        /** This JVM's CPU time per message received, µs. */
        public double cpuMicrosPerMessage() {
            return cpuNanos / 1000.0 / received;
        }

        @Override
        public String toString() {
            String line = String.format(Locale.ROOT, "%s qos=%d messages=%d received=%d seconds=%.2f rate=%.0f/s",
                    kind, qos, messages, received, seconds, rate());
            return latencyMicros == null ? line : line + String.format(Locale.ROOT,
                    " latency ms p50=%.1f p99=%.1f max=%.1f cpu=%.1f us/msg", ms(50), ms(99),
                    latencyMicros.getMaxValue() / 1000.0, cpuMicrosPerMessage());
        }
    }

    /** The command line of {@link #main}. */
    @Command(name = "MqttBenchmark", sortOptions = false,
            description = "Mosquitto to the aggregation job, against Mosquitto to mosquitto_sub, same publisher.")
    static final class Options {

        @Option(names = "--qos", paramLabel = "Q", split = ",",
                description = "QoS levels, one series of runs each (default 0,1)")
        int[] qos = {0, 1};

        @Option(names = "--messages", paramLabel = "N", description = "messages per run (default ${DEFAULT-VALUE})")
        int messages = 300_000;

        @Option(names = "--sensors", paramLabel = "N", description = "sensors (default ${DEFAULT-VALUE})")
        int sensors = 1_000;

        @Option(names = "--rate", paramLabel = "R",
                description = "messages per second the publisher is fed; 0: as fast as it takes them, for the "
                        + "throughput (default ${DEFAULT-VALUE})")
        int rate;

        @Option(names = "--early", paramLabel = "D", converter = Bench.DurationConverter.class,
                description = "early results period of the job (default 100ms)")
        Duration early = Duration.ofMillis(100);

        @Option(names = "--snapshot-interval", paramLabel = "D", converter = Bench.DurationConverter.class,
                description = "the job's snapshot interval, after which the source acknowledges (default: the MQTT "
                        + "job jar's, 1s)")
        Duration snapshotInterval = JobSettings.builder(AggregationJob.MQTT_JOB).build().snapshotInterval();

        @Option(names = "--sessions", paramLabel = "N",
                description = "MQTT sessions of the source, on 2 processors (default ${DEFAULT-VALUE})")
        int sessions = 2;

        @Option(names = "--runs", paramLabel = "N",
                description = "runs of each kind per QoS (default ${DEFAULT-VALUE})")
        int runs = 3;

        @Option(names = "--warmup-runs", paramLabel = "N",
                description = "runs of each kind per QoS before those measured, not counted: JIT warm-up "
                        + "(default ${DEFAULT-VALUE})")
        int warmupRuns = 1;

        @Option(names = "--timeout", paramLabel = "D", converter = Bench.DurationConverter.class,
                description = "a run ends when nothing more arrived for this long (default 30s)")
        Duration timeout = Duration.ofSeconds(30);

        @Mixin
        Bench.Help help;
    }

    public static void main(String[] args) throws Exception {
        Options options = Bench.options(new Options(), args);
        List<String> spreads = new ArrayList<>();
        for (int qos : options.qos) {
            List<Result> ceilings = new ArrayList<>();
            List<Result> grids = new ArrayList<>();
            try (MosquittoBroker broker = MosquittoBroker.start(
                    MosquittoBroker.options().withMaxInflightMessages(0).withQuietLog())) {
                for (int r = 0; r < options.warmupRuns + options.runs; r++) {
                    boolean counted = r >= options.warmupRuns;
                    String mark = counted ? "" : "warm-up ";
                    Result ceiling = ceiling(broker, qos, options.messages, options.sensors, options.rate,
                            options.timeout);
                    System.out.println(mark + ceiling);
                    Result grid = grid(broker, qos, options.messages, options.sensors, options.rate, options.early,
                            options.snapshotInterval, options.sessions, options.timeout, PORT);
                    System.out.println(mark + grid);
                    if (counted) {
                        ceilings.add(ceiling);
                        grids.add(grid);
                    }
                }
            }
            String prefix = "qos=" + qos + " ";
            double[] ratios = new double[grids.size()];
            for (int i = 0; i < ratios.length; i++) {
                ratios[i] = grids.get(i).rate() / ceilings.get(i).rate();
            }
            spreads.add(Spread.of(prefix + "mosquitto messages/s",
                    ceilings.stream().mapToDouble(Result::rate).toArray()).toString());
            spreads.add(Spread.of(prefix + "grid messages/s", grids.stream().mapToDouble(Result::rate).toArray())
                    .toString());
            spreads.add(Spread.of(prefix + "grid/mosquitto rate", ratios).toString());
            spreads.add(Spread.of(prefix + "p50 ms", grids.stream().mapToDouble(g -> g.ms(50)).toArray()).toString());
            spreads.add(Spread.of(prefix + "p99 ms", grids.stream().mapToDouble(g -> g.ms(99)).toArray()).toString());
            spreads.add(Spread.of(prefix + "cpu us/msg",
                    grids.stream().mapToDouble(Result::cpuMicrosPerMessage).toArray()).toString());
            spreads.add(Spread.of(prefix + "grid messages missing",
                    grids.stream().mapToDouble(g -> g.messages() - g.received()).toArray()).toString());
        }
        spreads.forEach(System.out::println);
    }

    /** The ceiling: the same publisher into {@code mosquitto_sub} writing to /dev/null. */
    public static Result ceiling(MosquittoBroker broker, int qos, int messages, int sensors, int rate,
                                 Duration timeout)
            throws IOException, InterruptedException {
        String clientId = "bench-ceiling-" + UUID.randomUUID();
        Process sub = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(broker.port()),
                "-V", "mqttv5", "-q", Integer.toString(qos), "-t", TOPIC, "-i", clientId,
                "-C", Integer.toString(messages))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
        try {
            broker.awaitLog(clientId + ' ' + qos + ' ' + TOPIC, 1, timeout);
            long[] published = new long[messages];
            Publisher publisher = Publisher.start(broker, qos, messages, sensors, rate, published);
            boolean done = sub.waitFor(timeout.toMillis() + messages / 10, TimeUnit.MILLISECONDS);
            long end = System.nanoTime();
            publisher.await(timeout);
            if (!done) {
                throw new IllegalStateException("mosquitto_sub did not get " + messages + " messages within "
                        + timeout);
            }
            return new Result("mosquitto", qos, messages, messages, (end - published[0]) / 1e9, null, 0);
        } finally {
            sub.destroyForcibly();
            sub.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The grid: a fresh member on {@code memberPort} running the aggregation job on the MQTT source. */
    public static Result grid(MosquittoBroker broker, int qos, int messages, int sensors, int rate, Duration early,
                              Duration snapshotInterval, int sessions, Duration timeout, int memberPort)
            throws IOException, InterruptedException {
        if (messages <= 0 || sensors <= 0 || messages % sensors != 0) {
            throw new IllegalArgumentException("messages must be a positive multiple of sensors, were " + messages
                    + " and " + sensors);
        }
        String run = UUID.randomUUID().toString().substring(0, 8);
        AggregationSettings settings = AggregationSettings.builder()
                .set(AggregationSettings.WINDOW_SIZE, Duration.ofHours(1))
                .set(AggregationSettings.ALLOWED_LATENESS, Duration.ofMinutes(1))
                // Event times are fixed in the past, so that a run stays in one window: no wall-clock floor, which
                // would make them late.
                .set(AggregationSettings.QUIET_CLOSE_AFTER, null)
                .set(AggregationSettings.EARLY_RESULTS_PERIOD, early).build();
        MqttSourceSettings mqtt = MqttSourceSettings.builder()
                .set(MqttSourceSettings.BROKER, "mqtt://" + broker.hostAndPort())
                .set(MqttSourceSettings.TOPICS, List.of(TOPIC))
                .set(MqttSourceSettings.QOS, qos)
                .set(MqttSourceSettings.SHARED_GROUP, "bench-" + run)
                .set(MqttSourceSettings.SESSIONS, sessions)
                .set(MqttSourceSettings.LOCAL_PARALLELISM, 2)
                .set(MqttSourceSettings.CLIENT_ID, "bench-grid-" + run).build();
        Config config = GridConfigs.loopbackMember("mqtt-bench-" + run, memberPort);
        config.setProperty("hazelcast.logging.type", "log4j2");
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
        try {
            long[] published = new long[messages];
            Crediting crediting = new Crediting(sensors, messages / sensors, published);
            IMap<String, WindowStats> stats = member.getMap(settings.sensorStatsMap());
            stats.addLocalEntryListener(crediting, Predicates.alwaysTrue(), true);
            Job job = member.getJet().newJob(AggregationJob.build(AggregationJob.mqttSource(mqtt, settings),
                    settings), JobSettings.builder(AggregationJob.MQTT_JOB)
                                          .set(JobSettings.JOB_NAME, "mqtt-benchmark-" + run)
                                          .set(JobSettings.SNAPSHOT_INTERVAL, snapshotInterval).build().jobConfig());
            broker.awaitLog("$share/bench-" + run + '/' + TOPIC, sessions, timeout);

            long cpuBefore = Bench.processCpuNanos();
            Publisher publisher = Publisher.start(broker, qos, messages, sensors, rate, published);
            long last = crediting.visible();
            long lastChange = System.nanoTime();
            while (crediting.visible() < messages && System.nanoTime() - lastChange < timeout.toNanos()) {
                TimeUnit.MILLISECONDS.sleep(20);
                long now = crediting.visible();
                if (now != last) {
                    last = now;
                    lastChange = System.nanoTime();
                }
            }
            long cpu = Bench.processCpuNanos() - cpuBefore;
            publisher.await(timeout);
            Bench.cancel(job);
            return new Result("grid", qos, messages, crediting.visible(),
                    (crediting.lastVisibleNanos() - published[0]) / 1e9, crediting.latency(), cpu);
        } finally {
            member.shutdown();
        }
    }

    /**
     * One {@code mosquitto_pub -l}, fed by a thread of this JVM with message {@code i} from sensor
     * {@code i % sensors}, its instant kept in {@code published[i]} as the line is handed over; at {@code rate} per
     * second when positive, as fast as it takes them otherwise.
     */
    private static final class Publisher {

        private final Process process;
        private final Thread feeder;
        private final OutputStream out;

        private Publisher(Process process, Thread feeder, OutputStream out) {
            this.process = process;
            this.feeder = feeder;
            this.out = out;
        }

        static Publisher start(MosquittoBroker broker, int qos, int messages, int sensors, int rate,
                               long[] published) throws IOException {
            Process process = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p",
                    Integer.toString(broker.port()), "-V", "mqttv5", "-q", Integer.toString(qos), "-t", TOPIC,
                    "-i", "bench-publisher-" + UUID.randomUUID(), "-l")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
            BenchReadings readings = new BenchReadings(sensors, 1, 1, WINDOW_START);
            // A small buffer, so that a line's instant is at most a few lines ahead of its hand-over. The stream stays
            // open until the run has everything: mosquitto_pub -l (2.0.11) drops the QoS 1 messages it has read but
            // not yet sent when its input ends.
            OutputStream out = new BufferedOutputStream(process.getOutputStream(), 4096);
            Thread feeder = new Thread(() -> {
                try {
                    long start = System.nanoTime();
                    for (int i = 0; i < messages; i++) {
                        if (rate > 0) {
                            // Paced by the clock: a line handed over late is timed from when it was.
                            long due = start + (long) (i * 1e9 / rate);
                            for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
                                if (due - now > 200_000) {
                                    out.flush();
                                }
                                LockSupport.parkNanos(due - now);
                            }
                        }
                        int sensor = i % sensors;
                        long n = i / sensors;
                        published[i] = System.nanoTime();
                        out.write(BenchReadings.json(BenchReadings.sensorId(sensor), readings.placeId(sensor),
                                WINDOW_START + n, BenchReadings.temperature(sensor, n),
                                BenchReadings.humidity(sensor, n), BenchReadings.pressure(sensor, n),
                                BenchReadings.luminosity(sensor, n)));
                        out.write('\n');
                    }
                    out.flush();
                } catch (IOException e) {
                    throw new IllegalStateException("mosquitto_pub stopped taking lines", e);
                }
            }, "mqtt-bench-feeder");
            feeder.start();
            return new Publisher(process, feeder, out);
        }

        /**
         * Once the run has received what it will: waits until every line was handed over, ends the input and waits
         * until {@code mosquitto_pub} has exited.
         */
        void await(Duration timeout) throws InterruptedException, IOException {
            feeder.join(timeout.toMillis());
            out.close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException("mosquitto_pub did not finish within " + timeout);
            }
        }
    }

    /**
     * Credits each {@code sensor_stats} update: a sensor's count {@code c} makes its first {@code c} readings visible.
     */
    private static final class Crediting implements EntryAddedListener<String, WindowStats>,
            EntryUpdatedListener<String, WindowStats> {

        private final int sensors;
        private final int perSensor;
        private final long[] published;
        private final int[] credited;
        private final Histogram latency = new Histogram(3_600_000_000L, 3);
        private long visible;
        private long lastVisibleNanos;

        Crediting(int sensors, int perSensor, long[] published) {
            this.sensors = sensors;
            this.perSensor = perSensor;
            this.published = published;
            this.credited = new int[sensors];
        }

        @Override
        public void entryAdded(EntryEvent<String, WindowStats> event) {
            credit(event.getKey(), event.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<String, WindowStats> event) {
            credit(event.getKey(), event.getValue());
        }

        private synchronized void credit(String sensorId, WindowStats stats) {
            long now = System.nanoTime();
            int sensor = Integer.parseInt(sensorId.substring(sensorId.indexOf('-') + 1));
            // At least once: a count may exceed what was published.
            int count = (int) Math.min(stats.count(), perSensor);
            for (int k = credited[sensor]; k < count; k++) {
                latency.recordValue(Math.max(0, (now - published[k * sensors + sensor]) / 1000));
                visible++;
                lastVisibleNanos = now;
            }
            credited[sensor] = Math.max(credited[sensor], count);
        }

        synchronized long visible() {
            return visible;
        }

        synchronized long lastVisibleNanos() {
            return lastVisibleNanos;
        }

        synchronized Histogram latency() {
            return latency.copy();
        }
    }
}
