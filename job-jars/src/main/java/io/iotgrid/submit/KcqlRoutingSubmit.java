package io.iotgrid.submit;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.datamodel.Tuple2;
import com.hazelcast.jet.kafka.KafkaSources;
import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.StreamSource;
import com.hazelcast.jet.pipeline.StreamStage;
import io.iotgrid.core.DeadLetter;
import io.iotgrid.jobs.KcqlRoutingJob;
import io.iotgrid.core.SqlMappings;
import io.iotgrid.kcql.KcqlSinks;
import io.iotgrid.kcql.StreamReactorProperties;
import io.iotgrid.kcql.TopicRecord;
import io.iotgrid.sinks.GridSinks;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.charset.StandardCharsets;

import static com.hazelcast.jet.datamodel.Tuple2.tuple2;

/**
 * Main class of {@code iot-grid-kcql-routing-job.jar}: KCQL routing as {@link KcqlRoutingJob} does it, reading
 * Kafka topics and dead-lettering values that are not JSON objects, configured by a stream-reactor Hazelcast sink
 * connector's properties file ({@link KcqlRoutingParameters} lists the keys).
 * <p>
 * How to run, from an unpacked Hazelcast 5.5 distribution (its {@code lib/} has the Kafka connector):
 * <pre>
 * bin/hz-cli -t iot-grid@127.0.0.1:5701 submit iot-grid-kcql-routing-job.jar hazelcast-sink.properties \
 *     bootstrap.servers=10.0.0.3:9092
 * </pre>
 * Expected output: {@code iot-grid: submitted job 'iot-grid-kcql-routing' (0a1b-...)}, after one WARNING per key
 * that has no effect.
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
        KcqlRoutingParameters params = Submission.parse(args, reader -> KcqlRoutingParameters.of(JobArguments.parse(args)),
                "hz-cli submit iot-grid-kcql-routing-job.jar SINK.properties [bootstrap.servers=HOST:PORT] "
                        + "[key=value ...]");
        params.warnings().forEach(w -> System.err.println("warning: " + w));
        Submission.printSubmitted(submit(Hazelcast.bootstrappedInstance(), params));
    }

    /**
     * What {@link #main} does once the parameters are read: creates the SQL mapping of the dead letters map, then
     * submits the routing job reading the Kafka topics to {@code hz}.
     */
    static Job submit(HazelcastInstance hz, KcqlRoutingParameters params) {
        SqlMappings.createDeadLetters(hz, params.routing().settings().deadLettersMap());
        StreamSource<Tuple2<TopicRecord, DeadLetter>> source = KafkaSources.kafka(params.kafka(),
                KcqlRoutingSubmit::decode, params.topics().toArray(String[]::new));
        return hz.getJet().newJob(build(source, params.routing()), params.jobConfig());
    }

    /**
     * The routing pipeline over decoded records: {@code f0} is routed by the statements, {@code f1} (set when
     * decoding failed) goes to the dead letters map of the sink settings.
     */
    public static Pipeline build(StreamSource<Tuple2<TopicRecord, DeadLetter>> source,
                                 StreamReactorProperties properties) {
        Pipeline p = Pipeline.create();
        StreamStage<Tuple2<TopicRecord, DeadLetter>> decoded = p.readFrom(source).withoutTimestamps();
        decoded.map(Tuple2::f1).setName("undecodable")
               .writeTo(GridSinks.deadLetters(properties.settings().deadLettersMap()));
        KcqlSinks.writeTo(decoded.map(Tuple2::f0).setName("records"), properties.statements(),
                properties.settings());
        return p;
    }

    /** A record, or the dead letter that says why its value is not one JSON object. */
    static Tuple2<TopicRecord, DeadLetter> decode(ConsumerRecord<byte[], byte[]> r) {
        Object key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
        if (r.value() == null) {
            return tuple2(new TopicRecord(r.topic(), key, null), null);
        }
        try {
            return tuple2(TopicRecord.json(r.topic(), key, r.value()), null);
        } catch (IllegalArgumentException e) {
            return tuple2(null, DeadLetter.ofKafka(r.topic(), r.partition(), r.offset(), r.key(), r.value(),
                    System.currentTimeMillis(), e.getMessage()));
        }
    }
}
