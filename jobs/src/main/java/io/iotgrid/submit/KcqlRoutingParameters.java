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

import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * @param job      the job's name, processing guarantee and snapshot interval ({@code job.*}, or the deprecated keys)
 * @param warnings keys outside {@code connect.hazelcast.*} that were given but have no effect, and deprecated keys
 *                 given (naming the key that replaced each), one sentence each
 */
public record KcqlRoutingParameters(StreamReactorProperties routing, Properties kafka, List<String> topics,
                                    JobSettings job, List<String> warnings) {

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
    /** The {@code job.*} keys of this jar, as every job jar takes them; {@link #GROUP} holds them too. */
    public static final SettingGroup JOB = JobSettings.group("KCQL routing job (job keys)", DEFAULT_JOB_NAME,
            ProcessingGuarantee.AT_LEAST_ONCE);

    /**
     * The keys this jar read before it took the {@code job.*} keys, each by the key that replaced it: still read,
     * with a warning, so that old argument lists and connector files (whose Kafka Connect {@code name} named the
     * job) keep working. The new key wins when both are given.
     */
    static final Map<Setting<?>, Setting<?>> DEPRECATED = new LinkedHashMap<>();

    static {
        GROUP.addAll(JOB);
        deprecate(JobSettings.JOB_NAME, "name");
        deprecate(JobSettings.GUARANTEE, "iotgrid.processing.guarantee");
        deprecate(JobSettings.SNAPSHOT_INTERVAL, "iotgrid.snapshot.interval");
    }

    private static void deprecate(Setting<?> declared, String oldKey) {
        Setting<?> current = JOB.find(declared.key());
        DEPRECATED.put(current, GROUP.add(current.withKey(oldKey).withDoc("deprecated, still read with a warning: use `"
                + current.key() + "`, which wins when both are given")));
    }

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
        JobSettings.Builder job = JobSettings.builder(JOB).read(args);
        DEPRECATED.forEach((current, old) -> {
            if (!args.has(old)) {
                return;
            }
            if (args.has(current)) {
                warnings.add(old.key() + " is deprecated and ignored: " + current.key() + " is given too");
            } else {
                copy(args, old, current, job);
                warnings.add(old.key() + " is deprecated: use " + current.key());
            }
        });
        return new KcqlRoutingParameters(routing, kafka, topics, job.build(), warnings);
    }

    @SuppressWarnings("unchecked")
    private static <T> void copy(SettingsReader args, Setting<?> old, Setting<T> current, JobSettings.Builder job) {
        job.set(current, (T) args.get(old));
    }

    /** The job's configuration: name, processing guarantee and snapshot interval. */
    public JobConfig jobConfig() {
        return job.jobConfig();
    }
}
