package io.iotgrid.bench;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.core.metrics.Measurement;
import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.Sink;
import com.hazelcast.jet.pipeline.SinkBuilder;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.RawReading;
import io.iotgrid.sources.CoapObserveSettings;
import io.iotgrid.sources.CoapSources;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
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

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One member observing many resources of an in-process Californium server: notifications received per second,
 * loss, and latency from the server's {@code changed()} to the reading arriving at a sink in the grid.
 * <p>
 * How to run (from the repository root):
 * <pre>
 * mvn -q -B -DskipTests -pl bench -am package
 * java -cp "bench/target/iot-grid-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath)" \
 *      io.iotgrid.bench.CoapObserveBenchmark --resources 10000 --rate 1 --warmup 10s --duration 30s
 * </pre>
 * Expected output, one line per run (figures depend on the machine):
 * <pre>
 * resources=10000 rate=0.1/s duration=PT30S changes=30000 received=29500 notifications/s=983 loss=1.67% gaps=0
 *   dropped=0 latency ms p50=1.5 p90=4.0 p99=30.0 p99.9=60.0 max=90.0 (of which changed() to the source's callback:
 *   p50=1 p99=25)
 * </pre>
 * Every resource changes {@code rate} times a second (spread evenly), each change stamped with
 * {@link System#nanoTime()} and the epoch time in its payload; the server notifies with CON messages. Loss is
 * {@code 1 - received / changes} over the measured window: observe is latest-state, so a change replaced before its
 * notification went out is lost by design (Californium merges it before numbering, so it is no Observe gap), and
 * notifications still in flight when the window closes count as lost too. The server, the member and the job share
 * one JVM, so the latency includes no network but all of Californium's and Jet's work; the part up to the source's
 * callback is printed separately (millisecond resolution).
 */
public final class CoapObserveBenchmark {

    private static final int PORT = 6090;

    private CoapObserveBenchmark() {
    }

    /** What one run measured. */
    public record Result(int resources, double rate, Duration duration, long changes, long received,
                         double notificationsPerSecond, double loss, long gaps, long dropped, Histogram latencyMicros,
                         Histogram toSourceMillis) {

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "resources=%d rate=%.1f/s duration=%s changes=%d received=%d "
                            + "notifications/s=%.0f loss=%.2f%% gaps=%d dropped=%d latency ms p50=%.1f p90=%.1f "
                            + "p99=%.1f p99.9=%.1f max=%.1f (of which changed() to the source's callback: p50=%d p99=%d)",
                    resources, rate, duration, changes, received,
                    notificationsPerSecond, loss * 100, gaps, dropped, ms(50), ms(90), ms(99), ms(99.9),
                    latencyMicros.getMaxValue() / 1000.0, toSourceMillis.getValueAtPercentile(50),
                    toSourceMillis.getValueAtPercentile(99));
        }

        private double ms(double percentile) {
            return latencyMicros.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    /** The command line of {@link #main}. */
    @Command(name = "CoapObserveBenchmark", sortOptions = false,
            description = "CoAP observe: notifications per second, loss and latency from many resources.")
    static final class Options {

        @Option(names = "--resources", paramLabel = "N", description = "observed resources (default ${DEFAULT-VALUE})")
        int resources = 10_000;

        @Option(names = "--rate", paramLabel = "R",
                description = "changes per second per resource (default ${DEFAULT-VALUE})")
        double rate = 1;

        @Mixin
        Bench.Timing timing;

        @Option(names = "--runs", paramLabel = "N", description = "runs (default ${DEFAULT-VALUE})")
        int runs = 1;

        @Mixin
        Bench.Help help;
    }

    public static void main(String[] args) throws Exception {
        Options options = Bench.options(new Options(), args);
        int resources = options.resources;
        double rate = options.rate;
        Duration warmup = options.timing.warmup;
        Duration duration = options.timing.duration;
        int runs = options.runs;
        List<Result> results = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            Result result = run(resources, rate, warmup, duration, PORT);
            System.out.println("run " + (r + 1) + ": " + result);
            results.add(result);
        }
        System.out.println(Spread.of("notifications/s", results.stream()
                .mapToDouble(Result::notificationsPerSecond).toArray()));
        System.out.println(Spread.of("loss %", results.stream().mapToDouble(r -> r.loss() * 100).toArray()));
        for (double percentile : new double[]{50, 99, 99.9}) {
            System.out.println(Spread.of("latency ms p" + percentile, results.stream()
                    .mapToDouble(r -> r.latencyMicros().getValueAtPercentile(percentile) / 1000.0).toArray()));
        }
        System.exit(0);
    }

    /** One run: starts the server and a member on {@code memberPort}, measures, stops both. */
    public static Result run(int resources, double rate, Duration warmup, Duration duration, int memberPort)
            throws InterruptedException {
        Recorder.stopMeasuring();
        Configuration config = new Configuration(CoapConfig.DEFINITIONS, UdpConfig.DEFINITIONS);
        CoapServer server = new CoapServer(config);
        server.addEndpoint(new CoapEndpoint.Builder().setConfiguration(config)
                .setInetSocketAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).build());
        CoapResource parent = new CoapResource("b");
        List<BenchResource> all = new ArrayList<>(resources);
        for (int i = 0; i < resources; i++) {
            BenchResource resource = new BenchResource(i);
            all.add(resource);
            parent.add(resource);
        }
        server.add(parent);
        server.start();
        int serverPort = server.getEndpoints().get(0).getAddress().getPort();
        String[] uris = new String[resources];
        for (int i = 0; i < resources; i++) {
            uris[i] = "coap://127.0.0.1:" + serverPort + "/b/" + i;
        }

        Config memberConfig = GridConfigs.loopbackMember("bench-" + UUID.randomUUID(), memberPort);
        memberConfig.getMetricsConfig().setCollectionFrequencySeconds(1);
        // Through Log4j 2 (bench/src/main/resources/log4j2.xml), which shows only warnings.
        memberConfig.setProperty("hazelcast.logging.type", "log4j2");
        HazelcastInstance member = Hazelcast.newHazelcastInstance(memberConfig);
        ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor();
        try {
            Pipeline p = Pipeline.create();
            p.readFrom(CoapSources.observe(CoapObserveSettings.of(uris).toBuilder()
                            .set(CoapObserveSettings.QUEUE_CAPACITY, 100_000).build()))
             .withoutTimestamps()
             .writeTo(recordingSink());
            Job job = member.getJet().newJob(p);
            waitForRelations(all, Duration.ofMinutes(2));

            // Changes spread evenly: every tick publishes the next slice of resources.
            long tickMicros = 1_000;
            double perTick = resources * rate * tickMicros / 1_000_000.0;
            AtomicLong next = new AtomicLong();
            double[] carry = new double[1];
            publisher.scheduleAtFixedRate(() -> {
                carry[0] += perTick;
                int n = (int) carry[0];
                carry[0] -= n;
                for (int k = 0; k < n; k++) {
                    all.get((int) (next.getAndIncrement() % resources)).publish();
                }
            }, 0, tickMicros, TimeUnit.MICROSECONDS);

            TimeUnit.MILLISECONDS.sleep(warmup.toMillis());
            long changesBefore = BenchResource.CHANGES.get();
            long gapsBefore = sum(job, "coapSequenceGaps");
            long droppedBefore = sum(job, "coapDropped");
            Recorder.startMeasuring();
            TimeUnit.MILLISECONDS.sleep(duration.toMillis());
            Recorder.stopMeasuring();
            long changes = BenchResource.CHANGES.get() - changesBefore;
            publisher.shutdownNow();

            long received = Recorder.MEASURED.get();
            // Metrics are collected every second: the deltas cover the window give or take a second.
            TimeUnit.MILLISECONDS.sleep(1_500);
            long gaps = sum(job, "coapSequenceGaps") - gapsBefore;
            long dropped = sum(job, "coapDropped") - droppedBefore;
            job.cancel();
            double loss = changes == 0 ? 0 : Math.max(0, 1 - (double) received / changes);
            return new Result(resources, rate, duration, changes, received,
                    received / (duration.toMillis() / 1000.0), loss, gaps, dropped, Recorder.LATENCY.copy(),
                    Recorder.TO_SOURCE.copy());
        } finally {
            publisher.shutdownNow();
            member.shutdown();
            server.destroy();
        }
    }

    private static void waitForRelations(List<BenchResource> all, Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (all.stream().anyMatch(r -> r.getObserverCount() == 0)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not every resource was observed within " + atMost);
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    private static long sum(Job job, String metric) {
        return job.getMetrics().get(metric).stream().mapToLong(Measurement::value).sum();
    }

    private static Sink<RawReading> recordingSink() {
        return SinkBuilder.sinkBuilder("latencyRecorder", ctx -> new Object())
                .<RawReading>receiveFn((state, reading) -> Recorder.record(reading))
                .build();
    }

    /**
     * What the sink saw; static because server, member and sink share this JVM, and the sink runs on a member
     * thread that only has the class, not the benchmark's objects.
     */
    static final class Recorder {
        static final ConcurrentHistogram LATENCY = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(1), 3);
        /** changed() to the source's callback, from the epoch times (ms) of the change and of the receipt. */
        static final ConcurrentHistogram TO_SOURCE = new ConcurrentHistogram(TimeUnit.MINUTES.toMillis(1), 3);
        static final AtomicLong MEASURED = new AtomicLong();
        private static volatile boolean measuring;

        private Recorder() {
        }

        static void startMeasuring() {
            LATENCY.reset();
            TO_SOURCE.reset();
            MEASURED.set(0);
            measuring = true;
        }

        static void stopMeasuring() {
            measuring = false;
        }

        static void record(RawReading reading) {
            byte[] payload = reading.payload();
            if (!measuring || payload.length != BenchResource.PAYLOAD_BYTES) {
                return;
            }
            ByteBuffer buffer = ByteBuffer.wrap(payload);
            long changedAtNanos = buffer.getLong(Long.BYTES);
            long changedAtMillis = buffer.getLong(Long.BYTES * 2);
            if (changedAtNanos == 0) {
                return; // the state before the first change: nothing to time
            }
            long micros = (System.nanoTime() - changedAtNanos) / 1_000;
            LATENCY.recordValue(Math.min(Math.max(micros, 0), LATENCY.getHighestTrackableValue()));
            long toSource = reading.receivedAt() - changedAtMillis;
            TO_SOURCE.recordValue(Math.min(Math.max(toSource, 0), TO_SOURCE.getHighestTrackableValue()));
            MEASURED.incrementAndGet();
        }
    }

    /**
     * A resource whose payload is its change count, and the {@code nanoTime} and epoch milliseconds of its latest
     * {@code changed()}.
     */
    static final class BenchResource extends CoapResource {
        static final AtomicLong CHANGES = new AtomicLong();
        static final int PAYLOAD_BYTES = Long.BYTES * 3;
        private volatile byte[] payload = new byte[PAYLOAD_BYTES];
        private long seq;

        BenchResource(int index) {
            super(Integer.toString(index));
            setObservable(true);
            setObserveType(CoAP.Type.CON);
        }

        /** Called by one publisher thread. */
        void publish() {
            payload = ByteBuffer.allocate(PAYLOAD_BYTES).putLong(++seq).putLong(System.nanoTime())
                    .putLong(System.currentTimeMillis()).array();
            CHANGES.incrementAndGet();
            changed();
        }

        @Override
        public void handleGET(CoapExchange exchange) {
            exchange.respond(CoAP.ResponseCode.CONTENT, payload, MediaTypeRegistry.APPLICATION_OCTET_STREAM);
        }
    }
}
