package io.iotgrid.bench;

import com.hazelcast.config.Config;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.pipeline.SourceBuilder.SourceBuffer;
import com.hazelcast.jet.pipeline.SourceBuilder;
import com.hazelcast.jet.pipeline.StreamSource;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.query.Predicates;
import io.iotgrid.core.Decoded;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.RawReading;
import io.iotgrid.core.ReadingFormat;
import io.iotgrid.core.ReadingParser;
import io.iotgrid.core.WindowStats;
import io.iotgrid.jobs.AggregationJob;
import io.iotgrid.jobs.AggregationSettings;
import io.iotgrid.jobs.JobSerializers;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Latency of the {@link AggregationJob} with early results: the time from a reading's creation to its effect being
 * visible in the {@code sensor_stats} IMap, at fixed input rates.
 * <p>
 * How to run (from the repository root):
 * <pre>
 * mvn -q -B -DskipTests -pl bench -am package
 * java -cp "bench/target/iot-grid-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath)" \
 *      io.iotgrid.bench.LatencyBenchmark --rates 10000,50000,100000 --early 10ms --sensors 10000 \
 *      --warmup 10s --duration 30s --runs 3
 * </pre>
 * Output, one line per run, then the spread per rate; these lines are from a run on the 2-core development
 * machine (BENCHMARKS.md):
 * <pre>
 * rate=50000/s early=10ms sensors=10000 created=1500012 achieved=50000/s behindMax=25ms visible=1500012
 *   notVisible=0 (superseded 0) latency ms p50=7.2 p99=14.6 p99.9=21.0 max=36.5 cpu=60% load=2.97 keptUp=true
 * ...
 * rate=50000/s early=10ms p99 ms: 15 (15–15) over 3 runs
 * </pre>
 * <b>What is measured.</b> A source in the job (one instance, on the one member) creates {@code RawReading}s of
 * {@link BenchReadings}' JSON at the given total rate, sensor after sensor in turn, each stamped with the wall clock
 * at its creation as its event time. It paces itself by the clock: each call emits what is due by then, so when
 * the job falls behind the source creates readings later, never backdated; the achieved rate shows it. For each
 * sensor the creation instants ({@link System#nanoTime}) of its readings are kept in order. A local entry listener
 * on {@code sensor_stats} (same JVM) reads each update: sensor {@code s}, window {@code w}, count {@code c} makes
 * the first {@code c} readings of {@code s} in {@code w} visible; those not credited before are credited now, and
 * {@code now - creation} goes into a histogram (µs). Only readings created in the measured interval count. The
 * listener's own work (each update's value deserialized on an event thread) runs on the same cores as the job and
 * is part of what is measured, as a client's reads would be.
 * <p>
 * Readings created in the interval and never credited by the end (plus a grace of 5 s and two early periods) are
 * counted as {@code notVisible}: still in the pipeline when measuring stopped, or {@code superseded}: in a window
 * whose result was replaced by the next window's before it showed them (the map holds the latest window per
 * sensor, and a sink batch holding a sensor's early results of both windows writes only the newer).
 * {@code behindMax} is the most the source lagged behind its schedule (the job's backpressure held it back);
 * {@code keptUp} is true when the source reached 99 % of the rate, was never more than a second behind, and every
 * measured reading became visible.
 * <p>
 * Each run starts a fresh member with a new cluster name in this JVM (the source and the listener share the
 * static record of creation instants, which a forked JVM would have to ship over a socket): runs after the first
 * benefit from a warm JIT, which the warm-up gives the first run too.
 */
public final class LatencyBenchmark {

    private static final int PORT = 6720;
    /** Readings a single source call creates at most, so it returns to Jet's cooperative thread quickly. */
    private static final int MAX_BATCH = 1024;
    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final Duration LATENESS = Duration.ofSeconds(5);
    private static final Duration GRACE = Duration.ofSeconds(5);

    private LatencyBenchmark() {
    }

    /**
     * What one run measured.
     *
     * @param rate           readings per second asked for
     * @param early          early-results period
     * @param sensors        number of sensors
     * @param duration       measured interval
     * @param created        readings created in the measured interval
     * @param achievedRate   {@code created} per second
     * @param notVisible     readings of {@code created} whose effect never became visible
     * @param superseded     of {@code notVisible}, those whose window's result was replaced by the next window's in
     *                       the map before it showed them; the others were still on their way at the end
     * @param behindMillis   the most the source was behind its schedule in the interval, ms: how far back the
     *                       job's backpressure held it
     * @param latencyMicros  creation to visibility of the others, µs
     * @param cpu            this process's CPU time over the interval, as a share of all cores
     * @param loadAverage    the system's one-minute load average at the end of the interval
     */
    public record Result(int rate, Duration early, int sensors, Duration duration, long created,
                         double achievedRate, long notVisible, long superseded, long behindMillis,
                         Histogram latencyMicros, double cpu, double loadAverage) {

        /** The most a source that keeps up may lag behind its schedule, ms. */
        public static final long KEPT_UP_BEHIND_MILLIS = 1_000;

        /** Readings whose effect became visible. */
        public long visible() {
            return latencyMicros.getTotalCount();
        }

        /**
         * The source reached 99 % of the rate, was never more than {@value #KEPT_UP_BEHIND_MILLIS} ms behind its
         * schedule, and every reading's effect became visible.
         */
        public boolean keptUp() {
            return achievedRate >= 0.99 * rate && behindMillis <= KEPT_UP_BEHIND_MILLIS && notVisible == 0;
        }

        /** A percentile of the latency, ms. */
        public double ms(double percentile) {
            return latencyMicros.getValueAtPercentile(percentile) / 1000.0;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "rate=%d/s early=%s sensors=%d created=%d achieved=%.0f/s "
                            + "behindMax=%dms visible=%d notVisible=%d (superseded %d) latency ms p50=%.1f p99=%.1f "
                            + "p99.9=%.1f max=%.1f cpu=%.0f%% load=%.2f keptUp=%b",
                    rate, millis(early), sensors, created, achievedRate, behindMillis, visible(),
                    notVisible, superseded, ms(50), ms(99),
                    ms(99.9), latencyMicros.getMaxValue() / 1000.0, cpu * 100, loadAverage, keptUp());
        }
    }

    /** The command line of {@link #main}. */
    @Command(name = "LatencyBenchmark", sortOptions = false,
            description = "Latency from a reading's creation until its window's aggregate is visible in the grid.")
    static final class Options {

        @Option(names = "--rates", paramLabel = "R", split = ",",
                description = "readings per second, one series of runs each (default 10000,50000,100000)")
        int[] rates = {10_000, 50_000, 100_000};

        @Option(names = "--early", paramLabel = "D", converter = Bench.DurationConverter.class,
                description = "early results period (default 10ms)")
        Duration early = Duration.ofMillis(10);

        @Option(names = "--sensors", paramLabel = "N", description = "sensors (default ${DEFAULT-VALUE})")
        int sensors = 10_000;

        @Mixin
        Bench.Timing timing;

        @Option(names = "--runs", paramLabel = "N", description = "runs per rate (default ${DEFAULT-VALUE})")
        int runs = 3;

        @Mixin
        Bench.Help help;
    }

    public static void main(String[] args) throws Exception {
        Options options = Bench.options(new Options(), args);
        int[] rates = options.rates;
        Duration early = options.early;
        int sensors = options.sensors;
        Duration warmup = options.timing.warmup;
        Duration duration = options.timing.duration;
        int runs = options.runs;
        List<String> spreads = new ArrayList<>();
        for (int rate : rates) {
            List<Result> results = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                Result result = run(rate, early, sensors, warmup, duration, PORT);
                System.out.println(result);
                results.add(result);
            }
            String prefix = "rate=" + rate + "/s early=" + millis(early) + " ";
            spreads.add(Spread.of(prefix + "p50 ms", results.stream().mapToDouble(x -> x.ms(50)).toArray())
                    .toString());
            spreads.add(Spread.of(prefix + "p99 ms", results.stream().mapToDouble(x -> x.ms(99)).toArray())
                    .toString());
            spreads.add(Spread.of(prefix + "p99.9 ms", results.stream().mapToDouble(x -> x.ms(99.9)).toArray())
                    .toString());
            spreads.add(Spread.of(prefix + "achieved readings/s",
                    results.stream().mapToDouble(Result::achievedRate).toArray()).toString());
            spreads.add(Spread.of(prefix + "not visible",
                    results.stream().mapToDouble(Result::notVisible).toArray()).toString());
        }
        spreads.forEach(System.out::println);
        System.exit(0);
    }

    private static String millis(Duration d) {
        return d.toMillis() + "ms";
    }

    /**
     * One run: starts a member on {@code memberPort} with a fresh cluster name, runs the aggregation job on the
     * paced source for {@code warmup} then {@code duration}, waits out the grace, and stops the member.
     */
    public static Result run(int rate, Duration early, int sensors, Duration warmup, Duration duration,
                             int memberPort) throws InterruptedException {
        if (rate <= 0 || sensors <= 0) {
            throw new IllegalArgumentException("rate and sensors must be positive, were " + rate + ", " + sensors);
        }
        Tracker.reset(sensors);
        AggregationSettings settings = AggregationSettings.builder()
                .set(AggregationSettings.WINDOW_SIZE, WINDOW)
                .set(AggregationSettings.ALLOWED_LATENESS, LATENESS)
                .set(AggregationSettings.EARLY_RESULTS_PERIOD, early).build();

        Config config = GridConfigs.loopbackMember("latency-" + UUID.randomUUID(), memberPort);
        config.setProperty("hazelcast.logging.type", "log4j2");
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
        try {
            IMap<String, WindowStats> stats = member.getMap(settings.sensorStatsMap());
            stats.addLocalEntryListener(new Crediting(), Predicates.alwaysTrue(), true);
            Job job = member.getJet().newJob(AggregationJob.build(pacedSource(rate, sensors), settings),
                    JobSerializers.register(new JobConfig().setName("latency-benchmark")));

            TimeUnit.MILLISECONDS.sleep(warmup.toMillis());
            long cpuBefore = Bench.processCpuNanos();
            long from = System.nanoTime();
            Tracker.measure(from, from + duration.toNanos());
            TimeUnit.MILLISECONDS.sleep(duration.toMillis());
            long cpu = Bench.processCpuNanos() - cpuBefore;
            double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            TimeUnit.MILLISECONDS.sleep(GRACE.plus(early.multipliedBy(2)).toMillis());
            long[] notVisible = Tracker.close();
            Bench.cancel(job);

            long created = Tracker.CREATED.get();
            double seconds = duration.toNanos() / 1e9;
            return new Result(rate, early, sensors, duration, created, created / seconds,
                    notVisible[0] + notVisible[1], notVisible[0],
                    Tracker.MAX_BEHIND_MILLIS.get(),
                    Tracker.LATENCY.copy(), cpu / (duration.toNanos() * (double) Runtime.getRuntime()
                    .availableProcessors()), load);
        } finally {
            member.shutdown();
        }
    }

    /**
     * Readings at {@code rate} per second in total, sensor after sensor, created when due by the clock and
     * recorded in the {@link Tracker}.
     */
    static StreamSource<Decoded> pacedSource(int rate, int sensors) {
        return SourceBuilder.stream("pacedReadings(rate=" + rate + "/s, sensors=" + sensors + ")",
                        ctx -> new Pacer(rate, sensors))
                .<Decoded>fillBufferFn(Pacer::fill)
                .build();
    }

    /** The state of the paced source. */
    static final class Pacer {
        private static final long WINDOW_MILLIS = WINDOW.toMillis();
        private final int rate;
        private final int sensors;
        private final BenchReadings readings;
        /** Parses in the source, as the job's CoAP and Kafka sources do. */
        private final ReadingParser parser = new ReadingParser(ReadingFormat.nested());
        private final String[] sensorIds;
        private final String[] placeIds;
        private long startNanos;
        private long emitted;

        Pacer(int rate, int sensors) {
            this.rate = rate;
            this.sensors = sensors;
            this.readings = new BenchReadings(sensors, Math.min(100, sensors), 1, 0);
            this.sensorIds = new String[sensors];
            this.placeIds = new String[sensors];
            for (int s = 0; s < sensors; s++) {
                sensorIds[s] = BenchReadings.sensorId(s);
                placeIds[s] = readings.placeId(s);
            }
        }

        void fill(SourceBuffer<Decoded> buf) {
            long now = System.nanoTime();
            if (startNanos == 0) {
                startNanos = now;
            }
            long due = (long) ((now - startNanos) * (rate / 1e9));
            if (Tracker.measured(now)) {
                Tracker.behind((due - emitted) * 1000 / rate);
            }
            int n = (int) Math.min(due - emitted, MAX_BATCH);
            if (n <= 0) {
                return;
            }
            // One instant for the batch: its readings are created within microseconds of each other.
            long wall = System.currentTimeMillis();
            long window = wall - Math.floorMod(wall, WINDOW_MILLIS);
            for (int i = 0; i < n; i++) {
                int s = (int) (emitted % sensors);
                long k = emitted / sensors;
                byte[] json = BenchReadings.json(sensorIds[s], placeIds[s], wall,
                        BenchReadings.temperature(s, k), BenchReadings.humidity(s, k),
                        BenchReadings.pressure(s, k), BenchReadings.luminosity(s, k));
                Tracker.created(s, now, window);
                buf.add(parser.parse(new RawReading("bench:latency", wall, json)));
                emitted++;
            }
        }
    }

    /** Credits the readings an update of {@code sensor_stats} makes visible. */
    static final class Crediting implements EntryAddedListener<String, WindowStats>,
            EntryUpdatedListener<String, WindowStats> {

        @Override
        public void entryAdded(EntryEvent<String, WindowStats> event) {
            credit(event.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<String, WindowStats> event) {
            credit(event.getValue());
        }

        private static void credit(WindowStats stats) {
            long now = System.nanoTime();
            String id = stats.id();
            int sensor = Integer.parseInt(id, 2, id.length(), 10);
            Tracker.credit(sensor, stats.windowStart(), stats.count(), now);
        }
    }

    /**
     * Creation instants per sensor, shared by the source (on a Jet thread) and the listener (on event threads):
     * static because the member runs in this JVM and its threads have the class, not the benchmark's objects.
     */
    static final class Tracker {
        static final ConcurrentHistogram LATENCY = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(10), 3);
        /** Readings created in the measured interval. */
        static final AtomicLong CREATED = new AtomicLong();
        /** The most the source was behind its schedule in the measured interval, ms. */
        static final AtomicLong MAX_BEHIND_MILLIS = new AtomicLong();
        private static volatile SensorLog[] logs = new SensorLog[0];
        private static volatile long measureFrom = Long.MAX_VALUE;
        private static volatile long measureUntil = Long.MAX_VALUE;

        private Tracker() {
        }

        static void reset(int sensors) {
            measureFrom = Long.MAX_VALUE;
            measureUntil = Long.MAX_VALUE;
            SensorLog[] fresh = new SensorLog[sensors];
            for (int s = 0; s < sensors; s++) {
                fresh[s] = new SensorLog();
            }
            logs = fresh;
            LATENCY.reset();
            CREATED.set(0);
            MAX_BEHIND_MILLIS.set(0);
        }

        static void behind(long millis) {
            if (millis > MAX_BEHIND_MILLIS.get()) {
                MAX_BEHIND_MILLIS.accumulateAndGet(millis, Math::max);
            }
        }

        static void measure(long fromNanos, long untilNanos) {
            measureUntil = untilNanos;
            measureFrom = fromNanos;
        }

        static boolean measured(long nanos) {
            return nanos >= measureFrom && nanos < measureUntil;
        }

        /** Records a reading; whether it counts is decided here, once, and kept with it. */
        static void created(int sensor, long nanos, long windowStart) {
            boolean measured = measured(nanos);
            if (measured) {
                CREATED.incrementAndGet();
            }
            logs[sensor].add(nanos, windowStart, measured);
        }

        static void credit(int sensor, long windowStart, long count, long nowNanos) {
            SensorLog[] current = logs;
            if (sensor >= 0 && sensor < current.length) {
                current[sensor].credit(windowStart, count, nowNanos);
            }
        }

        /**
         * Stops crediting and returns the measured readings never credited: those superseded by a newer window,
         * and those still waiting.
         */
        static long[] close() {
            long[] notVisible = new long[2];
            for (SensorLog log : logs) {
                // close() holds the log's lock, after which superseded no longer changes.
                notVisible[1] += log.close();
                notVisible[0] += log.superseded;
            }
            return notVisible;
        }
    }

    /**
     * One sensor's readings not credited yet, oldest first: creation instants, window starts, and whether each
     * was created in the measured interval.
     */
    static final class SensorLog {
        private long[] nanos = new long[8];
        private long[] windows = new long[8];
        private boolean[] measured = new boolean[8];
        private int head;
        private int size;
        private long creditedWindow = Long.MIN_VALUE;
        private long creditedCount;
        private long superseded;
        private boolean closed;

        synchronized void add(long creationNanos, long windowStart, boolean counts) {
            if (size == nanos.length) {
                grow();
            }
            int tail = (head + size) % nanos.length;
            nanos[tail] = creationNanos;
            windows[tail] = windowStart;
            measured[tail] = counts;
            size++;
        }

        synchronized void credit(long windowStart, long count, long nowNanos) {
            if (closed) {
                return;
            }
            // The map shows only the latest window: once a newer one shows, an older one's rest never will.
            while (size > 0 && windows[head] < windowStart) {
                if (measured[head]) {
                    superseded++;
                }
                pop();
            }
            if (windowStart != creditedWindow) {
                creditedWindow = windowStart;
                creditedCount = 0;
            }
            while (creditedCount < count && size > 0 && windows[head] == windowStart) {
                if (measured[head]) {
                    long micros = (nowNanos - nanos[head]) / 1_000;
                    Tracker.LATENCY.recordValue(Math.min(Math.max(micros, 0),
                            Tracker.LATENCY.getHighestTrackableValue()));
                }
                pop();
                creditedCount++;
            }
        }

        /** Stops crediting; returns how many measured readings are still waiting. */
        synchronized long close() {
            closed = true;
            long waiting = 0;
            for (int i = 0; i < size; i++) {
                if (measured[(head + i) % nanos.length]) {
                    waiting++;
                }
            }
            return waiting;
        }

        private void pop() {
            head = (head + 1) % nanos.length;
            size--;
        }

        private void grow() {
            long[] n = new long[nanos.length * 2];
            long[] w = new long[nanos.length * 2];
            boolean[] m = new boolean[nanos.length * 2];
            for (int i = 0; i < size; i++) {
                int from = (head + i) % nanos.length;
                n[i] = nanos[from];
                w[i] = windows[from];
                m[i] = measured[from];
            }
            nanos = n;
            windows = w;
            measured = m;
            head = 0;
        }
    }
}
