package io.iotgrid.submit;

import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.config.ProcessingGuarantee;
import io.iotgrid.kcql.KcqlStatement;
import io.iotgrid.kcql.StreamReactorProperties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What {@link KcqlRoutingSubmit} submits, read from a stream-reactor Hazelcast sink connector's properties
 * (through {@link StreamReactorProperties}) plus the Kafka Connect keys that said where records came from:
 * <pre>
 * connect.hazelcast.*           as stream-reactor's Hazelcast sink (kcql required; see the README's mapping)
 * bootstrap.servers             required: the Kafka brokers, as a Connect worker had them
 * topics                        the topics to read; default: the topics the KCQL statements read FROM
 * consumer.*                    Kafka consumer properties, without the prefix (Connect's worker overrides),
 *                               e.g. consumer.group.id; default auto.offset.reset=earliest, as Connect's
 * name                          the job's name; default iot-grid-kcql-routing
 * iotgrid.processing.guarantee  AT_LEAST_ONCE (Kafka offsets in snapshots), EXACTLY_ONCE or NONE
 * iotgrid.snapshot.interval     10s
 * </pre>
 * Other keys of a connector file ({@code connector.class}, {@code tasks.max}, converters) are listed in
 * {@link #warnings()}: values are always read as JSON objects (Connect's JsonConverter without schemas). The
 * {@code connect.hazelcast.*} keys without effect are in {@code routing().warnings()}, which the job logs when it
 * is built.
 *
 * @param routing  the statements and sink settings
 * @param kafka    the Kafka consumer properties, byte-array deserializers included
 * @param topics   the topics to read
 * @param jobName  the job's name
 * @param guarantee the job's processing guarantee
 * @param snapshotInterval how often a snapshot is taken, when the guarantee is not NONE
 * @param warnings keys outside {@code connect.hazelcast.*} that were given but have no effect, one sentence each
 */
public record KcqlRoutingParameters(StreamReactorProperties routing, Properties kafka, List<String> topics,
                                    String jobName, ProcessingGuarantee guarantee, Duration snapshotInterval,
                                    List<String> warnings) {

    public static final String DEFAULT_JOB_NAME = "iot-grid-kcql-routing";

    public KcqlRoutingParameters {
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("topics must name at least one topic");
        }
        if (snapshotInterval == null || snapshotInterval.toMillis() < 1) {
            throw new IllegalArgumentException("iotgrid.snapshot.interval must be at least 1 ms, was "
                    + snapshotInterval);
        }
        topics = List.copyOf(topics);
        warnings = List.copyOf(warnings);
    }

    /** Reads and validates the parameters; a bad key fails with a message that names it. */
    public static KcqlRoutingParameters of(JobArguments args) {
        Properties all = args.asProperties();
        StreamReactorProperties routing = StreamReactorProperties.of(all);

        Properties kafka = new Properties();
        kafka.setProperty("bootstrap.servers", args.required("bootstrap.servers",
                "the Kafka brokers to read from, e.g. 10.0.0.3:9092"));
        kafka.setProperty("auto.offset.reset", "earliest");
        List<String> warnings = new ArrayList<>();
        for (String key : all.stringPropertyNames()) {
            if (key.startsWith("consumer.")) {
                kafka.setProperty(key.substring("consumer.".length()), all.getProperty(key));
            } else if (!key.startsWith("connect.hazelcast.") && !key.startsWith("iotgrid.")
                    && !List.of("bootstrap.servers", "topics", "name").contains(key)) {
                warnings.add(key + " is ignored: the job reads JSON values from Kafka itself, no Connect worker");
            }
        }
        // The values are decoded into records by the job, so a bad one becomes a dead letter, not a failure.
        kafka.setProperty("key.deserializer", ByteArrayDeserializer.class.getName());
        kafka.setProperty("value.deserializer", ByteArrayDeserializer.class.getName());

        List<String> topics = args.list("topics");
        if (topics.isEmpty()) {
            topics = routing.statements().stream().map(KcqlStatement::source).distinct().toList();
        }
        return new KcqlRoutingParameters(routing, kafka, topics, args.string("name", DEFAULT_JOB_NAME),
                args.guarantee("iotgrid.processing.guarantee", ProcessingGuarantee.AT_LEAST_ONCE),
                args.duration("iotgrid.snapshot.interval", Duration.ofSeconds(10)), warnings);
    }

    /** The job's configuration: name, processing guarantee and snapshot interval. */
    public JobConfig jobConfig() {
        return Submission.jobConfig(jobName, guarantee, snapshotInterval);
    }
}
