package io.iotgrid.sources;

import com.hazelcast.config.Config;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.core.metrics.Measurement;
import com.hazelcast.jet.core.metrics.MeasurementPredicates;
import io.iotgrid.core.GridConfigs;

/** Reads the CoAP source's per-resource metrics of a running job, as a dashboard would. */
final class JobCounters {

    private JobCounters() {
    }

    /** A loopback member that collects metrics every second, so tests see counters soon. */
    static Config member(String cluster, int port) {
        Config config = GridConfigs.loopbackMember(cluster, port);
        config.getMetricsConfig().setCollectionFrequencySeconds(1);
        return config;
    }

    /** The latest value of metric {@code name} tagged {@code resource=<uri>}, summed over processors; 0 if none. */
    static long value(Job job, String name, String uri) {
        return job.getMetrics().filter(MeasurementPredicates.tagValueEquals("resource", uri)).get(name).stream()
                .mapToLong(Measurement::value).sum();
    }
}
