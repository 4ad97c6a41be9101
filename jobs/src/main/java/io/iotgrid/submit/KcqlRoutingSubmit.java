package io.iotgrid.submit;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.kafka.KafkaSources;
import com.hazelcast.jet.pipeline.StreamSource;
import com.hazelcast.logging.Logger;
import io.iotgrid.core.SqlMappings;
import io.iotgrid.jobs.KcqlRoutingJob;
import io.iotgrid.kcql.KcqlSinks;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Main class of {@code iot-grid-kcql-routing-job.jar}: submits the {@link KcqlRoutingJob} reading Kafka topics and
 * dead-lettering values that are not JSON objects, configured by a stream-reactor Hazelcast sink connector's
 * properties file ({@link KcqlRoutingParameters} lists the keys).
 * <p>
 * How to run, from an unpacked Hazelcast 5.5 distribution (its {@code lib/} has the Kafka connector):
 * <pre>
 * bin/hz-cli -t iot-grid@127.0.0.1:5701 submit iot-grid-kcql-routing-job.jar hazelcast-sink.properties \
 *     bootstrap.servers=10.0.0.3:9092
 * </pre>
 * Expected output: {@code iot-grid: submitted job 'iot-grid-kcql-routing' (0a1b-...)}, after one WARNING per key
 * that has no effect (the {@code connect.hazelcast.*} ones logged by the job's {@code build}).
 * <p>
 * Each Kafka value is read as one JSON object (key: its UTF-8 text); a value that is not one becomes a dead
 * letter (source {@code kafka:<topic>/<partition>@<offset>}, the topic, partition, offset, raw key and value, the
 * reason) instead of failing the job.
 * Delivery guarantee: Kafka offsets are in the job's snapshots, and every structure is written at least once
 * (see {@link KcqlSinks}); with {@code NONE}, offsets follow the consumer group's auto-commit.
 */
public final class KcqlRoutingSubmit {

    private KcqlRoutingSubmit() {
    }

    public static void main(String[] args) {
        KcqlRoutingParameters params = Submission.parse(args, KcqlRoutingParameters::of,
                "hz-cli submit iot-grid-kcql-routing-job.jar SINK.properties [bootstrap.servers=HOST:PORT] "
                        + "[key=value ...]");
        params.warnings().forEach(Logger.getLogger(KcqlRoutingSubmit.class)::warning);
        Submission.printSubmitted(submit(Hazelcast.bootstrappedInstance(), params));
    }

    /**
     * What {@link #main} does once the parameters are read: creates the SQL mapping of the dead letters map, then
     * submits the {@link KcqlRoutingJob} reading the Kafka topics to {@code hz}.
     */
    public static Job submit(HazelcastInstance hz, KcqlRoutingParameters params) {
        SqlMappings.createDeadLetters(hz, params.routing().settings().deadLettersMap());
        StreamSource<ConsumerRecord<byte[], byte[]>> kafka = KafkaSources.kafka(params.kafka(),
                (ConsumerRecord<byte[], byte[]> r) -> r, params.topics().toArray(String[]::new));
        return hz.getJet().newJob(KcqlRoutingJob.build(hz, kafka, KcqlRoutingJob::decode, params.routing()),
                params.jobConfig());
    }
}
