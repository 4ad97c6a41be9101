package io.iotgrid.jobs;

import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.config.ProcessingGuarantee;
import io.iotgrid.core.settings.Setting;
import io.iotgrid.core.settings.SettingGroup;
import io.iotgrid.core.settings.Settings;
import io.iotgrid.core.settings.SettingsBuilder;
import io.iotgrid.core.settings.SettingsReader;
import io.iotgrid.sources.kafka.KafkaPayloadSettings;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Settings of the Kafka flavour of the aggregation job ({@link KafkaAggregationJob}): where to read, how values
 * carry readings ({@link KafkaPayloadSettings}), the Kafka clients' extra properties, where closed windows go and
 * how the job runs (the {@code job.*} keys of {@link JobSettings}, here with the default name
 * {@value #DEFAULT_JOB_NAME} and {@code exactly_once}). Each option is declared once below; build them with
 * {@link #of(String, String...)} and {@link #toBuilder()}, or read them with {@link #fromProperties(Properties)}.
 * Under {@code exactly_once} the results topics are written in Kafka transactions.
 */
public final class KafkaJobSettings extends Settings {

    private static final long serialVersionUID = 1L;

    public static final String DEFAULT_JOB_NAME = "iot-grid-kafka-aggregation";

    /** The {@code job.*} settings of this job. */
    public static final SettingGroup JOB_GROUP = JobSettings.group("Kafka aggregation job", DEFAULT_JOB_NAME,
            ProcessingGuarantee.EXACTLY_ONCE);

    /** Every setting of the Kafka flavour, {@link #JOB_GROUP}'s included. */
    public static final SettingGroup GROUP = new SettingGroup("Kafka source and results");

    public static final Setting<String> BOOTSTRAP_SERVERS = GROUP.add(Setting.string("kafka.bootstrap.servers",
            null, "the brokers, `host:port` comma-separated"));
    public static final Setting<List<String>> TOPICS = GROUP.add(Setting.list("kafka.topics", null,
            "topics to read, comma-separated").require(t -> !t.isEmpty(), "at least one topic"));
    public static final Setting<KafkaPayloadSettings> PAYLOAD = GROUP.add(Setting.part("kafka.payload",
            KafkaPayloadSettings.GROUP, KafkaPayloadSettings.json(),
            reader -> KafkaPayloadSettings.builder().read(reader).build(), "how record values carry readings"));
    public static final Setting<Map<String, String>> CONSUMER_PROPERTIES = GROUP.add(Setting.prefixed(
            "kafka.consumer.", "extra Kafka consumer properties, over `auto.offset.reset=earliest` and "
                    + "`isolation.level=read_committed`"));
    public static final Setting<Map<String, String>> PRODUCER_PROPERTIES = GROUP.add(Setting.prefixed(
            "kafka.producer.", "extra Kafka producer properties of the results sinks"));
    public static final Setting<String> SENSOR_RESULTS_TOPIC = GROUP.add(Setting.string("results.sensor.topic",
            null, "topic for each closed window per sensor, keyed by sensor id, JSON").optional());
    public static final Setting<String> PLACE_RESULTS_TOPIC = GROUP.add(Setting.string("results.place.topic",
            null, "topic for each closed window per place, keyed by place id, JSON").optional());
    public static final Setting<Duration> TRANSACTION_TIMEOUT = GROUP.add(Setting.duration(
            "results.transaction.timeout", Duration.ofSeconds(60), "the results producers' `transaction.timeout.ms`: "
                    + "longer than `job.snapshot.interval`, at most the broker's `transaction.max.timeout.ms`")
            .require(d -> d.toMillis() >= 1, "at least 1ms"));

    static {
        GROUP.addAll(JOB_GROUP);
    }

    private KafkaJobSettings(Builder builder) {
        super(builder);
    }

    /** A builder with every setting at its default; the brokers and topics are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Reads JSON readings from {@code topics} at {@code bootstrapServers}, EXACTLY_ONCE with 10-second snapshots,
     * no results topics.
     */
    public static KafkaJobSettings of(String bootstrapServers, String... topics) {
        return builder().set(BOOTSTRAP_SERVERS, bootstrapServers).set(TOPICS, Arrays.asList(topics)).build();
    }

    /** Settings from properties with the keys of {@link #GROUP}; absent keys take their defaults. */
    public static KafkaJobSettings fromProperties(Properties props) {
        return builder().read(SettingsReader.of(props)).build();
    }

    /** {@link #BOOTSTRAP_SERVERS}. */
    public String bootstrapServers() {
        return get(BOOTSTRAP_SERVERS);
    }

    /** {@link #TOPICS}. */
    public List<String> topics() {
        return get(TOPICS);
    }

    /** {@link #PAYLOAD}. */
    public KafkaPayloadSettings payload() {
        return get(PAYLOAD);
    }

    /** {@link #SENSOR_RESULTS_TOPIC}; {@code null} for none. */
    public String sensorResultsTopic() {
        return get(SENSOR_RESULTS_TOPIC);
    }

    /** {@link #PLACE_RESULTS_TOPIC}; {@code null} for none. */
    public String placeResultsTopic() {
        return get(PLACE_RESULTS_TOPIC);
    }

    /** {@link JobSettings#JOB_NAME}. */
    public String jobName() {
        return get(JobSettings.JOB_NAME);
    }

    /** {@link JobSettings#GUARANTEE}. */
    public ProcessingGuarantee guarantee() {
        return get(JobSettings.GUARANTEE);
    }

    /** {@link JobSettings#SNAPSHOT_INTERVAL}. */
    public Duration snapshotInterval() {
        return get(JobSettings.SNAPSHOT_INTERVAL);
    }

    /** {@link #TRANSACTION_TIMEOUT}. */
    public Duration transactionTimeout() {
        return get(TRANSACTION_TIMEOUT);
    }

    /**
     * The job's configuration: its name, processing guarantee and snapshot interval, with the
     * {@link JobSerializers} registered.
     */
    public JobConfig jobConfig() {
        return JobSettings.builder(JOB_GROUP).set(JobSettings.JOB_NAME, jobName())
                          .set(JobSettings.GUARANTEE, guarantee())
                          .set(JobSettings.SNAPSHOT_INTERVAL, snapshotInterval()).build().jobConfig();
    }

    /** What the source's consumers are given: byte-array deserializers, the defaults and the extras. */
    public Properties consumer() {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", bootstrapServers());
        p.setProperty("key.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        p.setProperty("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        p.setProperty("auto.offset.reset", "earliest");
        p.setProperty("isolation.level", "read_committed");
        p.putAll(get(CONSUMER_PROPERTIES));
        return p;
    }

    /** What the results producers are given: string serializers, the transaction timeout and the extras. */
    public Properties producer() {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", bootstrapServers());
        p.setProperty("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        p.setProperty("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        p.setProperty("transaction.timeout.ms", Long.toString(transactionTimeout().toMillis()));
        p.putAll(get(PRODUCER_PROPERTIES));
        return p;
    }

    /** Builds {@link KafkaJobSettings}; {@link #build()} checks the results topics and the transaction timeout. */
    public static final class Builder extends SettingsBuilder<KafkaJobSettings, Builder> {

        private Builder() {
            super(GROUP);
        }

        private Builder(KafkaJobSettings from) {
            super(GROUP, from);
        }

        @Override
        protected void sanityCheck() {
            List<String> topics = get(TOPICS);
            String sensorResults = get(SENSOR_RESULTS_TOPIC);
            String placeResults = get(PLACE_RESULTS_TOPIC);
            for (Setting<String> results : List.of(SENSOR_RESULTS_TOPIC, PLACE_RESULTS_TOPIC)) {
                if (get(results) != null && topics.contains(get(results))) {
                    throw new IllegalArgumentException(results.key() + " '" + get(results) + "' is also an input "
                            + "topic in " + TOPICS.key() + ": the job would read its own results");
                }
            }
            if (sensorResults != null && sensorResults.equals(placeResults)) {
                throw new IllegalArgumentException(SENSOR_RESULTS_TOPIC.key() + " and " + PLACE_RESULTS_TOPIC.key()
                        + " must differ, both were '" + sensorResults + "'");
            }
            Duration snapshots = get(JobSettings.SNAPSHOT_INTERVAL);
            if (get(TRANSACTION_TIMEOUT).compareTo(snapshots) <= 0) {
                throw new IllegalArgumentException(TRANSACTION_TIMEOUT.key() + " must be longer than "
                        + JobSettings.SNAPSHOT_INTERVAL.key() + " (" + JobSettings.SNAPSHOT_INTERVAL.format(snapshots)
                        + "): a transaction stays open from one snapshot to the next, was "
                        + TRANSACTION_TIMEOUT.format(get(TRANSACTION_TIMEOUT)));
            }
        }

        @Override
        protected KafkaJobSettings create() {
            return new KafkaJobSettings(this);
        }
    }
}
