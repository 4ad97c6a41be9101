package io.iotgrid.submit;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.logging.Logger;
import io.iotgrid.jobs.AggregationJob;
import io.iotgrid.jobs.AggregationSettings;

/**
 * Main class of {@code iot-grid-mqtt-aggregation-job.jar}: submits the {@link AggregationJob} subscribing to an MQTT
 * broker to the cluster {@code hz-cli} is connected to, after creating the SQL mappings of its result maps.
 * <p>
 * How to run, from an unpacked Hazelcast 5.5 distribution whose members run Jet with resource upload on:
 * <pre>
 * bin/hz-cli -t iot-grid@127.0.0.1:5701 submit iot-grid-mqtt-aggregation-job.jar \
 *     mqtt.broker=mqtt://10.0.0.5:1883 mqtt.topics='plant/+/sensors/#' \
 *     mqtt.topic.template='plant/{placeId}/sensors/{sensorId}' window.size=5m
 * </pre>
 * or with a stream-reactor MQTT source connector's properties file ({@code connect.mqtt.hosts},
 * {@code connect.mqtt.kcql}, ...; {@link MqttAggregationParameters} lists every key):
 * {@code bin/hz-cli submit iot-grid-mqtt-aggregation-job.jar mqtt-source.properties}. Arguments are
 * {@code key=value} pairs and/or properties files, later ones winning. Expected output:
 * {@code iot-grid: submitted job 'iot-grid-mqtt-aggregation' (0a1b-...)}, after one WARNING per key that has no
 * effect; a bad parameter prints its key and value and exits with status 2, before anything reaches the cluster.
 * TLS files are read here, on the machine running {@code hz-cli}: the members need none.
 * <p>
 * Delivery guarantee: with QoS 1 or 2 and the default {@code at_least_once}, a message is acknowledged to the broker
 * only after the snapshot that holds it, so a member loss or a job restart loses none (the README's "MQTT source"
 * says what the broker's own limits do); QoS 0 is at most once.
 */
public final class MqttAggregationSubmit {

    private MqttAggregationSubmit() {
    }

    public static void main(String[] args) {
        MqttAggregationParameters params = Submission.parse(args, MqttAggregationParameters::of,
                "hz-cli submit iot-grid-mqtt-aggregation-job.jar [FILE.properties] mqtt.broker=mqtt://HOST:PORT "
                        + "mqtt.topics=FILTER,... [key=value ...]");
        params.warnings().forEach(Logger.getLogger(MqttAggregationSubmit.class)::warning);
        Submission.printSubmitted(submit(Hazelcast.bootstrappedInstance(), params));
    }

    /**
     * What {@link #main} does once the parameters are read: creates the SQL mappings of the result maps, then
     * submits the job subscribing to the broker to {@code hz}.
     */
    public static Job submit(HazelcastInstance hz, MqttAggregationParameters params) {
        AggregationSettings settings = params.settings();
        AggregationJob.createSqlMappings(hz, settings);
        return hz.getJet().newJob(AggregationJob.build(AggregationJob.mqttSource(params.mqtt(), settings), settings),
                params.jobConfig());
    }
}
