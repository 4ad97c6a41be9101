package io.iotgrid.submit;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import io.iotgrid.core.SqlMappings;
import io.iotgrid.jobs.AggregationJob;
import io.iotgrid.sources.CoapSources;

/**
 * Main class of {@code iot-grid-coap-aggregation-job.jar}: submits the {@link AggregationJob} observing CoAP
 * resources to the cluster {@code hz-cli} is connected to, after creating the SQL mappings of its result maps.
 * <p>
 * How to run, from an unpacked Hazelcast 5.5 distribution whose members run Jet with resource upload on:
 * <pre>
 * bin/hz-cli -t iot-grid@127.0.0.1:5701 submit iot-grid-coap-aggregation-job.jar \
 *     coapUris=coap://10.0.0.7:5683/sensors/boiler,coap://10.0.0.8:5683/sensors/hall windowSize=5m
 * </pre>
 * Arguments are {@code key=value} pairs and/or properties files ({@link CoapAggregationParameters} lists the
 * keys). Expected output: {@code iot-grid: submitted job 'iot-grid-coap-aggregation' (0a1b-...)}; a bad
 * parameter prints its key and value and exits with status 2, before anything reaches the cluster.
 * <p>
 * Delivery guarantee: as {@link AggregationJob} says (CoAP observe is at most once; the stats maps are effectively
 * once with a snapshotting guarantee, the default AT_LEAST_ONCE).
 */
public final class CoapAggregationSubmit {

    private CoapAggregationSubmit() {
    }

    public static void main(String[] args) {
        CoapAggregationParameters params = Submission.parse(args, CoapAggregationParameters::of,
                "hz-cli submit iot-grid-coap-aggregation-job.jar [FILE.properties] coapUris=coap://HOST:PORT/PATH,... "
                        + "[key=value ...]");
        HazelcastInstance hz = Hazelcast.bootstrappedInstance();
        SqlMappings.create(hz, params.settings().sensorStatsMap(), params.settings().placeStatsMap(),
                params.settings().deadLettersMap());
        Job job = hz.getJet().newJob(
                AggregationJob.build(CoapSources.observe(params.coap()), params.settings()), params.jobConfig());
        Submission.printSubmitted(job);
    }
}
