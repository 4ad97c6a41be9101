package io.iotgrid.jobs;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.function.FunctionEx;
import com.hazelcast.jet.datamodel.Tuple2;
import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.StreamSource;
import com.hazelcast.jet.pipeline.StreamStage;
import com.hazelcast.logging.Logger;
import io.iotgrid.core.DeadLetter;
import io.iotgrid.kcql.KcqlSinks;
import io.iotgrid.kcql.StreamReactorProperties;
import io.iotgrid.kcql.TopicRecord;
import io.iotgrid.sinks.GridSinks;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.charset.StandardCharsets;

import static com.hazelcast.jet.datamodel.Tuple2.tuple2;

/**
 * The job a stream-reactor Hazelcast sink configuration becomes: records of the source routed into grid
 * structures by the {@code connect.hazelcast.kcql} statements, with the old error policy, retries and target
 * cluster. Example:
 * {@code KcqlRoutingJob.build(hz, source, StreamReactorProperties.load(Path.of("hazelcast-sink.properties")))}.
 * The source is a parameter, so the same job reads Kafka topics, or any Jet source of {@link TopicRecord}s.
 * Kafka topics as a Connect worker with the JsonConverter read them: a source of Kafka records, e.g.
 * {@code StreamSource<ConsumerRecord<byte[], byte[]>> kafka =
 * KafkaSources.kafka(consumer, (ConsumerRecord<byte[], byte[]> r) -> r, topics)}, decoded by {@link #decode}:
 * {@code build(hz, kafka, KcqlRoutingJob::decode, properties)}. That is what {@code iot-grid-kcql-routing-job.jar}
 * (module {@code job-jars}) submits.
 * Submit it with {@link JobSerializers#register} on its {@code JobConfig}, so it can share members with other
 * iot-grid jobs submitted from jars.
 * <p>
 * The pipeline is built against the cluster it is submitted to ({@code hz}, a member or a client): the target
 * structures are checked and prepared there as {@link KcqlSinks} says, so a statement the target cluster cannot
 * serve (an ICACHE it does not configure, RING_BUFFER parameters that contradict its Ringbuffer) fails
 * {@code build}, not the running job.
 */
public final class KcqlRoutingJob {

    private KcqlRoutingJob() {
    }

    /**
     * The pipeline over a source of records, to be submitted to {@code hz}; logs one warning for each key of
     * {@code properties} that is accepted but has no effect. Delivery: as {@link KcqlSinks} says, at least once
     * into each structure.
     *
     * @throws IllegalStateException if the target cluster cannot serve a statement; the message says what to
     *                               configure
     */
    public static Pipeline build(HazelcastInstance hz, StreamSource<TopicRecord> source,
                                 StreamReactorProperties properties) {
        return build(hz, source, record -> tuple2(record, null), properties);
    }

    /**
     * The pipeline over a source whose items {@code decodeFn} turns into records: {@code f0} of its result is
     * routed by the statements; {@code f1}, set when the item is no record, goes to the dead letters map of the
     * sink settings and the job goes on. Logs one warning for each key of {@code properties} that is accepted but
     * has no effect. Delivery: as {@link KcqlSinks} says, at least once into each structure; dead letters at least
     * once.
     *
     * @param hz the cluster the job is to be submitted to, a member or a client
     * @throws IllegalStateException if the target cluster cannot serve a statement; the message says what to
     *                               configure
     */
    public static <T> Pipeline build(HazelcastInstance hz, StreamSource<T> source,
                                     FunctionEx<? super T, Tuple2<TopicRecord, DeadLetter>> decodeFn,
                                     StreamReactorProperties properties) {
        properties.warnings().forEach(Logger.getLogger(KcqlRoutingJob.class)::warning);
        Pipeline p = Pipeline.create();
        StreamStage<Tuple2<TopicRecord, DeadLetter>> decoded = p.readFrom(source).withoutTimestamps()
                .map(decodeFn).setName("decode");
        decoded.map(Tuple2::f1).setName("undecodable")
               .writeTo(GridSinks.deadLetters(properties.settings().deadLettersMap()));
        KcqlSinks.writeTo(hz, decoded.map(Tuple2::f0).setName("records"), properties.statements(),
                properties.settings());
        return p;
    }

    /**
     * A Kafka record as Connect's JsonConverter without schemas reads it: the value one JSON object, the key its
     * UTF-8 text, a {@code null} value a tombstone. A value that is not one JSON object becomes the dead letter
     * that says why (source {@code kafka:<topic>/<partition>@<offset>}, the coordinates, raw key and value).
     */
    public static Tuple2<TopicRecord, DeadLetter> decode(ConsumerRecord<byte[], byte[]> r) {
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
