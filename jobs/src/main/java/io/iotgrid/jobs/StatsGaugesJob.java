package io.iotgrid.jobs;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.SinkBuilder;
import com.hazelcast.jet.pipeline.SourceBuilder;
import io.iotgrid.core.GridNames;
import io.iotgrid.core.WindowStats;
import io.iotgrid.jobs.impl.LocalEntries;
import io.iotgrid.jobs.impl.StatsGauges;

import java.time.Duration;
import java.util.List;

/**
 * How to run, with any job jar of iot-grid (they carry this class), against a cluster whose members run Jet with
 * resource upload on:
 * <pre>
 * bin/hz-cli -t iot-grid@127.0.0.1:5701 submit -c io.iotgrid.jobs.StatsGaugesJob iot-grid-coap-aggregation-job.jar
 * </pre>
 * Expected output: {@code iot-grid: gauges of place_stats in job 'iot-grid-gauges-place_stats' (0a1b-...)}. Name
 * other maps as arguments ({@code ... job.jar sensor_stats place_stats}); one job per map, submitted only if not
 * running yet.
 * <p>
 * Publishes the latest window of every key of a stats map (e.g. {@code place_stats}) as JMX gauges, so the
 * members' Prometheus agent ({@code PROMETHEUS_PORT} on the distribution and the image) exports per-place
 * averages next to the job metrics, and a Grafana dashboard can draw them:
 * <pre>
 * com_hazelcast_iotgrid_Metrics_temperatureAvg{instance="...",map="place_stats",id="p-1",} 21.5
 * </pre>
 * Every {@code period}, each member reads the entries it owns and registers, updates or unregisters one MBean
 * {@value #JMX_DOMAIN}{@code :type=Metrics,instance=<member>,map=<map>,id=<key>} per key, with the attributes
 * {@code count}, {@code windowStart}, {@code windowEnd}, {@code early} and, for each measure the window carried,
 * one per {@link io.iotgrid.core.Statistic} named as the {@link WindowStats} component ({@code temperatureAvg},
 * ...). A key therefore has one gauge in the cluster, on its owner (after a partition migration, from the next
 * period on). Example:
 * {@code hz.getJet().newJobIfAbsent(StatsGaugesJob.build(GridNames.PLACE_STATS, Duration.ofSeconds(5)),
 * new JobConfig().setName("iot-grid-place-gauges"))}.
 * <p>
 * Delivery: gauges show the map's current state, so there is nothing to lose or to count twice; after a restart
 * the next period reads the map again. The job keeps no state: run it without a processing guarantee. When it
 * stops, its gauges are unregistered. One source and one sink instance per member.
 */
public final class StatsGaugesJob {

    /** JMX domain of the gauges; the Prometheus agent's {@code com.hazelcast*:type=Metrics,*} filter exports it. */
    public static final String JMX_DOMAIN = "com.hazelcast.iotgrid";

    /** Period of {@link #main}'s jobs: well below any Prometheus scrape interval. */
    private static final Duration MAIN_PERIOD = Duration.ofSeconds(5);

    private StatsGaugesJob() {
    }

    /** Submits one gauges job per map named in {@code args} ({@value GridNames#PLACE_STATS} when none). */
    public static void main(String[] args) {
        var jet = Hazelcast.bootstrappedInstance().getJet();
        for (String map : args.length == 0 ? new String[] {GridNames.PLACE_STATS} : args) {
            Job job = jet.newJobIfAbsent(build(map, MAIN_PERIOD), new JobConfig().setName("iot-grid-gauges-" + map));
            System.out.println("iot-grid: gauges of " + map + " in job '" + job.getName() + "' (" + job.getIdString()
                    + ')');
        }
    }

    /**
     * The pipeline publishing the entries of {@code statsMap}, an IMap of {@link WindowStats} such as the
     * aggregation job's {@code sensor_stats} and {@code place_stats}, read every {@code period} (at least 1 s:
     * Prometheus scrapes far less often).
     */
    public static Pipeline build(String statsMap, Duration period) {
        if (statsMap == null || statsMap.isBlank()) {
            throw new IllegalArgumentException("statsMap must be a map name, was '" + statsMap + "'");
        }
        if (period == null || period.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("period must be at least 1 s, was " + period);
        }
        long periodMillis = period.toMillis();
        Pipeline p = Pipeline.create();
        p.readFrom(SourceBuilder.stream("localEntries(" + statsMap + ')',
                                ctx -> new LocalEntries(ctx.hazelcastInstance().getMap(statsMap), periodMillis))
                        .<List<WindowStats>>fillBufferFn(LocalEntries::fill)
                        .distributed(1)
                        .build())
         .withoutTimestamps()
         .writeTo(SinkBuilder.sinkBuilder("jmxGauges(" + statsMap + ')',
                                 ctx -> new StatsGauges(JMX_DOMAIN, ctx.hazelcastInstance().getName(), statsMap))
                         .<List<WindowStats>>receiveFn(StatsGauges::update)
                         .destroyFn(StatsGauges::close)
                         .preferredLocalParallelism(1)
                         .build());
        return p;
    }
}
