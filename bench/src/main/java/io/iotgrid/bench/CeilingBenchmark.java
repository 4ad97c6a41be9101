package io.iotgrid.bench;

import com.hazelcast.config.Config;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.config.ProcessingGuarantee;
import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.SourceBuilder;
import com.hazelcast.jet.pipeline.StreamSource;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.iotgrid.core.Decoded;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.GridNames;
import io.iotgrid.core.RawReading;
import io.iotgrid.core.ReadingFormat;
import io.iotgrid.core.ReadingParser;
import io.iotgrid.core.SensorReading;
import io.iotgrid.core.WindowStats;
import io.iotgrid.jobs.AggregationSettings;
import io.iotgrid.jobs.AggregationSettings.Duplicates;
import io.iotgrid.jobs.JobSerializers;
import io.iotgrid.jobs.KafkaAggregationJob;
import io.iotgrid.jobs.KafkaJobSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The aggregation job's ceiling on this box, without Kafka: an in-memory source hands the job readings that are
 * already in memory, as JSON bytes ({@code parse}: the whole job, parsing included) or as parsed
 * {@link SensorReading}s ({@code no-parse}: everything after parsing), so the difference shows what parsing costs.
 * The job is the Kafka flavour's pipeline ({@link KafkaAggregationJob#build}) with this source in place of Kafka's,
 * parsing in the source as the Kafka source's projection does.
 * The readings are {@link BenchReadings}' (default 5 000 000 readings of 10 000 sensors in 100 places over 4
 * partitions, event times 1 ms apart per partition), generated before the clock starts; the job runs on one member in this JVM, 1-minute windows, final results only, processing
 * guarantee none (the in-memory source cannot replay).
 * <p>
 * A run is timed from submitting the job until every sensor's final result of every window is in the
 * {@value GridNames#SENSOR_STATS} IMap (seen by an entry listener); readings per second are the readings over that
 * time. One sentinel reading per partition, stamped two windows after the data, lets the watermark close the last
 * window. The first run of each variant warms the JIT up and is not counted; the variants then alternate.
 * Each run also reports the CPU time of this JVM per reading. {@code --duplicates off,values} runs the series once
 * with the job's duplicate check off and once with its default, so the difference is what de-duplication costs per
 * reading (the readings are distinct: every one is remembered, none dropped).
 * <p>
 * The runs are without sensor liveness ({@link AggregationSettings#LIVENESS} off), so the figures compare with those
 * measured before it existed. {@code --liveness} compares instead no-parse with liveness and anomaly alerts (at their
 * defaults) against no-parse without, and prints the CPU they add per reading, run by run. {@code --shipped} runs
 * parse against no-parse as the job ships, liveness on in both: the job's ceiling at its defaults.
 * <pre>
 *   java -cp ... io.iotgrid.bench.CeilingBenchmark --readings 5000000 --runs 3 --duplicates off,values
 *   java -cp ... io.iotgrid.bench.CeilingBenchmark --readings 5000000 --runs 3 --liveness
 *   java -cp ... io.iotgrid.bench.CeilingBenchmark --readings 5000000 --runs 5 --shipped
 * </pre>
 */
public final class CeilingBenchmark {

    private static final String SENTINEL_PREFIX = "sentinel-";

    /** Items handed over per call of the source; Jet's outbox takes what it can. */
    private static final int SOURCE_BATCH = 1024;

    /** The readings of the current run; static because the member that runs the source shares this JVM. */
    private static volatile Object[][] input;

    private CeilingBenchmark() {
    }

    /**
     * What one run measured.
     *
     * @param parse    whether the source parsed JSON
     * @param liveness whether the job tracked sensor liveness and anomalies ({@link AggregationSettings#LIVENESS})
     * @param cpuNanos CPU time of the whole process during the run (the job, GC, the map's entry listener)
     */
    public record Result(boolean parse, Duplicates duplicates, boolean liveness, long readings, int windows,
                         Duration elapsed, long cpuNanos) {

        public double readingsPerSecond() {
            return readings / (elapsed.toNanos() / 1e9);
        }

        /** CPU time of this JVM (member, job, source) per reading, µs: what a feature costs beyond wall time. */
        public double cpuMicrosPerReading() {
            return cpuNanos / 1e3 / readings;
        }

        /** {@code parse} or {@code no-parse}, with {@code +liveness} when liveness ran. */
        public String variant() {
            return (parse ? "parse" : "no-parse") + (liveness ? "+liveness" : "");
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "variant=%s duplicates=%s readings=%d final sensor windows=%d "
                    + "seconds=%.2f readings/s=%.0f cpu-us/reading=%.3f", variant(),
                    duplicates.name().toLowerCase(Locale.ROOT), readings, windows, elapsed.toNanos() / 1e9,
                    readingsPerSecond(), cpuMicrosPerReading());
        }
    }

    /** The command line of {@link #main}. */
    @Command(name = "CeilingBenchmark", sortOptions = false,
            description = "The aggregation job's ceiling: readings per second with and without JSON parsing.")
    static final class Options {

        @Option(names = "--readings", paramLabel = "N", description = "readings per run (default ${DEFAULT-VALUE})")
        long readings = 5_000_000;

        @Option(names = "--sensors", paramLabel = "N", description = "sensors (default ${DEFAULT-VALUE})")
        int sensors = 10_000;

        @Option(names = "--runs", paramLabel = "N", description = "runs of each variant (default ${DEFAULT-VALUE})")
        int runs = 3;

        @Option(names = "--duplicates", paramLabel = "MODE", split = ",",
                description = "the job's duplicates setting, one series of runs each: off, values, timestamp; "
                        + "e.g. off,values shows what de-duplication costs (default values, the job's default)")
        Duplicates[] duplicates = {Duplicates.VALUES};

        @Option(names = "--liveness", description = "compare no-parse with and without sensor liveness and anomaly "
                + "alerts, for the CPU they add per reading, instead of parse with no-parse (both without liveness)")
        boolean liveness;

        @Option(names = "--shipped", description = "compare parse with no-parse as the job ships: sensor liveness and "
                + "anomaly alerts on in both (without this option both leave them off)")
        boolean shipped;

        @Mixin
        Bench.Help help;
    }

    public static void main(String[] args) throws Exception {
        Options options = Bench.options(new Options(), args);
        if (options.liveness && options.shipped) {
            System.err.println("--liveness and --shipped compare different things: give one of them");
            System.exit(2);
        }
        long readings = options.readings;
        int sensors = options.sensors;
        int runs = options.runs;
        BenchReadings data = new BenchReadings(sensors, 100, 4, alignedStart());
        Config config = GridConfigs.loopbackMember("bench-ceiling-" + UUID.randomUUID(), 6090);
        config.setProperty("hazelcast.logging.type", "log4j2");
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
        try {
            for (Duplicates duplicates : options.duplicates) {
                // Variant a against variant b: parse against no-parse (both with liveness when shipped), or no-parse
                // with liveness against without.
                boolean parseA = !options.liveness;
                boolean livenessA = options.liveness || options.shipped;
                boolean livenessB = options.shipped;
                List<Result> a = new ArrayList<>();
                List<Result> b = new ArrayList<>();
                System.out.println("warm-up: " + run(member, data, readings, parseA, duplicates, livenessA));
                System.out.println("warm-up: " + run(member, data, readings, false, duplicates, livenessB));
                for (int r = 0; r < runs; r++) {
                    Result first = run(member, data, readings, parseA, duplicates, livenessA);
                    System.out.println("run " + (r + 1) + ": " + first);
                    a.add(first);
                    Result second = run(member, data, readings, false, duplicates, livenessB);
                    System.out.println("run " + (r + 1) + ": " + second);
                    b.add(second);
                }
                String mode = " (duplicates=" + duplicates.name().toLowerCase(Locale.ROOT) + ")";
                String nameA = a.get(0).variant();
                String nameB = b.get(0).variant();
                System.out.println(Spread.of(nameA + " readings/s" + mode, rates(a)));
                System.out.println(Spread.of(nameB + " readings/s" + mode, rates(b)));
                System.out.println(Spread.of(nameA + " cpu-us/reading" + mode,
                        a.stream().mapToDouble(Result::cpuMicrosPerReading).toArray()));
                System.out.println(Spread.of(nameB + " cpu-us/reading" + mode,
                        b.stream().mapToDouble(Result::cpuMicrosPerReading).toArray()));
                double[] share = new double[runs];
                double[] cpuAdded = new double[runs];
                for (int r = 0; r < runs; r++) {
                    share[r] = a.get(r).readingsPerSecond() / b.get(r).readingsPerSecond();
                    cpuAdded[r] = a.get(r).cpuMicrosPerReading() - b.get(r).cpuMicrosPerReading();
                }
                System.out.println(Spread.of("ratio " + nameA + "/" + nameB + mode, share));
                System.out.println(Spread.of((options.liveness ? "liveness" : "parsing") + " adds cpu-us/reading"
                        + mode, cpuAdded));
            }
        } finally {
            member.shutdown();
        }
        System.exit(0);
    }

    /**
     * One run on {@code member}: generates {@code readings} readings (as JSON bytes when {@code parse}), runs the
     * job with {@code duplicates}, and with sensor liveness when {@code liveness}, until every final sensor window is
     * in the map, then cancels it and clears the maps.
     */
    public static Result run(HazelcastInstance member, BenchReadings data, long readings, boolean parse,
                             Duplicates duplicates, boolean liveness) throws InterruptedException {
        long perPartition = readings / data.partitions();
        Loaded loaded = load(data, perPartition, parse);
        int expected = loaded.finalWindows();
        long lastWindowEnd = loaded.lastWindowEnd();

        IMap<String, WindowStats> stats = member.getMap(GridNames.SENSOR_STATS);
        CountDownLatch done = new CountDownLatch(expected);
        UUID listener = stats.addLocalEntryListener(new FinalWindows(done::countDown, lastWindowEnd));
        Pipeline pipeline = pipeline(parse, duplicates, liveness);
        JobConfig jobConfig = jobConfig("ceiling-" + (parse ? "parse" : "no-parse"));
        long start = System.nanoTime();
        long cpuStart = processCpuNanos();
        Job job = member.getJet().newJob(pipeline, jobConfig);
        try {
            if (!done.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("only " + (expected - done.getCount()) + " of " + expected
                        + " final sensor windows arrived in 10 minutes; job status " + job.getStatus());
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            return new Result(parse, duplicates, liveness, perPartition * data.partitions(), expected, elapsed,
                    processCpuNanos() - cpuStart);
        } finally {
            job.cancel();
            stats.removeEntryListener(listener);
            input = null;
            destroyOutputs(member);
        }
    }

    /**
     * The Kafka job's pipeline, from its source on, with {@link #memorySource} in place of Kafka's: 1-minute windows,
     * final results only, {@code duplicates} and {@code liveness} as given. The settings name a topic only because
     * the type needs one: without results topics the pipeline never connects to Kafka.
     */
    static Pipeline pipeline(boolean parse, Duplicates duplicates, boolean liveness) {
        AggregationSettings settings = Bench.finalWindows().set(AggregationSettings.DUPLICATES, duplicates)
                .set(AggregationSettings.LIVENESS, liveness).build();
        return KafkaAggregationJob.build(memorySource(parse), settings, KafkaJobSettings.of("127.0.0.1:9092", "in-memory"));
    }

    /** The job's configuration: no snapshots (the in-memory source cannot replay), the job's serializers. */
    static JobConfig jobConfig(String name) {
        return JobSerializers.register(new JobConfig().setName(name).setProcessingGuarantee(ProcessingGuarantee.NONE));
    }

    /** Destroys what a run wrote to the grid, so the next run starts empty. */
    static void destroyOutputs(HazelcastInstance member) {
        for (String name : List.of(GridNames.SENSOR_STATS, GridNames.PLACE_STATS, GridNames.DEAD_LETTERS,
                GridNames.LATE_READINGS, GridNames.SENSOR_STATUS)) {
            member.getMap(name).destroy();
        }
        member.getRingbuffer(GridNames.READINGS).destroy();
    }

    /**
     * Generates the readings every source processor of the next job hands out, in this JVM (each member of a
     * cluster holds the whole input; its processors take their partitions of it), and tells what they make.
     */
    static Loaded load(BenchReadings data, long perPartition, boolean parse) {
        input = generate(data, perPartition, parse);
        long windowMillis = Bench.WINDOW.toMillis();
        int windows = (int) ((perPartition + windowMillis - 1) / windowMillis);
        return new Loaded(windows * data.sensors(), data.startMillis() + windows * windowMillis);
    }

    /**
     * What the loaded input makes.
     *
     * @param finalWindows  final sensor windows, sentinels' aside
     * @param lastWindowEnd the end of the last of them
     */
    record Loaded(int finalWindows, long lastWindowEnd) {
    }

    /** CPU time of this JVM so far, ns (the member, the job and the source all run in it). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * Hands out {@link #input}: processor {@code i} of {@code n} takes partitions {@code i}, {@code i + n}, ...,
     * and interleaves them reading by reading, each ending with its sentinel. Like the Kafka source's projection,
     * it parses JSON bytes into readings or dead letters as it reads ({@code parse}); otherwise the readings are
     * parsed already.
     */
    private static StreamSource<Decoded> memorySource(boolean parse) {
        ReadingParser parser = new ReadingParser(ReadingFormat.nested());
        return SourceBuilder.stream(parse ? "jsonReadings" : "parsedReadings",
                        ctx -> new Cursor(ctx.globalProcessorIndex(), ctx.totalParallelism()))
                .<Decoded>fillBufferFn((cursor, buf) -> {
                    for (int k = 0; k < SOURCE_BATCH; k++) {
                        Object next = cursor.next();
                        if (next == null) {
                            return;
                        }
                        buf.add(next instanceof byte[] json
                                ? parser.parse(new RawReading("bench", 0, json))
                                : (Decoded) next);
                    }
                })
                .distributed(2)
                .build();
    }

    /** Where one source processor is in its partitions. */
    private static final class Cursor {
        private final int[] partitions;
        private final int[] positions;
        private int turn;

        Cursor(int index, int parallelism) {
            Object[][] all = input;
            int count = 0;
            for (int p = index; p < all.length; p += parallelism) {
                count++;
            }
            partitions = new int[count];
            positions = new int[count];
            for (int k = 0, p = index; k < count; k++, p += parallelism) {
                partitions[k] = p;
            }
        }

        /** The next item, or {@code null} when every partition is done. */
        Object next() {
            Object[][] all = input;
            for (int tried = 0; tried < partitions.length; tried++) {
                int k = turn;
                turn = (turn + 1) % partitions.length;
                Object[] items = all[partitions[k]];
                if (positions[k] < items.length) {
                    return items[positions[k]++];
                }
            }
            return null;
        }
    }

    private static Object[][] generate(BenchReadings data, long perPartition, boolean parse) {
        long sentinelTs = data.timestampOf(perPartition) + 2 * Bench.WINDOW.toMillis() + Bench.LATENESS.toMillis();
        String[] ids = new String[data.sensors()];
        String[] places = new String[data.sensors()];
        for (int s = 0; s < ids.length; s++) {
            ids[s] = BenchReadings.sensorId(s);
            places[s] = data.placeId(s);
        }
        Object[][] all = new Object[data.partitions()][];
        for (int p = 0; p < all.length; p++) {
            Object[] items = new Object[(int) perPartition + 1];
            for (int n = 0; n < perPartition; n++) {
                items[n] = parse ? data.json(p, n) : reading(data, ids, places, p, n);
            }
            String sentinel = SENTINEL_PREFIX + p;
            // Plausible values: an implausible sentinel would be a dead letter and close no window.
            items[(int) perPartition] = parse
                    ? BenchReadings.json(sentinel, sentinel, sentinelTs, 20, 50, 1000, 100)
                    : new SensorReading(sentinel, sentinel, sentinelTs, 20, 50, 1000, 100);
            all[p] = items;
        }
        return all;
    }

    private static SensorReading reading(BenchReadings data, String[] ids, String[] places, int p, long n) {
        int s = data.sensorOf(p, n);
        return new SensorReading(ids[s], places[s], data.timestampOf(n), BenchReadings.temperature(s, n),
                BenchReadings.humidity(s, n), BenchReadings.pressure(s, n), BenchReadings.luminosity(s, n));
    }

    static long alignedStart() {
        long minute = Bench.WINDOW.toMillis();
        return (System.currentTimeMillis() - TimeUnit.DAYS.toMillis(1)) / minute * minute;
    }

    private static double[] rates(List<Result> results) {
        return results.stream().mapToDouble(Result::readingsPerSecond).toArray();
    }

    /** Calls {@code counted} once for each final sensor window up to the last window end. */
    record FinalWindows(Runnable counted, long lastWindowEnd)
            implements EntryAddedListener<String, WindowStats>, EntryUpdatedListener<String, WindowStats> {

        @Override
        public void entryAdded(EntryEvent<String, WindowStats> event) {
            count(event.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<String, WindowStats> event) {
            count(event.getValue());
        }

        private void count(WindowStats w) {
            if (!w.early() && w.windowEnd() <= lastWindowEnd && !w.id().startsWith(SENTINEL_PREFIX)) {
                counted.run();
            }
        }
    }
}
