package io.iotgrid.sources;

import com.hazelcast.collection.IList;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.core.metrics.Measurement;
import com.hazelcast.jet.core.metrics.MeasurementPredicates;
import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.Sinks;
import com.hazelcast.jet.pipeline.StreamSource;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.testing.Resources;

import java.time.Duration;

import static org.awaitility.Awaitility.await;

/** Runs a CoAP source into a list on a test member and reads its per-resource metrics, as a dashboard would. */
final class SourceJobs {

    private static final Duration CANCEL_WAIT = Duration.ofSeconds(30);

    private SourceJobs() {
    }

    /** A loopback member that collects metrics every second, so tests see counters soon. */
    static Config member(String cluster, int port) {
        Config config = GridConfigs.loopbackMember(cluster, port);
        config.getMetricsConfig().setCollectionFrequencySeconds(1);
        return config;
    }

    /** Runs {@code source} into {@code into}; the job is cancelled, and its end awaited, when the test ends. */
    static <T> Job run(HazelcastInstance member, Resources resources, StreamSource<T> source, IList<T> into) {
        Pipeline p = Pipeline.create();
        p.readFrom(source).withoutTimestamps().writeTo(Sinks.list(into));
        Job job = member.getJet().newJob(p);
        resources.onClose(() -> {
            job.cancel();
            await().atMost(CANCEL_WAIT).until(() -> job.getStatus().isTerminal());
        });
        return job;
    }

    /** The latest value of metric {@code name} tagged {@code resource=<uri>}, summed over processors; 0 if none. */
    static long value(Job job, String name, String uri) {
        return job.getMetrics().filter(MeasurementPredicates.tagValueEquals("resource", uri)).get(name).stream()
                .mapToLong(Measurement::value).sum();
    }
}
