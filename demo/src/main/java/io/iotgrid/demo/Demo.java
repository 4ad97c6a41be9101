package io.iotgrid.demo;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.config.ProcessingGuarantee;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.SqlMappings;
import io.iotgrid.jobs.AggregationJob;
import io.iotgrid.jobs.AggregationSettings;
import io.iotgrid.simulator.SensorSimulator;
import io.iotgrid.simulator.SimulationSettings;
import io.iotgrid.sources.CoapSources;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The embedded default: in one JVM, a Hazelcast member with Jet, a simulated CoAP sensor server, the
 * aggregation job observing every sensor, and a console table of the per-place aggregates.
 * <p>
 * How to run (from the repository root):
 * <pre>
 * mvn -q -B -DskipTests -pl demo -am package &amp;&amp; java -jar demo/target/iot-grid-demo.jar --duration 2m
 * </pre>
 * Expected output, every 5 seconds:
 * <pre>
 * iot-grid 12:00:05  readings 240  alerts 3  dead letters 0
 * place  window               state  readings  temperature avg (min..max)  humidity  pressure  luminosity
 * p-1    12:00:00-12:01:00    early        40  21.3 (18.2..24.9)            48.1      1009.8    512.0
 * </pre>
 * The member listens on 127.0.0.1:5701 in cluster {@code iot-grid}, so a client started with
 * {@code cluster-config/iot-grid-client.yaml} reads the same maps while the demo runs, and answers SQL on them
 * ({@code java -jar client/target/iot-grid-client.jar sql "SELECT * FROM place_stats"}).
 */
public final class Demo {

    static final String JOB_NAME = "iot-grid-coap-aggregation";

    private Demo() {
    }

    public static void main(String[] args) throws InterruptedException {
        // Hazelcast logs through java.util.logging unless told; the jar carries Log4j 2 and its quiet config.
        System.setProperty("hazelcast.logging.type", "log4j2");
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (IllegalArgumentException e) {
            if (!"help".equals(e.getMessage())) {
                System.err.println("error: " + e.getMessage());
            }
            System.err.print(DemoOptions.USAGE);
            System.exit(2);
            return;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "demo-stop"));
        run(options, System.out, stop);
    }

    /** Runs until {@code stop} opens or the duration ends, printing the table to {@code out}; then cleans up. */
    static void run(DemoOptions options, PrintStream out, CountDownLatch stop) throws InterruptedException {
        SimulationSettings simulation = SimulationSettings.defaults()
                .withSensors(options.sensors())
                .withPlaces(options.places())
                .withReadingsPerSecond(options.rate());
        AggregationSettings settings = AggregationSettings.defaults()
                .withWindowSize(options.window())
                .withEarlyResultsPeriod(Duration.ofSeconds(2).compareTo(options.window()) < 0
                        ? Duration.ofSeconds(2) : Duration.ZERO)
                .withAlertRules(options.alerts());

        try (SensorSimulator simulator = SensorSimulator.start(simulation)) {
            HazelcastInstance member = Hazelcast.newHazelcastInstance(
                    GridConfigs.loopbackMember("iot-grid", options.port()));
            try {
                AtomicLong alerts = new AtomicLong();
                member.getReliableTopic(settings.alertsTopic()).addMessageListener(m -> alerts.incrementAndGet());
                SqlMappings.create(member, settings.sensorStatsMap(), settings.placeStatsMap(),
                        settings.deadLettersMap());
                Job job = member.getJet().newJob(
                        AggregationJob.build(CoapSources.observe(simulator.uris().toArray(String[]::new)), settings),
                        new JobConfig().setName(JOB_NAME)
                                       .setProcessingGuarantee(ProcessingGuarantee.AT_LEAST_ONCE)
                                       .setSnapshotIntervalMillis(10_000));
                out.printf("iot-grid demo: %d sensors in %d places at %s readings/s each, observed over CoAP at "
                                + "coap://127.0.0.1:%d/sensors/*; member 127.0.0.1:%d, cluster 'iot-grid', job '%s'%n",
                        options.sensors(), options.places(), options.rate(), simulator.port(),
                        member.getCluster().getLocalMember().getAddress().getPort(), JOB_NAME);
                ConsoleTable table = new ConsoleTable(member, settings, alerts::get);
                long deadline = options.duration() == null ? Long.MAX_VALUE
                        : System.nanoTime() + options.duration().toNanos();
                while (System.nanoTime() - deadline < 0) {
                    long wait = Math.min(options.refresh().toNanos(), deadline - System.nanoTime());
                    if (stop.await(Math.max(wait, 0), TimeUnit.NANOSECONDS)) {
                        break;
                    }
                    table.print(out);
                }
                job.cancel();
                out.println("iot-grid demo: stopped after job '" + JOB_NAME + "' was cancelled");
            } finally {
                member.shutdown();
            }
        }
    }
}
