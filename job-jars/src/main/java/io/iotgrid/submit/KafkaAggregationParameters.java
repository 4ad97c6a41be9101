package io.iotgrid.submit;

import io.iotgrid.jobs.AggregationSettings;
import io.iotgrid.jobs.KafkaJobSettings;
import io.iotgrid.sources.kafka.KafkaPayloadSettings;

import java.util.Properties;
import java.util.Set;

/**
 * What {@link KafkaAggregationSubmit} submits, read from {@link JobArguments}: the keys of
 * {@link KafkaJobSettings#fromProperties} and {@link AggregationSettings#fromProperties}, with their defaults (the
 * README's "Kafka source" options):
 * <pre>
 * kafka.bootstrap.servers   required          kafka.topics   required, comma-separated
 * kafka.payload.format      json (connect-json, avro, confluent-avro)
 * kafka.payload.field, kafka.avro.schema.file, kafka.schema.dir, kafka.schema.registry.url   none
 * kafka.consumer.*          auto.offset.reset=earliest, isolation.level=read_committed
 * kafka.producer.*          transaction.timeout.ms from results.transaction.timeout
 * results.sensor.topic, results.place.topic   none      results.transaction.timeout   60s
 * job.name                  iot-grid-kafka-aggregation
 * job.processing.guarantee  exactly_once (at_least_once, none)      job.snapshot.interval   10s
 * reading.format nested, window.size 1m, allowed.lateness 5s, early.results.period 5s, quiet.close.after 30s,
 * alert.rules none (;-separated), sensor.stats.map sensor_stats, place.stats.map place_stats,
 * readings.ringbuffer sensor_readings, alerts.topic sensor_alerts, dead.letters.map dead_letters
 * </pre>
 *
 * @param kafka    the topics, payload format, Kafka clients' properties, results topics and job configuration
 * @param settings the aggregation job's settings
 */
public record KafkaAggregationParameters(KafkaJobSettings kafka, AggregationSettings settings) {

    static final Set<String> KEYS = Set.of(KafkaJobSettings.BOOTSTRAP_KEY, KafkaJobSettings.TOPICS_KEY,
            KafkaPayloadSettings.FORMAT_KEY, KafkaPayloadSettings.PAYLOAD_FIELD_KEY,
            KafkaPayloadSettings.AVRO_SCHEMA_FILE_KEY, KafkaPayloadSettings.SCHEMA_DIR_KEY,
            KafkaPayloadSettings.SCHEMA_REGISTRY_URL_KEY, KafkaJobSettings.SENSOR_RESULTS_KEY,
            KafkaJobSettings.PLACE_RESULTS_KEY, KafkaJobSettings.TRANSACTION_TIMEOUT_KEY, KafkaJobSettings.JOB_NAME_KEY,
            KafkaJobSettings.GUARANTEE_KEY, KafkaJobSettings.SNAPSHOT_INTERVAL_KEY, "reading.format", "window.size",
            "allowed.lateness", "early.results.period", "quiet.close.after", "alert.rules", "sensor.stats.map",
            "place.stats.map", "readings.ringbuffer", "alerts.topic", "dead.letters.map");

    static final Set<String> PREFIXES = Set.of(KafkaJobSettings.CONSUMER_PREFIX, KafkaJobSettings.PRODUCER_PREFIX);

    /** Reads and validates the parameters; a bad or unknown key fails with a message that names it. */
    public static KafkaAggregationParameters of(JobArguments args) {
        args.rejectUnknown(KEYS, PREFIXES);
        Properties props = args.asProperties();
        return new KafkaAggregationParameters(KafkaJobSettings.fromProperties(props),
                AggregationSettings.fromProperties(props));
    }
}
