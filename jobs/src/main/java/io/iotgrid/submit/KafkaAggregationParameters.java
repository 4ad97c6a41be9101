package io.iotgrid.submit;

import io.iotgrid.core.settings.SettingsReader;
import io.iotgrid.jobs.AggregationSettings;
import io.iotgrid.jobs.KafkaJobSettings;

/**
 * What {@link KafkaAggregationSubmit} submits: the keys of {@link KafkaJobSettings#GROUP} (brokers, topics, payload
 * format, {@code kafka.consumer.*}, {@code kafka.producer.*}, results topics, {@code job.*}) and of
 * {@link AggregationSettings#GROUP}, with their defaults; the README's "Run on your own cluster" lists them.
 *
 * @param kafka    the topics, payload format, Kafka clients' properties, results topics and job configuration
 * @param settings the aggregation job's settings
 */
public record KafkaAggregationParameters(KafkaJobSettings kafka, AggregationSettings settings) {

    /** Reads and validates the parameters; a bad or unknown key fails with a message that names it. */
    public static KafkaAggregationParameters of(SettingsReader args) {
        args.rejectUnknown(KafkaJobSettings.GROUP, AggregationSettings.GROUP);
        return new KafkaAggregationParameters(KafkaJobSettings.builder().read(args).build(),
                AggregationSettings.builder().read(args).build());
    }
}
