package io.iotgrid.submit;

import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.config.ProcessingGuarantee;
import io.iotgrid.core.settings.Setting;
import io.iotgrid.core.settings.SettingGroup;
import io.iotgrid.core.settings.SettingsReader;
import io.iotgrid.jobs.JobSettings;
import io.iotgrid.kcql.KcqlStatement;
import io.iotgrid.kcql.StreamReactorProperties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What {@link KcqlRoutingSubmit} submits, read from a stream-reactor Hazelcast sink connector's properties
 * (the {@code connect.hazelcast.*} keys of {@link StreamReactorProperties}) plus the Kafka Connect keys that said
 * where records came from, declared in {@link #GROUP}. Other keys of a connector file ({@code connector.class},
 * {@code tasks.max}, converters) are listed in {@link #warnings()}: values are always read as JSON objects (Connect's
 * JsonConverter without schemas). The {@code connect.hazelcast.*} keys without effect are in
 * {@code routing().warnings()}, which the job logs when it is built.
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

    /** The keys of the KCQL routing jar besides stream-reactor's {@code connect.hazelcast.*}. */
    public static final SettingGroup GROUP = new SettingGroup("KCQL routing job");

    static final Setting<String> BOOTSTRAP_SERVERS = GROUP.add(Setting.string("bootstrap.servers", null,
            "the Kafka brokers to read from, as a Connect worker had them, e.g. `10.0.0.3:9092`"));
    static final Setting<List<String>> TOPICS = GROUP.add(Setting.list("topics", null,
            "topics to read, comma-separated; not set: the topics the statements read `FROM`").optional());
    static final Setting<Map<String, String>> CONSUMER = GROUP.add(Setting.prefixed("consumer.",
            "Kafka consumer properties without the prefix (Connect's worker overrides), e.g. "
                    + "`consumer.group.id=routing`; `auto.offset.reset=earliest` unless given"));
    static final Setting<String> NAME = GROUP.add(JobSettings.JOB_NAME.withKey("name").withDefault(DEFAULT_JOB_NAME));
    static final Setting<ProcessingGuarantee> GUARANTEE = GROUP.add(
            JobSettings.GUARANTEE.withKey("iotgrid.processing.guarantee"));
    static final Setting<Duration> SNAPSHOT_INTERVAL = GROUP.add(
            JobSettings.SNAPSHOT_INTERVAL.withKey("iotgrid.snapshot.interval"));

    public KcqlRoutingParameters {
        if (topics.isEmpty()) {
            throw new IllegalArgumentException(TOPICS.key() + " must name at least one topic");
        }
        topics = List.copyOf(topics);
        warnings = List.copyOf(warnings);
    }

    /** Reads and validates the parameters; a bad key fails with a message that names it. */
    public static KcqlRoutingParameters of(SettingsReader args) {
        StreamReactorProperties routing = StreamReactorProperties.of(args);
        String bootstrap = args.get(BOOTSTRAP_SERVERS);
        if (bootstrap == null) {
            throw new IllegalArgumentException(BOOTSTRAP_SERVERS.key() + " is required: " + BOOTSTRAP_SERVERS.doc());
        }
        Properties kafka = new Properties();
        kafka.setProperty("bootstrap.servers", bootstrap);
        kafka.setProperty("auto.offset.reset", "earliest");
        kafka.putAll(args.get(CONSUMER));
        // The values are decoded into records by the job, so a bad one becomes a dead letter, not a failure.
        kafka.setProperty("key.deserializer", ByteArrayDeserializer.class.getName());
        kafka.setProperty("value.deserializer", ByteArrayDeserializer.class.getName());

        List<String> warnings = new ArrayList<>();
        for (String key : args.asProperties().stringPropertyNames()) {
            if (!key.startsWith("connect.hazelcast.") && !key.startsWith(CONSUMER.prefix())
                    && GROUP.find(key) == null) {
                warnings.add(key + " is ignored: the job reads JSON values from Kafka itself, no Connect worker");
            }
        }
        List<String> topics = args.get(TOPICS);
        if (topics == null || topics.isEmpty()) {
            topics = routing.statements().stream().map(KcqlStatement::source).distinct().toList();
        }
        return new KcqlRoutingParameters(routing, kafka, topics, args.get(NAME), args.get(GUARANTEE),
                args.get(SNAPSHOT_INTERVAL), warnings);
    }

    /** The job's configuration: name, processing guarantee and snapshot interval. */
    public JobConfig jobConfig() {
        return Submission.jobConfig(jobName, guarantee, snapshotInterval);
    }
}
