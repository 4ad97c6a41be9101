package io.iotgrid.bench;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.core.metrics.JobMetrics;
import com.hazelcast.jet.core.metrics.Measurement;
import com.hazelcast.jet.core.metrics.MetricNames;
import com.hazelcast.jet.core.metrics.MetricTags;
import com.hazelcast.map.IMap;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.GridNames;
import io.iotgrid.core.WindowStats;
import io.iotgrid.jobs.AggregationSettings.Duplicates;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Scale-out on one box (issue 18, target 5): the in-memory job of {@link CeilingBenchmark} as it ships (parsing,
 * duplicate check and sensor liveness on) on one
 * member pinned to one core against two members pinned to one core each, the same total input: readings per second,
 * the ratio, and what the shuffle between the two members costs.
 * <p>
 * How to run (from the repository root; needs {@code taskset}, from util-linux, and two cores):
 * <pre>
 * mvn -q -B -DskipTests -pl bench -am package
 * java -cp "bench/target/iot-grid-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath)" \
 *      io.iotgrid.bench.ScaleOutBenchmark --readings 4000000 --runs 5
 * </pre>
 * Output, one line per run and then the spreads, e.g.:
 * <pre>
 * round 1 one member:  readings=4000000 seconds=... readings/s=... cpu-us/reading=... shuffled bytes/reading=0.0 ...
 * round 1 two members: readings=4000000 seconds=... readings/s=... cpu-us/reading=... shuffled bytes/reading=...
 * ...
 * ratio two members/one member readings/s: ... (min–max) over 5 runs
 * </pre>
 * <b>What runs.</b> Three member JVMs, each started with {@code taskset -c <core>}, so each sees one processor (one
 * cooperative thread): a one-member cluster on the first core, and a two-member cluster with one member on each
 * core. Both clusters stay up for the whole benchmark and take turns (one round: one member, then two); the idle one
 * only keeps its heartbeats. Every member holds the whole input in memory ({@link BenchReadings}, JSON bytes,
 * 4 partitions; default 4 000 000 readings of 10 000 sensors) before the clock starts; the source's processors
 * (2 per member) take their partitions of it, so one member reads all 4 partitions on its core and two members read
 * 2 each. Each cluster first runs the job once to warm up, not counted. A run is timed from the job's submission
 * until every final sensor window is in the {@value GridNames#SENSOR_STATS} IMap, counted by each member's local
 * entry listener and reported to this JVM every 10 ms. CPU is each member JVM's user and system time over the run.
 * The shuffle is Jet's own count of what crossed between members: {@code distributedBytesOut} and
 * {@code distributedItemsOut} summed over every vertex and member (0 with one member).
 */
public final class ScaleOutBenchmark {

    private static final String MEMBER = "--member";

    private ScaleOutBenchmark() {
    }

    /**
     * One run.
     *
     * @param members       members of the cluster (1 or 2)
     * @param cpuNanos      CPU time of all its member JVMs over the run
     * @param shuffledBytes bytes Jet sent between members (its {@code distributedBytesOut})
     * @param shuffledItems items Jet sent between members (its {@code distributedItemsOut})
     */
    public record Result(int round, int members, long readings, double seconds, long cpuNanos, long shuffledBytes,
                         long shuffledItems) {

        public double readingsPerSecond() {
            return readings / seconds;
        }

        public double cpuMicrosPerReading() {
            return cpuNanos / 1e3 / readings;
        }

        public double shuffledBytesPerReading() {
            return (double) shuffledBytes / readings;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "round %d %-12s readings=%d seconds=%.2f readings/s=%.0f "
                            + "cpu-us/reading=%.2f shuffled bytes/reading=%.1f shuffled items=%d", round,
                    (members == 1 ? "one member:" : "two members:"), readings, seconds, readingsPerSecond(),
                    cpuMicrosPerReading(), shuffledBytesPerReading(), shuffledItems);
        }
    }

    /** The command line of {@link #main}. */
    @Command(name = "ScaleOutBenchmark", sortOptions = false,
            description = "The in-memory job on one member pinned to one core against two members on a core each.")
    static final class Options {

        @Option(names = "--readings", paramLabel = "N", description = "readings per run (default ${DEFAULT-VALUE})")
        long readings = 4_000_000;

        @Option(names = "--sensors", paramLabel = "N", description = "sensors (default ${DEFAULT-VALUE})")
        int sensors = 10_000;

        @Option(names = "--runs", paramLabel = "N", description = "rounds, each one member then two (default ${DEFAULT-VALUE})")
        int runs = 5;

        @Option(names = "--xmx", paramLabel = "SIZE", description = "-Xmx of each member's JVM (default ${DEFAULT-VALUE})")
        String maxHeap = "3g";

        @Option(names = "--cores", paramLabel = "C,C", split = ",",
                description = "the two cores to pin members to (default ${DEFAULT-VALUE})")
        int[] cores = {0, 1};

        @Option(names = "--dir", paramLabel = "DIR", description = "where the members' logs go (default: a temporary directory)")
        Path dir;

        @Mixin
        Bench.Help help;
    }

    /** What a member's JVM is told. */
    @Command(name = "ScaleOutBenchmark --member")
    static final class MemberArguments {

        @Option(names = MEMBER, required = true)
        boolean member;

        @Option(names = "--cluster", required = true)
        String cluster;

        @Option(names = "--port", required = true)
        int port;

        @Option(names = "--readings", required = true)
        long readings;

        @Option(names = "--sensors", required = true)
        int sensors;

        @Option(names = "--start", required = true)
        long start;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals(MEMBER)) {
            ChildJvm.runChild(() -> member(Bench.parse(new MemberArguments(), args)));
        }
        Options options = Bench.options(new Options(), args);
        List<Result> results = run(options);
        System.out.println(Spread.of("one member readings/s", figures(results, 1, Result::readingsPerSecond)));
        System.out.println(Spread.of("two members readings/s", figures(results, 2, Result::readingsPerSecond)));
        System.out.println(Spread.of("one member cpu-us/reading", figures(results, 1, Result::cpuMicrosPerReading)));
        System.out.println(Spread.of("two members cpu-us/reading", figures(results, 2, Result::cpuMicrosPerReading)));
        System.out.println(Spread.of("two members shuffled bytes/reading",
                figures(results, 2, Result::shuffledBytesPerReading)));
        System.out.println(ratio(results));
        System.exit(0);
    }

    /** Two members' readings per second over one member's, round by round. */
    static Spread ratio(List<Result> results) {
        double[] one = figures(results, 1, Result::readingsPerSecond);
        double[] two = figures(results, 2, Result::readingsPerSecond);
        double[] ratios = new double[one.length];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = two[i] / one[i];
        }
        return Spread.of("ratio two members/one member readings/s", ratios);
    }

    private static double[] figures(List<Result> results, int members,
                                    java.util.function.ToDoubleFunction<Result> figure) {
        return results.stream().filter(r -> r.members() == members).mapToDouble(figure).toArray();
    }

    /**
     * Starts the three member JVMs, warms each cluster up, runs {@code options.runs} rounds, prints each run and
     * returns them; stops the JVMs.
     *
     * @throws IllegalStateException if the machine has fewer than two processors, a member fails, or a run takes
     *                               more than 10 minutes
     */
    public static List<Result> run(Options options) throws IOException, InterruptedException {
        if (options.runs < 1 || options.cores.length != 2) {
            throw new IllegalArgumentException("--runs must be at least 1 and --cores name two cores, were "
                    + options.runs + " and " + options.cores.length + " core(s)");
        }
        if (Runtime.getRuntime().availableProcessors() < 2) {
            throw new IllegalStateException("scale-out needs two cores; this JVM sees "
                    + Runtime.getRuntime().availableProcessors());
        }
        Path dir = options.dir != null ? Files.createDirectories(options.dir)
                : Files.createTempDirectory("iot-grid-scale-out-");
        long start = CeilingBenchmark.alignedStart();
        List<ChildJvm> all = new ArrayList<>();
        try {
            Cluster one = new Cluster(1, options, start, dir, new int[]{options.cores[0]}, all);
            Cluster two = new Cluster(2, options, start, dir, options.cores, all);
            one.awaitReady();
            two.awaitReady();
            System.out.println("warm-up: " + one.run(0));
            System.out.println("warm-up: " + two.run(0));
            List<Result> results = new ArrayList<>();
            for (int round = 1; round <= options.runs; round++) {
                for (Cluster cluster : List.of(one, two)) {
                    Result r = cluster.run(round);
                    System.out.println(r);
                    results.add(r);
                }
            }
            return results;
        } finally {
            for (ChildJvm child : all) {
                child.close();
            }
        }
    }

    /** A cluster of member JVMs, each pinned to its core; the first one submits the job. */
    private static final class Cluster {
        private final List<ChildJvm> members = new ArrayList<>();
        private final List<AtomicLong> counts = new ArrayList<>();
        private final long readings;
        private long expected;

        Cluster(int size, Options options, long start, Path dir, int[] cores, List<ChildJvm> all) {
            String name = "scale-out-" + size + "-" + UUID.randomUUID();
            int port = Bench.freePort();
            readings = options.readings / 4 * 4;
            for (int m = 0; m < size; m++) {
                AtomicLong count = new AtomicLong();
                counts.add(count);
                ChildJvm child = ChildJvm.start(name + "-" + m,
                        List.of("taskset", "-c", Integer.toString(cores[m])), System.getProperty("java.class.path"),
                        ScaleOutBenchmark.class.getName(), options.maxHeap, List.of(),
                        dir.resolve("members-" + size + "-" + m + ".log"), line -> {
                            if (line.startsWith("COUNT ")) {
                                count.set(Long.parseLong(line.substring("COUNT ".length())));
                            }
                        }, MEMBER, "--cluster", name, "--port", Integer.toString(port),
                        "--readings", Long.toString(options.readings), "--sensors", Integer.toString(options.sensors),
                        "--start", Long.toString(start));
                members.add(child);
                all.add(child);
            }
        }

        void awaitReady() throws InterruptedException {
            for (ChildJvm member : members) {
                expected = Long.parseLong(member.awaitReady(Duration.ofMinutes(5)));
            }
            // The first member submits the job once it sees the whole cluster.
            members.get(0).send("CLUSTER " + members.size());
            members.get(0).await("CLUSTER", Duration.ofMinutes(2));
        }

        Result run(int round) throws InterruptedException {
            counts.forEach(c -> c.set(0));
            // Destroying a map is cluster-wide: one member does it, before any member creates it again.
            for (int m = 0; m < members.size(); m++) {
                members.get(m).send(m == 0 ? "RESET destroy" : "RESET");
                members.get(m).await("RESET", Duration.ofMinutes(1));
            }
            long[] cpuBefore = members.stream().mapToLong(ChildJvm::cpuNanos).toArray();
            long t0 = System.nanoTime();
            members.get(0).send("RUN");
            long deadline = t0 + TimeUnit.MINUTES.toNanos(10);
            while (counts.stream().mapToLong(AtomicLong::get).sum() < expected) {
                Optional<String> failure = members.stream().map(ChildJvm::failure).filter(Objects::nonNull).findFirst();
                if (failure.isPresent()) {
                    throw new IllegalStateException("a member failed: " + failure.get());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + counts.stream().mapToLong(AtomicLong::get).sum()
                            + " of " + expected + " final sensor windows within 10 minutes");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long cpu = 0;
            for (int m = 0; m < members.size(); m++) {
                cpu += members.get(m).cpuNanos() - cpuBefore[m];
            }
            members.get(0).send("DONE");
            String[] shuffle = members.get(0).await("SHUFFLE", Duration.ofMinutes(1)).split(" ");
            return new Result(round, members.size(), readings, seconds, cpu, Long.parseLong(shuffle[1]),
                    Long.parseLong(shuffle[2]));
        }
    }

    /**
     * A member's JVM: loads the input, starts the member and says {@code READY <final windows>}; then, on
     * {@code CLUSTER <n>}, waits for n members; on {@code RESET}, clears its count and listens anew (with
     * {@code destroy}, after destroying the grid's maps, which one member does for the cluster); on
     * {@code RUN}, submits the job; on {@code DONE}, says {@code SHUFFLE <bytes> <items>} (Jet's metrics collected
     * on every member after the last window) and cancels it. Meanwhile it says {@code COUNT <n>} whenever the final
     * sensor windows its local entry listener saw changed, at most every 10 ms.
     */
    private static void member(MemberArguments a) throws IOException {
        BenchReadings data = new BenchReadings(a.sensors, 100, 4, a.start);
        CeilingBenchmark.Loaded loaded = CeilingBenchmark.load(data, a.readings / data.partitions(), true);
        Config config = GridConfigs.loopbackMember(a.cluster, a.port);
        // A running job's metrics are those of the members' last collection: a fresh one comes within a second.
        config.getMetricsConfig().setCollectionFrequencySeconds(1);
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
        LongAdder counted = new LongAdder();
        IMap<String, WindowStats> stats = member.getMap(GridNames.SENSOR_STATS);
        AtomicReference<UUID> listener = new AtomicReference<>();
        AtomicReference<Job> job = new AtomicReference<>();
        Thread reporter = new Thread(() -> {
            long told = -1;
            while (true) {
                long now = counted.sum();
                if (now != told) {
                    ChildJvm.tell("COUNT " + now);
                    told = now;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }, "count-reporter");
        reporter.setDaemon(true);
        reporter.start();
        ChildJvm.tell("READY " + loaded.finalWindows());
        try {
            ChildJvm.serveCommands(command -> {
                String[] words = command.split(" ");
                switch (words[0]) {
                    case "CLUSTER" -> {
                        int size = Integer.parseInt(words[1]);
                        while (member.getCluster().getMembers().size() < size) {
                            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                        }
                        ChildJvm.tell("CLUSTER " + size);
                    }
                    case "RESET" -> {
                        if (listener.get() != null) {
                            stats.removeEntryListener(listener.get());
                        }
                        if (words.length > 1 && words[1].equals("destroy")) {
                            CeilingBenchmark.destroyOutputs(member);
                        }
                        counted.reset();
                        listener.set(member.<String, WindowStats>getMap(GridNames.SENSOR_STATS)
                                .addLocalEntryListener(new CeilingBenchmark.FinalWindows(counted::increment,
                                        loaded.lastWindowEnd())));
                        ChildJvm.tell("RESET");
                    }
                    // The job as it ships: parsing, duplicate check and sensor liveness on.
                    case "RUN" -> job.set(member.getJet().newJob(CeilingBenchmark.pipeline(true, Duplicates.VALUES,
                            true), CeilingBenchmark.jobConfig("scale-out-" + UUID.randomUUID())));
                    case "DONE" -> {
                        JobMetrics metrics = metricsCollectedAfter(job.get(), System.currentTimeMillis(),
                                member.getCluster().getMembers().size());
                        ChildJvm.tell("SHUFFLE " + sum(metrics, MetricNames.DISTRIBUTED_BYTES_OUT) + " "
                                + sum(metrics, MetricNames.DISTRIBUTED_ITEMS_OUT));
                        try {
                            Bench.cancel(job.get());
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException("interrupted while cancelling the job", e);
                        }
                    }
                    default -> ChildJvm.tell("FAILED unknown command " + command);
                }
            });
        } finally {
            member.shutdown();
        }
    }

    /**
     * The running {@code job}'s metrics once every one of the cluster's {@code members} has collected them after
     * {@code after} (epoch ms). A running job's metrics are each member's last collection, so a member that has not
     * collected since the last window would report too little, and one that has not collected at all (a short run)
     * nothing; and a stopped job's are gone: Jet keeps the final metrics of a job only when it completes, which this
     * streaming one never does (checked on 5.5: after a cancellation, even with
     * {@code JobConfig.setStoreMetricsAfterJobCompletion}, the shuffle read 0).
     *
     * @throws IllegalStateException if some member has not collected within 30 s
     */
    private static JobMetrics metricsCollectedAfter(Job job, long after, int members) {
        // Within the half of the minute the parent waits for the answer, so this member's failure comes first.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            JobMetrics metrics = job.getMetrics();
            // Every processor emits this metric, on every member; one collection stamps all of a member's metrics.
            List<Measurement> emitted = metrics.get(MetricNames.EMITTED_COUNT);
            long fresh = emitted.stream().filter(m -> m.timestamp() > after).map(m -> m.tag(MetricTags.MEMBER))
                                .distinct().count();
            if (fresh == members && emitted.stream().allMatch(m -> m.timestamp() > after)) {
                return metrics;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Jet's metrics of " + job.getName() + " collected on " + fresh
                        + " of " + members + " members within 30 s after the last window");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    /** The sum of metric {@code name} over every vertex, processor and member. */
    private static long sum(JobMetrics metrics, String name) {
        return metrics.get(name).stream().mapToLong(Measurement::value).sum();
    }
}
