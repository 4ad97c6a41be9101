package io.iotgrid.jobs;

import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.config.ProcessingGuarantee;
import io.iotgrid.sources.kafka.KafkaPayloadSettings;

import java.io.Serializable;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Settings of the Kafka flavour of the aggregation job ({@link KafkaAggregationJob}), validated when built: a bad
 * value fails with a message naming its key. Build them with {@link #of(String, String...)} or
 * {@link #fromProperties(Properties)}.
 *
 * @param bootstrapServers   the brokers ({@value #BOOTSTRAP_KEY}), required
 * @param topics             topics to read ({@value #TOPICS_KEY}, comma-separated), at least one
 * @param payload            how record values carry readings; default JSON ({@code kafka.payload.*} keys of
 *                           {@link KafkaPayloadSettings#fromProperties})
 * @param consumerProperties extra Kafka consumer properties ({@code kafka.consumer.<name>}), over the defaults
 *                           {@code auto.offset.reset=earliest} and {@code isolation.level=read_committed}
 * @param producerProperties extra Kafka producer properties of the results sinks ({@code kafka.producer.<name>})
 * @param sensorResultsTopic topic for each closed window per sensor ({@value #SENSOR_RESULTS_KEY}); {@code null}
 *                           (default) writes none
 * @param placeResultsTopic  topic for each closed window per place ({@value #PLACE_RESULTS_KEY}); {@code null}
 *                           (default) writes none
 * @param jobName            the job's name ({@value #JOB_NAME_KEY}); default {@value #DEFAULT_JOB_NAME}
 * @param guarantee          {@value #GUARANTEE_KEY}: {@code exactly_once} (default), {@code at_least_once} or
 *                           {@code none}. Under EXACTLY_ONCE the results topics are written in Kafka transactions
 * @param snapshotInterval   {@value #SNAPSHOT_INTERVAL_KEY}; default 10 s. Shorter than {@code transactionTimeout}
 * @param transactionTimeout the results producers' {@code transaction.timeout.ms}
 *                           ({@value #TRANSACTION_TIMEOUT_KEY}); default 60 s, at most the broker's
 *                           {@code transaction.max.timeout.ms} (15 min by default)
 */
public record KafkaJobSettings(String bootstrapServers, List<String> topics, KafkaPayloadSettings payload,
                               Map<String, String> consumerProperties, Map<String, String> producerProperties,
                               String sensorResultsTopic, String placeResultsTopic, String jobName,
                               ProcessingGuarantee guarantee, Duration snapshotInterval, Duration transactionTimeout)
        implements Serializable {

    public static final String BOOTSTRAP_KEY = "kafka.bootstrap.servers";
    public static final String TOPICS_KEY = "kafka.topics";
    public static final String CONSUMER_PREFIX = "kafka.consumer.";
    public static final String PRODUCER_PREFIX = "kafka.producer.";
    public static final String SENSOR_RESULTS_KEY = "results.sensor.topic";
    public static final String PLACE_RESULTS_KEY = "results.place.topic";
    public static final String JOB_NAME_KEY = "job.name";
    public static final String GUARANTEE_KEY = "job.processing.guarantee";
    public static final String SNAPSHOT_INTERVAL_KEY = "job.snapshot.interval";
    public static final String TRANSACTION_TIMEOUT_KEY = "results.transaction.timeout";
    public static final String DEFAULT_JOB_NAME = "iot-grid-kafka-aggregation";

    public KafkaJobSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException(BOOTSTRAP_KEY + " must list at least one broker, was '"
                    + bootstrapServers + "'");
        }
        if (topics == null || topics.isEmpty() || topics.stream().anyMatch(t -> t == null || t.isBlank())) {
            throw new IllegalArgumentException(TOPICS_KEY + " must list at least one topic, none blank, was " + topics);
        }
        topics = List.copyOf(topics);
        if (payload == null) {
            throw new IllegalArgumentException("payload must not be null");
        }
        consumerProperties = Map.copyOf(consumerProperties == null ? Map.of() : consumerProperties);
        producerProperties = Map.copyOf(producerProperties == null ? Map.of() : producerProperties);
        for (String results : new String[]{sensorResultsTopic, placeResultsTopic}) {
            if (results != null && topics.contains(results)) {
                throw new IllegalArgumentException("results topic '" + results + "' is also an input topic in "
                        + TOPICS_KEY + ": the job would read its own results");
            }
        }
        if (sensorResultsTopic != null && sensorResultsTopic.equals(placeResultsTopic)) {
            throw new IllegalArgumentException(SENSOR_RESULTS_KEY + " and " + PLACE_RESULTS_KEY
                    + " must differ, both were '" + sensorResultsTopic + "'");
        }
        if (jobName == null || jobName.isBlank()) {
            throw new IllegalArgumentException(JOB_NAME_KEY + " must not be blank, was '" + jobName + "'");
        }
        if (guarantee == null) {
            throw new IllegalArgumentException(GUARANTEE_KEY + " must not be null");
        }
        if (snapshotInterval == null || snapshotInterval.toMillis() < 1) {
            throw new IllegalArgumentException(SNAPSHOT_INTERVAL_KEY + " must be at least 1 ms, was " + snapshotInterval);
        }
        if (transactionTimeout == null || transactionTimeout.compareTo(snapshotInterval) <= 0) {
            throw new IllegalArgumentException(TRANSACTION_TIMEOUT_KEY + " must be longer than "
                    + SNAPSHOT_INTERVAL_KEY + " (" + snapshotInterval + "): a transaction stays open from one "
                    + "snapshot to the next, was " + transactionTimeout);
        }
    }

    /**
     * Reads JSON readings from {@code topics} at {@code bootstrapServers}, EXACTLY_ONCE with 10-second snapshots,
     * no results topics.
     */
    public static KafkaJobSettings of(String bootstrapServers, String... topics) {
        return new KafkaJobSettings(bootstrapServers, Arrays.asList(topics), KafkaPayloadSettings.json(), Map.of(),
                Map.of(), null, null, DEFAULT_JOB_NAME, ProcessingGuarantee.EXACTLY_ONCE, Duration.ofSeconds(10),
                Duration.ofSeconds(60));
    }

    /** Settings from properties with the keys listed on the record's components; absent keys take defaults. */
    public static KafkaJobSettings fromProperties(Properties props) {
        String topics = props.getProperty(TOPICS_KEY, "");
        String guarantee = props.getProperty(GUARANTEE_KEY, "exactly_once").trim();
        ProcessingGuarantee g;
        try {
            g = ProcessingGuarantee.valueOf(guarantee.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(GUARANTEE_KEY + " must be exactly_once, at_least_once or none, was '"
                    + guarantee + "'");
        }
        return new KafkaJobSettings(props.getProperty(BOOTSTRAP_KEY, "").trim(),
                Arrays.stream(topics.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList(),
                KafkaPayloadSettings.fromProperties(props),
                prefixed(props, CONSUMER_PREFIX), prefixed(props, PRODUCER_PREFIX),
                blankToNull(props.getProperty(SENSOR_RESULTS_KEY)), blankToNull(props.getProperty(PLACE_RESULTS_KEY)),
                props.getProperty(JOB_NAME_KEY, DEFAULT_JOB_NAME).trim(), g,
                duration(props, SNAPSHOT_INTERVAL_KEY, Duration.ofSeconds(10)),
                duration(props, TRANSACTION_TIMEOUT_KEY, Duration.ofSeconds(60)));
    }

    /** A copy reading values in {@code payload}'s format. */
    public KafkaJobSettings withPayload(KafkaPayloadSettings payload) {
        return new KafkaJobSettings(bootstrapServers, topics, payload, consumerProperties, producerProperties,
                sensorResultsTopic, placeResultsTopic, jobName, guarantee, snapshotInterval, transactionTimeout);
    }

    /** A copy writing closed windows to {@code sensorTopic} and {@code placeTopic} (either may be null). */
    public KafkaJobSettings withResultsTopics(String sensorTopic, String placeTopic) {
        return new KafkaJobSettings(bootstrapServers, topics, payload, consumerProperties, producerProperties,
                sensorTopic, placeTopic, jobName, guarantee, snapshotInterval, transactionTimeout);
    }

    /** A copy with {@code guarantee} and snapshots every {@code snapshotInterval}. */
    public KafkaJobSettings withGuarantee(ProcessingGuarantee guarantee, Duration snapshotInterval) {
        return new KafkaJobSettings(bootstrapServers, topics, payload, consumerProperties, producerProperties,
                sensorResultsTopic, placeResultsTopic, jobName, guarantee, snapshotInterval, transactionTimeout);
    }

    /**
     * The job's configuration: its name, processing guarantee and snapshot interval, with the
     * {@link JobSerializers} registered.
     */
    public JobConfig jobConfig() {
        return JobSerializers.register(new JobConfig().setName(jobName).setProcessingGuarantee(guarantee)
                                                      .setSnapshotIntervalMillis(snapshotInterval.toMillis()));
    }

    /** What the source's consumers are given: byte-array deserializers, the defaults and the extras. */
    public Properties consumer() {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", bootstrapServers);
        p.setProperty("key.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        p.setProperty("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        p.setProperty("auto.offset.reset", "earliest");
        p.setProperty("isolation.level", "read_committed");
        p.putAll(consumerProperties);
        return p;
    }

    /** What the results producers are given: string serializers, the transaction timeout and the extras. */
    public Properties producer() {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", bootstrapServers);
        p.setProperty("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        p.setProperty("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        p.setProperty("transaction.timeout.ms", Long.toString(transactionTimeout.toMillis()));
        p.putAll(producerProperties);
        return p;
    }

    private static Map<String, String> prefixed(Properties props, String prefix) {
        Map<String, String> result = new TreeMap<>();
        for (String name : props.stringPropertyNames()) {
            if (name.startsWith(prefix)) {
                result.put(name.substring(prefix.length()), props.getProperty(name).trim());
            }
        }
        return result;
    }

    private static Duration duration(Properties props, String key, Duration defaultValue) {
        String value = props.getProperty(key);
        return value == null || value.isBlank() ? defaultValue : io.iotgrid.core.Durations.parse(key, value.trim());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
