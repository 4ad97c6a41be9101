package io.iotgrid.bench;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.core.metrics.Measurement;
import com.hazelcast.ringbuffer.ReadResultSet;
import com.hazelcast.ringbuffer.Ringbuffer;
import com.hazelcast.ringbuffer.StaleSequenceException;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.SensorReading;
import io.iotgrid.jobs.AggregationJob;
import io.iotgrid.jobs.AggregationSettings;
import io.iotgrid.jobs.JobSettings;
import io.iotgrid.sources.CoapObserveSettings;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The CoAP source's own ceiling (issue 18, target 4): one member's aggregation job observing a Californium server
 * that runs in a JVM of its own, offered a rising rate of notifications; for each rate, the notifications per
 * second whose readings reached the job's output, and the latency from the change on the server to the reading
 * being readable there. The ceiling of a notification type (NON or CON) is the highest rate taken in at
 * p99 ≤ 20 ms; the target is 10 000/s.
 * <p>
 * How to run (from the repository root):
 * <pre>
 * mvn -q -B -DskipTests -pl bench -am package
 * java -cp "bench/target/iot-grid-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath)" \
 *      io.iotgrid.bench.CoapCeilingBenchmark --resources 1000 --rates 2000,5000,10000,15000,20000
 * </pre>
 * Output, one line per step and one per ceiling, of the form:
 * <pre>
 * run 1 NON rate=2000/s offered/s=... received/s=... loss=...% dropped=... latency ms p50=... p99=... max=...
 *   cpu-us/notification member=... server=...
 * ...
 * run 1 NON ceiling: ... notifications/s (offered .../s) at p99 ... ms
 * NON ceiling notifications/s at p99 &lt;= 20 ms: ... (min–max) over 1 runs
 * </pre>
 * <b>What runs.</b> The server ({@code --server} mode of this class, a {@link ChildJvm}) holds {@code --resources}
 * observable resources, each answering with the nested JSON of a reading whose timestamp is the epoch millisecond
 * of its latest change, and sends its notifications as NON or CON (one series per type). A publisher thread
 * changes them round-robin, spread evenly over each millisecond, at the rate of the step. This JVM runs one member
 * with {@link AggregationJob} as shipped (the CoAP flavour's job settings, at their defaults) observing every
 * resource over loopback, and reads the job's readings Ringbuffer as they arrive. A step warms up for
 * {@code --warmup}, then measures for {@code --duration}: received is the readings read from the Ringbuffer whose
 * change happened within the window; offered is the server's changes in it; loss is {@code 1 - received/offered}
 * (observe is latest-state: a change replaced before its notification went out is lost by design, and the
 * source's own queue drops and counts what it cannot hold, {@code coapDropped}). Latency is the reading's arrival
 * in this JVM minus its change time, both from the same wall clock, in whole milliseconds: it includes the server's
 * wait to send (for CON, until the previous notification of the resource is acknowledged), the network stack, the
 * source, parsing and the Ringbuffer sink. CPU is each JVM's user and system time over the window per received
 * notification ("member" includes this JVM's Ringbuffer reader).
 * <p>
 * libcoap's {@code coap-server-openssl} was not used as the server: it notifies its {@code /time} resource once a
 * second and a dynamic resource ({@code -d}) once per PUT, so reaching 10 000 notifications/s would need a client
 * sending 10 000 PUTs/s, whose cost would then be in the measurement.
 */
public final class CoapCeilingBenchmark {

    private static final String SERVER = "--server";
    /** The p99 latency a rate must keep to count towards the ceiling. */
    static final long P99_LIMIT_MILLIS = 20;

    private CoapCeilingBenchmark() {
    }

    /** One step: a notification type at one offered rate. */
    public record Step(int run, CoAP.Type type, double rate, long offered, long received, long dropped,
                       Histogram latencyMillis, Duration duration, long memberCpuNanos, long serverCpuNanos) {

        public double offeredPerSecond() {
            return offered / seconds();
        }

        public double receivedPerSecond() {
            return received / seconds();
        }

        public double loss() {
            return offered == 0 ? 0 : Math.max(0, 1 - (double) received / offered);
        }

        public long p99Millis() {
            return latencyMillis.getValueAtPercentile(99);
        }

        /** Whether it counts towards the ceiling: readings arrived, p99 within {@link #P99_LIMIT_MILLIS}. */
        public boolean withinLimit() {
            return received > 0 && p99Millis() <= P99_LIMIT_MILLIS;
        }

        private double seconds() {
            return duration.toNanos() / 1e9;
        }

        private double perNotification(long nanos) {
            return received == 0 ? Double.NaN : nanos / 1e3 / received;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "run %d %s rate=%.0f/s offered/s=%.0f received/s=%.0f loss=%.2f%% "
                            + "dropped=%d latency ms p50=%d p99=%d max=%d cpu-us/notification member=%.1f "
                            + "server=%.1f", run, type, rate, offeredPerSecond(), receivedPerSecond(), loss() * 100,
                    dropped, latencyMillis.getValueAtPercentile(50), p99Millis(), latencyMillis.getMaxValue(),
                    perNotification(memberCpuNanos), perNotification(serverCpuNanos));
        }
    }

    /** The command line of {@link #main}. */
    @Command(name = "CoapCeilingBenchmark", sortOptions = false,
            description = "The CoAP source's ceiling: notifications/s one member takes in at p99 <= 20 ms.")
    static final class Options {

        @Option(names = "--resources", paramLabel = "N", description = "observed resources (default ${DEFAULT-VALUE})")
        int resources = 1_000;

        @Option(names = "--rates", paramLabel = "R,R", split = ",",
                description = "offered notifications per second, one step each (default 2000,5000,10000,15000,20000)")
        double[] rates = {2_000, 5_000, 10_000, 15_000, 20_000};

        @Option(names = "--types", paramLabel = "T,T", split = ",",
                description = "notification types, one series each: NON, CON (default NON,CON)")
        CoAP.Type[] types = {CoAP.Type.NON, CoAP.Type.CON};

        @Option(names = "--warmup", paramLabel = "D", converter = Bench.DurationConverter.class,
                description = "warm-up of each step (default 3s)")
        Duration warmup = Duration.ofSeconds(3);

        @Option(names = "--duration", paramLabel = "D", converter = Bench.DurationConverter.class,
                description = "how long each step measures (default 10s)")
        Duration duration = Duration.ofSeconds(10);

        @Option(names = "--runs", paramLabel = "N", description = "runs of every series (default ${DEFAULT-VALUE})")
        int runs = 1;

        @Option(names = "--dir", paramLabel = "DIR", description = "where the server's log goes (default: a temporary directory)")
        Path dir;

        @Mixin
        Bench.Help help;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals(SERVER)) {
            ChildJvm.runChild(() -> server(Integer.parseInt(args[1]), CoAP.Type.valueOf(args[2])));
        }
        Options options = Bench.options(new Options(), args);
        List<Step> steps = run(options);
        for (CoAP.Type type : options.types) {
            double[] ceilings = new double[options.runs];
            for (int r = 1; r <= options.runs; r++) {
                ceilings[r - 1] = ceiling(steps, r, type);
            }
            System.out.println(Spread.of(type + " ceiling notifications/s at p99 <= " + P99_LIMIT_MILLIS + " ms",
                    ceilings));
        }
        System.exit(0);
    }

    /**
     * The highest received rate of run {@code run}'s {@code type} steps within {@link #P99_LIMIT_MILLIS}; 0 if none.
     */
    static double ceiling(List<Step> steps, int run, CoAP.Type type) {
        return steps.stream().filter(s -> s.run() == run && s.type() == type && s.withinLimit())
                    .mapToDouble(Step::receivedPerSecond).max().orElse(0);
    }

    /** Every run of every type's series of rates; prints each step and each ceiling. */
    public static List<Step> run(Options options) throws IOException, InterruptedException {
        if (options.runs < 1 || options.resources < 1 || options.rates.length == 0 || options.types.length == 0) {
            throw new IllegalArgumentException("--runs and --resources must be at least 1 and --rates and --types "
                    + "must name at least one each");
        }
        Path dir = options.dir != null ? Files.createDirectories(options.dir)
                : Files.createTempDirectory("iot-grid-coap-ceiling-");
        List<Step> steps = new ArrayList<>();
        for (int r = 1; r <= options.runs; r++) {
            for (CoAP.Type type : options.types) {
                List<Step> series = series(options, r, type, dir);
                steps.addAll(series);
                Step best = series.stream().filter(Step::withinLimit)
                                  .max((a, b) -> Double.compare(a.receivedPerSecond(), b.receivedPerSecond()))
                                  .orElse(null);
                System.out.println(best == null
                        ? String.format(Locale.ROOT, "run %d %s ceiling: no step within p99 <= %d ms", r, type,
                        P99_LIMIT_MILLIS)
                        : String.format(Locale.ROOT, "run %d %s ceiling: %.0f notifications/s (offered %.0f/s) at "
                                + "p99 %d ms", r, type, best.receivedPerSecond(), best.offeredPerSecond(),
                        best.p99Millis()));
            }
        }
        return steps;
    }

    /** One server JVM and one member for a series of rates of one type. */
    private static List<Step> series(Options options, int run, CoAP.Type type, Path dir)
            throws InterruptedException {
        List<Step> steps = new ArrayList<>();
        try (ChildJvm server = ChildJvm.start("coap-server-" + type, CoapCeilingBenchmark.class, "1g",
                dir.resolve("server-" + run + "-" + type + ".log"), line -> { },
                SERVER, Integer.toString(options.resources), type.name())) {
            int port = Integer.parseInt(server.await("PORT", Duration.ofMinutes(2)).split(" ")[1]);
            String[] uris = new String[options.resources];
            for (int i = 0; i < uris.length; i++) {
                uris[i] = "coap://127.0.0.1:" + port + "/s/" + i;
            }
            Config config = GridConfigs.loopbackMember("coap-ceiling-" + UUID.randomUUID(), Bench.freePort());
            config.getMetricsConfig().setCollectionFrequencySeconds(1);
            config.setProperty("hazelcast.logging.type", "log4j2");
            HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
            RingbufferReader reader = null;
            try {
                AggregationSettings settings = AggregationSettings.defaults();
                CoapObserveSettings coap = CoapObserveSettings.of(uris).toBuilder()
                        .set(CoapObserveSettings.CONFIRMABLE, type == CoAP.Type.CON).build();
                Job job = member.getJet().newJob(AggregationJob.build(AggregationJob.coapSource(coap, settings),
                        settings), JobSettings.builder(AggregationJob.COAP_JOB).build().jobConfig());
                reader = new RingbufferReader(member.getRingbuffer(settings.readingsRingbuffer()));
                // Between steps every resource still changes now and then: a relation silent for longer than the
                // source's coap.max.silence counts as lost and is observed anew.
                String idle = "RATE " + idleRate(options.resources, coap);
                // Every resource observed by the member's source.
                server.send(idle);
                server.await("RATE", Duration.ofSeconds(30));
                server.send("OBSERVED 1");
                server.await("OBSERVED", Duration.ofMinutes(2));
                for (double rate : options.rates) {
                    server.send("RATE " + rate);
                    server.await("RATE", Duration.ofSeconds(30));
                    TimeUnit.MILLISECONDS.sleep(options.warmup.toMillis());
                    long droppedBefore = sum(job, "coapDropped");
                    long memberCpu = Bench.processCpuNanos();
                    long serverCpu = server.cpuNanos();
                    server.send("CHANGES");
                    long changesBefore = Long.parseLong(server.await("CHANGES", Duration.ofSeconds(30)).split(" ")[1]);
                    long from = System.currentTimeMillis();
                    reader.measureFrom(from);
                    TimeUnit.MILLISECONDS.sleep(options.duration.toMillis());
                    long to = System.currentTimeMillis();
                    server.send("CHANGES");
                    long changes = Long.parseLong(server.await("CHANGES", Duration.ofSeconds(30)).split(" ")[1])
                            - changesBefore;
                    memberCpu = Bench.processCpuNanos() - memberCpu;
                    serverCpu = server.cpuNanos() - serverCpu;
                    reader.measureUntil(to);
                    // Readings changed within the window that arrive up to a second after it still count.
                    TimeUnit.SECONDS.sleep(1);
                    Histogram latency = reader.measured();
                    server.send(idle);
                    server.await("RATE", Duration.ofSeconds(30));
                    // Metrics are collected every second: the delta covers the window give or take a second.
                    long dropped = sum(job, "coapDropped") - droppedBefore;
                    Step step = new Step(run, type, rate, changes, latency.getTotalCount(), dropped, latency,
                            Duration.ofMillis(to - from), memberCpu, serverCpu);
                    System.out.println(step);
                    steps.add(step);
                    // What is still queued is not the next step's.
                    TimeUnit.SECONDS.sleep(1);
                }
                job.cancel();
            } finally {
                if (reader != null) {
                    reader.close();
                }
                member.shutdown();
            }
        }
        return steps;
    }

    /** Changes per second that notify every resource four times within the source's {@code coap.max.silence}. */
    private static double idleRate(int resources, CoapObserveSettings coap) {
        return resources * 4_000.0 / coap.maxSilence().toMillis();
    }

    private static long sum(Job job, String metric) {
        return job.getMetrics().get(metric).stream().mapToLong(Measurement::value).sum();
    }

    /**
     * Reads the job's readings Ringbuffer from its tail on a thread of its own, recording each reading's latency
     * (arrival minus its timestamp, the change time) if the change happened in the measured window.
     */
    private static final class RingbufferReader implements AutoCloseable {
        private final Ringbuffer<SensorReading> ring;
        private final Recorder recorder = new Recorder(TimeUnit.MINUTES.toMillis(1), 3);
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong overwritten = new AtomicLong();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread thread;
        private volatile long from = Long.MAX_VALUE;
        private volatile long to = Long.MAX_VALUE;

        RingbufferReader(Ringbuffer<SensorReading> ring) {
            this.ring = ring;
            thread = new Thread(this::read, "ringbuffer-reader");
            thread.setDaemon(true);
            thread.start();
        }

        /** Starts a window at {@code fromMillis}, open-ended. */
        void measureFrom(long fromMillis) {
            recorder.reset();
            to = Long.MAX_VALUE;
            from = fromMillis;
        }

        /** Closes the window at {@code toMillis}: changes at or after it do not count. */
        void measureUntil(long toMillis) {
            to = toMillis;
        }

        /** What the window saw; a new window starts with {@link #measureFrom}. */
        Histogram measured() {
            Histogram h = recorder.getIntervalHistogram();
            from = Long.MAX_VALUE;
            if (failure.get() != null) {
                throw new IllegalStateException("reading the readings Ringbuffer failed", failure.get());
            }
            if (overwritten.get() > 0) {
                throw new IllegalStateException(overwritten.get() + " readings were overwritten in the Ringbuffer "
                        + "before this benchmark read them: the reader fell behind and the figures would be low");
            }
            return h;
        }

        private void read() {
            long seq = ring.tailSequence() + 1;
            CompletableFuture<ReadResultSet<SensorReading>> pending = null;
            while (running.get()) {
                try {
                    if (pending == null) {
                        pending = ring.readManyAsync(seq, 1, 1_000, null).toCompletableFuture();
                    }
                    ReadResultSet<SensorReading> batch = pending.get(1, TimeUnit.SECONDS);
                    pending = null;
                    long now = System.currentTimeMillis();
                    for (SensorReading r : batch) {
                        long changed = r.timestamp();
                        if (changed >= from && changed < to) {
                            recorder.recordValue(Math.max(0, Math.min(now - changed, TimeUnit.MINUTES.toMillis(1))));
                        }
                    }
                    seq = batch.getNextSequenceToReadFrom();
                } catch (TimeoutException e) {
                    // Nothing written for a second (between steps): keep waiting for the same read.
                } catch (ExecutionException e) {
                    pending = null;
                    if (e.getCause() instanceof StaleSequenceException) {
                        long head = ring.headSequence();
                        overwritten.addAndGet(head - seq);
                        seq = head;
                    } else if (running.get()) {
                        failure.compareAndSet(null, e.getCause());
                        return;
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                    return;
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.interrupt();
            thread.join(TimeUnit.SECONDS.toMillis(5));
        }
    }

    /**
     * The server's JVM: {@code resources} observable resources under {@code /s/}, notifying as {@code type}; says
     * {@code PORT <port>}, then answers {@code OBSERVED <n>} once every resource has n observers, {@code RATE <r>}
     * after setting the offered rate (0 stops), and {@code CHANGES <n>} with the changes made so far.
     */
    private static void server(int resources, CoAP.Type type) throws IOException {
        Configuration config = new Configuration(CoapConfig.DEFINITIONS, UdpConfig.DEFINITIONS);
        CoapServer server = new CoapServer(config);
        server.addEndpoint(new CoapEndpoint.Builder().setConfiguration(config)
                .setInetSocketAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).build());
        CoapResource parent = new CoapResource("s");
        List<ReadingResource> all = new ArrayList<>(resources);
        for (int i = 0; i < resources; i++) {
            ReadingResource resource = new ReadingResource(i, type);
            all.add(resource);
            parent.add(resource);
        }
        server.add(parent);
        server.start();
        AtomicLong changes = new AtomicLong();
        double[] perMilli = {0};
        ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor();
        long[] next = {0};
        double[] carry = {0};
        publisher.scheduleAtFixedRate(() -> {
            carry[0] += perMilli[0];
            int n = (int) carry[0];
            carry[0] -= n;
            long now = System.currentTimeMillis();
            for (int k = 0; k < n; k++) {
                all.get((int) (next[0]++ % resources)).publish(now);
            }
            changes.addAndGet(n);
        }, 0, 1, TimeUnit.MILLISECONDS);
        ChildJvm.tell("PORT " + server.getEndpoints().get(0).getAddress().getPort());
        try {
            ChildJvm.serveCommands(command -> {
                String[] words = command.split(" ");
                switch (words[0]) {
                    case "OBSERVED" -> {
                        int observers = Integer.parseInt(words[1]);
                        while (all.stream().anyMatch(r -> r.getObserverCount() < observers)) {
                            sleep(50);
                        }
                        ChildJvm.tell("OBSERVED " + observers);
                    }
                    case "RATE" -> {
                        // Read by the publisher's thread: the executor's memory effects are enough for a rate.
                        publisher.execute(() -> {
                            perMilli[0] = Double.parseDouble(words[1]) / 1_000;
                            carry[0] = 0;
                        });
                        ChildJvm.tell("RATE " + words[1]);
                    }
                    case "CHANGES" -> ChildJvm.tell("CHANGES " + changes.get());
                    default -> ChildJvm.tell("FAILED unknown command " + command);
                }
            });
        } finally {
            publisher.shutdownNow();
            server.destroy();
        }
    }

    private static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A sensor whose answer is a reading stamped with the time of its latest change. */
    private static final class ReadingResource extends CoapResource {
        private final String id;
        private final String place;
        private volatile byte[] payload;
        private long n;

        ReadingResource(int index, CoAP.Type type) {
            super(Integer.toString(index));
            id = BenchReadings.sensorId(index);
            place = "place-" + index % 100;
            payload = reading(System.currentTimeMillis());
            setObservable(true);
            setObserveType(type);
        }

        /** Called by the publisher's thread only. */
        void publish(long now) {
            n++;
            payload = reading(now);
            changed();
        }

        private byte[] reading(long timestamp) {
            return BenchReadings.json(id, place, timestamp, BenchReadings.temperature(0, n),
                    BenchReadings.humidity(0, n), BenchReadings.pressure(0, n), BenchReadings.luminosity(0, n));
        }

        @Override
        public void handleGET(CoapExchange exchange) {
            exchange.respond(CoAP.ResponseCode.CONTENT, payload, MediaTypeRegistry.APPLICATION_JSON);
        }
    }
}
