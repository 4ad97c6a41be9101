package io.iotgrid.submit;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import io.iotgrid.jobs.AggregationJob;
import io.iotgrid.jobs.AggregationSettings;

/**
 * Main class of {@code iot-grid-coap-aggregation-job.jar}: submits the {@link AggregationJob} observing CoAP
 * resources to the cluster {@code hz-cli} is connected to, after creating the SQL mappings of its result maps.
 * <p>
 * How to run, from an unpacked Hazelcast 5.5 distribution whose members run Jet with resource upload on:
 * <pre>
 * bin/hz-cli -t iot-grid@127.0.0.1:5701 submit iot-grid-coap-aggregation-job.jar plant.properties \
 *     coap.uris=coaps://10.0.0.7:5684/sensors/boiler,coap://10.0.0.8:5683/sensors/hall window.size=5m \
 *     coap.security=psk coap.psk.identity=gw-1 coap.psk.secret.file=/etc/iot-grid/psk
 * </pre>
 * Arguments are {@code key=value} pairs and/or properties files, later ones winning
 * ({@link CoapAggregationParameters} lists the keys). Expected output:
 * {@code iot-grid: submitted job 'iot-grid-coap-aggregation' (0a1b-...)}; a bad parameter prints its key and value
 * and exits with status 2, before anything reaches the cluster. Key files ({@code coap.psk.secret.file},
 * {@code coap.x509.*}, {@code coap.keystore.path}, ...) are read here, on the machine running {@code hz-cli}: the
 * members need none.
 * <p>
 * Delivery guarantee: as {@link AggregationJob} says (CoAP observe is at most once; the stats maps are effectively
 * once with a snapshotting guarantee, the default {@code at_least_once}).
 */
public final class CoapAggregationSubmit {

    private CoapAggregationSubmit() {
    }

    public static void main(String[] args) {
        CoapAggregationParameters params = Submission.parse(args, CoapAggregationParameters::of,
                "hz-cli submit iot-grid-coap-aggregation-job.jar [FILE.properties] coap.uris=coap://HOST:PORT/PATH,... "
                        + "[key=value ...]");
        Submission.printSubmitted(submit(Hazelcast.bootstrappedInstance(), params));
    }

    /**
     * What {@link #main} does once the parameters are read: creates the SQL mappings of the result maps, then
     * submits the job observing the CoAP resources to {@code hz}.
     */
    public static Job submit(HazelcastInstance hz, CoapAggregationParameters params) {
        AggregationSettings settings = params.settings();
        AggregationJob.createSqlMappings(hz, settings);
        return hz.getJet().newJob(AggregationJob.build(AggregationJob.coapSource(params.coap(), settings), settings),
                params.jobConfig());
    }
}
