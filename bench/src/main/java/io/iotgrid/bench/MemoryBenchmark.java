package io.iotgrid.bench;

import com.hazelcast.config.Config;
import com.hazelcast.config.RingbufferConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.core.JobStatus;
import com.hazelcast.jet.pipeline.SourceBuilder;
import com.hazelcast.jet.pipeline.StreamSource;
import io.iotgrid.core.Decoded;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.RawReading;
import io.iotgrid.core.ReadingFormat;
import io.iotgrid.core.ReadingParser;
import io.iotgrid.jobs.AggregationJob;
import io.iotgrid.jobs.AggregationSettings;
import io.iotgrid.jobs.AggregationSettings.Duplicates;
import io.iotgrid.jobs.JobSerializers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import javax.management.JMException;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Heap per active sensor window of the {@link AggregationJob}: how much memory a member needs per sensor that has
 * an open window.
 * <p>
 * How to run (from the repository root):
 * <pre>
 * mvn -q -B -DskipTests -pl bench -am package
 * java -cp "bench/target/iot-grid-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath)" \
 *      io.iotgrid.bench.MemoryBenchmark --sensors 10000,100000 --runs 3
 * </pre>
 * Expected output, one block per run, then the spread per size (figures depend on the JVM):
 * <pre>
 * sensors=100000 duplicates=values liveness=off counted=100000 total=90.1 MB jobIdle=1.2 MB state=88.9 MB perSensor=889 B (IMap entries' own
 *   cost 320 B, the rest 569 B)
 *   sensor_stats owned entry cost=32.0 MB place_stats=31.4 KB
 *   top classes by growth (instances, bytes):
 *     [D                                                  +300312      14.4 MB
 *     ...
 * sensors=100000 bytes per sensor: 889 (887–891) over 3 runs
 * </pre>
 * <b>What is measured.</b> A member in this JVM, the readings of {@code N} sensors already generated (one JSON
 * reading each, all in one 10-minute window, pure event time so no window closes), heap used is measured after
 * full GCs ({@code System.gc()} until used stops falling, via {@code MemoryMXBean}): before the job is submitted,
 * with the job running and idle, and once every sensor has an entry in {@code sensor_stats} (so its window state
 * exists). {@code total} is the last minus the first; {@code state} excludes the job's fixed cost (processors,
 * queues) and is divided by {@code N} for the figure per sensor. Of it, the IMap entries of {@code sensor_stats}
 * and {@code place_stats} are their {@code getOwnedEntryMemoryCost()} (records, keys and values); the rest is
 * mostly the job's state (Jet's window accumulators per sensor and per place, the latest-window filter's
 * {@code long[2]} per key, with their keys and hash maps) plus what that cost leaves out of the maps (their hash
 * tables, and the expiry metadata of their time-to-live). The class histogram (what {@code jcmd <pid> GC.class_histogram} prints, taken in-process through
 * the DiagnosticCommand MBean) before the job and at the end shows which classes grew.
 * <p>
 * {@code --duplicates off,values} measures each size with the job's duplicate check off and with its default: the
 * difference is what the check keeps per sensor here (one remembered reading, in a set, per sensor with an open
 * window; each further distinct reading of the sensor in that window adds one set entry, which this benchmark,
 * one reading per sensor, does not show).
 * <p>
 * Sensor liveness ({@link AggregationSettings#LIVENESS}) is off, so the figures compare with those taken before it
 * existed; {@code --liveness} turns it on (with the anomaly rules at their defaults) and also waits for every
 * sensor's entry in {@code sensor_status}: the difference in {@code perSensor} between a run with and one without is
 * what liveness costs per sensor (its per-sensor state in the job, and the status map's entry).
 * <p>
 * Early results keep the default period (5 s). The readings Ringbuffer is renamed to one of capacity 1, so the
 * readings it would keep (a fixed 100 000 by default, not a per-sensor cost) do not blur the figure.
 */
public final class MemoryBenchmark {

    private static final int PORT = 6735;
    private static final int MAX_BATCH = 1024;
    private static final int TOP_CLASSES = 16;
    private static final String READINGS_RINGBUFFER = "memory_bench_readings";

    private MemoryBenchmark() {
    }

    /**
     * What one run measured.
     *
     * @param sensors          sensors with an open window
     * @param counted          entries in {@code sensor_stats} at the end
     * @param heapBefore       heap used before the job, bytes
     * @param heapJobIdle      heap used with the job running and no readings yet, bytes
     * @param heapAfter        heap used once every sensor has its window, bytes
     * @param sensorMapCost    {@code sensor_stats}' owned entry memory cost, bytes
     * @param placeMapCost     {@code place_stats}' owned entry memory cost, bytes
     * @param topClasses       classes that grew most from before the job to the end
     * @param statusMapCost    {@code sensor_status}' owned entry memory cost, bytes; 0 without liveness
     * @param duplicates       the job's duplicates setting
     * @param liveness         whether the job tracked sensor liveness and anomalies
     */
    public record Result(int sensors, long counted, long heapBefore, long heapJobIdle, long heapAfter,
                         long sensorMapCost, long placeMapCost, long statusMapCost, List<ClassGrowth> topClasses,
                         Duplicates duplicates, boolean liveness) {

        /** Heap growth from before the job to the end, bytes. */
        public long total() {
            return heapAfter - heapBefore;
        }

        /** Heap growth once the job runs, from the readings' state, bytes. */
        public long state() {
            return heapAfter - heapJobIdle;
        }

        /** {@link #state()} per sensor, bytes. */
        public double perSensor() {
            return (double) state() / sensors;
        }

        /** The result maps' entries (stats, and status with liveness) per sensor, bytes. */
        public double mapPerSensor() {
            return (double) (sensorMapCost + placeMapCost + statusMapCost) / sensors;
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                    "sensors=%d duplicates=%s liveness=%s counted=%d total=%s jobIdle=%s state=%s perSensor=%.0f B "
                            + "(IMap entries' own cost %.0f B, the rest %.0f B)%n  sensor_stats owned entry cost=%s "
                            + "place_stats=%s sensor_status=%s%n  top classes by growth (instances, bytes):",
                    sensors, duplicates.name().toLowerCase(Locale.ROOT), liveness ? "on" : "off", counted,
                    size(total()), size(heapJobIdle - heapBefore), size(state()), perSensor(), mapPerSensor(),
                    perSensor() - mapPerSensor(), size(sensorMapCost), size(placeMapCost), size(statusMapCost)));
            for (ClassGrowth c : topClasses) {
                s.append(String.format(Locale.ROOT, "%n    %-60s %+10d %12s", c.name(), c.instances(),
                        size(c.bytes())));
            }
            return s.toString();
        }
    }

    /**
     * How much one class grew in the class histogram.
     *
     * @param name      class name as the histogram prints it ({@code [J} is {@code long[]})
     * @param instances instances added
     * @param bytes     bytes added
     */
    public record ClassGrowth(String name, long instances, long bytes) {
    }

    /** The command line of {@link #main}. */
    @Command(name = "MemoryBenchmark", sortOptions = false,
            description = "Heap per sensor of the aggregation job's state and result maps.")
    static final class Options {

        @Option(names = "--sensors", paramLabel = "N", split = ",",
                description = "sensor counts, one series of runs each (default 10000,100000)")
        int[] sensors = {10_000, 100_000};

        @Option(names = "--runs", paramLabel = "N", description = "runs per sensor count (default ${DEFAULT-VALUE})")
        int runs = 3;

        @Option(names = "--duplicates", paramLabel = "MODE", split = ",",
                description = "the job's duplicates setting, one series of runs each: off, values, timestamp; "
                        + "e.g. off,values shows what de-duplication costs per sensor (default values, the job's "
                        + "default)")
        Duplicates[] duplicates = {Duplicates.VALUES};

        @Option(names = "--liveness", description = "run the job with sensor liveness and anomaly alerts (off by "
                + "default, as when the figures were first taken); compare with a run without for their heap per "
                + "sensor")
        boolean liveness;

        @Mixin
        Bench.Help help;
    }

    public static void main(String[] args) throws Exception {
        Options options = Bench.options(new Options(), args);
        int[] sizes = options.sensors;
        int runs = options.runs;
        List<String> spreads = new ArrayList<>();
        for (Duplicates duplicates : options.duplicates) {
            for (int sensors : sizes) {
                String series = "sensors=" + sensors + " duplicates=" + duplicates.name().toLowerCase(Locale.ROOT)
                        + (options.liveness ? " liveness=on" : "");
                List<Result> results = new ArrayList<>();
                for (int r = 0; r < runs; r++) {
                    Result result = run(sensors, PORT, Duration.ofMinutes(5), duplicates, options.liveness);
                    System.out.println(result);
                    results.add(result);
                }
                spreads.add(Spread.of(series + " bytes per sensor",
                        results.stream().mapToDouble(Result::perSensor).toArray()).toString());
                spreads.add(Spread.of(series + " of which IMap entries, bytes per sensor",
                        results.stream().mapToDouble(Result::mapPerSensor).toArray()).toString());
                spreads.add(Spread.of(series + " total heap growth, MB",
                        results.stream().mapToDouble(x -> x.total() / 1e6).toArray()).toString());
            }
        }
        spreads.forEach(System.out::println);
        System.exit(0);
    }

    /**
     * One run: a member on {@code memberPort}, the readings of {@code sensors} sensors, the job, and the heap
     * measured before the job, with it idle, and once every sensor has an entry in {@code sensor_stats} (waited for
     * at most {@code atMost}), with the job's {@code duplicates} setting, and with sensor liveness when
     * {@code liveness} (then also until every sensor has an entry in {@code sensor_status}).
     */
    public static Result run(int sensors, int memberPort, Duration atMost, Duplicates duplicates, boolean liveness)
            throws InterruptedException, JMException {
        if (sensors <= 0) {
            throw new IllegalArgumentException("sensors must be positive, was " + sensors);
        }
        AggregationSettings settings = AggregationSettings.builder()
                .set(AggregationSettings.WINDOW_SIZE, Duration.ofMinutes(10))
                .set(AggregationSettings.QUIET_CLOSE_AFTER, null)
                .set(AggregationSettings.READINGS_RINGBUFFER, READINGS_RINGBUFFER)
                .set(AggregationSettings.DUPLICATES, duplicates)
                .set(AggregationSettings.LIVENESS, liveness)
                .build();
        Config config = GridConfigs.loopbackMember("memory-" + UUID.randomUUID(), memberPort);
        config.setProperty("hazelcast.logging.type", "log4j2");
        config.addRingBufferConfig(new RingbufferConfig(READINGS_RINGBUFFER).setCapacity(1).setBackupCount(0));
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
        try {
            Feed.prepare(sensors, System.currentTimeMillis());
            Map<String, long[]> histogramBefore = classHistogram();
            long before = settledHeapUsed();
            Job job = member.getJet().newJob(AggregationJob.build(feed(), settings),
                    JobSerializers.register(new JobConfig().setName("memory-benchmark")));
            waitFor(() -> job.getStatus() == JobStatus.RUNNING, atMost, "the job to run");
            long jobIdle = settledHeapUsed();
            Feed.go();
            var stats = member.getMap(settings.sensorStatsMap());
            waitFor(() -> stats.size() >= sensors, atMost, "an entry per sensor in " + settings.sensorStatsMap());
            var status = member.getMap(settings.sensorStatusMap());
            if (liveness) {
                waitFor(() -> status.size() >= sensors, atMost, "an entry per sensor in " + settings.sensorStatusMap());
            }
            long after = settledHeapUsed();
            Map<String, long[]> histogramAfter = classHistogram();
            long counted = stats.size();
            long sensorCost = stats.getLocalMapStats().getOwnedEntryMemoryCost();
            long placeCost = member.getMap(settings.placeStatsMap()).getLocalMapStats().getOwnedEntryMemoryCost();
            long statusCost = status.getLocalMapStats().getOwnedEntryMemoryCost();
            Bench.cancel(job);
            return new Result(sensors, counted, before, jobIdle, after, sensorCost, placeCost, statusCost,
                    growth(histogramBefore, histogramAfter), duplicates, liveness);
        } finally {
            Feed.clear();
            member.shutdown();
        }
    }

    private interface Condition {
        boolean met();
    }

    private static void waitFor(Condition condition, Duration atMost, String what) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!condition.met()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + atMost + " waiting for " + what);
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    /**
     * Heap used after full collections: {@code System.gc()} until used stops falling by more than 1 %, at most ten
     * times; the lowest value seen, since the job may allocate between two collections (early results).
     */
    static long settledHeapUsed() {
        var memory = ManagementFactory.getMemoryMXBean();
        long lowest = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long used = memory.getHeapMemoryUsage().getUsed();
            boolean falling = used < lowest * 0.99;
            lowest = Math.min(lowest, used);
            if (!falling) {
                break;
            }
        }
        return lowest;
    }

    /**
     * The live-object class histogram, as {@code jcmd <pid> GC.class_histogram} prints it: name → instances, bytes.
     */
    static Map<String, long[]> classHistogram() throws JMException {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[]{null}, new String[]{String[].class.getName()});
        Map<String, long[]> byClass = new HashMap<>();
        for (String line : text.split("\n")) {
            // "   1:         12345        678900  java.lang.String (java.base@17.0.9)"
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                byClass.put(f[3], new long[]{Long.parseLong(f[1]), Long.parseLong(f[2])});
            }
        }
        return byClass;
    }

    private static List<ClassGrowth> growth(Map<String, long[]> before, Map<String, long[]> after) {
        List<ClassGrowth> grown = new ArrayList<>();
        after.forEach((name, a) -> {
            long[] b = before.getOrDefault(name, new long[2]);
            grown.add(new ClassGrowth(name, a[0] - b[0], a[1] - b[1]));
        });
        grown.sort(Comparator.comparingLong(ClassGrowth::bytes).reversed());
        return List.copyOf(grown.subList(0, Math.min(TOP_CLASSES, grown.size())));
    }

    private static String size(long bytes) {
        if (Math.abs(bytes) >= 1_000_000) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
        }
        if (Math.abs(bytes) >= 1_000) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1e3);
        }
        return bytes + " B";
    }

    /**
     * One reading per sensor, from the generated {@link Feed}, once it is let go; parsed in the source, as the job's
     * CoAP and Kafka sources do.
     */
    static StreamSource<Decoded> feed() {
        ReadingParser parser = new ReadingParser(ReadingFormat.nested());
        return SourceBuilder.stream("memoryFeed", ctx -> new int[1])
                .<Decoded>fillBufferFn((next, buf) -> {
                    RawReading[] readings = Feed.readings;
                    if (!Feed.released || next[0] >= readings.length) {
                        return;
                    }
                    int end = Math.min(readings.length, next[0] + MAX_BATCH);
                    for (int i = next[0]; i < end; i++) {
                        buf.add(parser.parse(readings[i]));
                    }
                    next[0] = end;
                })
                .build();
    }

    /**
     * The readings, generated before the first heap measure so they are in every measure alike; static because
     * the source runs on a member thread in this JVM, which has the class, not the benchmark's objects.
     */
    static final class Feed {
        private static volatile RawReading[] readings = new RawReading[0];
        private static volatile boolean released;

        private Feed() {
        }

        static void prepare(int sensors, long timestamp) {
            BenchReadings data = new BenchReadings(sensors, Math.min(100, sensors), 1, timestamp);
            RawReading[] generated = new RawReading[sensors];
            for (int s = 0; s < sensors; s++) {
                generated[s] = new RawReading("bench:memory", timestamp,
                        BenchReadings.json(BenchReadings.sensorId(s), data.placeId(s), timestamp,
                                BenchReadings.temperature(s, 0), BenchReadings.humidity(s, 0),
                                BenchReadings.pressure(s, 0), BenchReadings.luminosity(s, 0)));
            }
            released = false;
            readings = generated;
        }

        static void go() {
            released = true;
        }

        static void clear() {
            released = false;
            readings = new RawReading[0];
        }
    }
}
