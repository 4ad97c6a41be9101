package io.iotgrid.submit;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import io.iotgrid.jobs.AggregationJob;
import io.iotgrid.jobs.AggregationSettings;
import io.iotgrid.jobs.KafkaAggregationJob;
import io.iotgrid.jobs.KafkaJobSettings;

/**
 * Main class of {@code iot-grid-kafka-aggregation-job.jar}: submits the {@link KafkaAggregationJob} reading Kafka
 * topics to the cluster {@code hz-cli} is connected to, after creating the SQL mappings of its result maps.
 * <p>
 * How to run, from an unpacked Hazelcast 5.5 distribution (its {@code lib/} has the Kafka connector and
 * kafka-clients 3.6.1, which the jar leaves out) whose members run Jet with resource upload on:
 * <pre>
 * bin/hz-cli -t iot-grid@127.0.0.1:5701 submit iot-grid-kafka-aggregation-job.jar kafka-job.properties \
 *     kafka.bootstrap.servers=10.0.0.3:9092 kafka.topics=readings window.size=5m
 * </pre>
 * Arguments are {@code key=value} pairs and/or properties files, later ones winning
 * ({@link KafkaAggregationParameters} lists the keys). Expected output:
 * {@code iot-grid: submitted job 'iot-grid-kafka-aggregation' (0a1b-...)}; a bad parameter prints its key and value
 * and exits with status 2, before anything reaches the cluster. Schema files ({@code kafka.avro.schema.file},
 * {@code kafka.schema.dir}) are read here, on the machine running {@code hz-cli}: the members need none.
 * <p>
 * Delivery guarantee: as {@link KafkaAggregationJob} says; with the default {@code exactly_once} every record
 * counts exactly once in the aggregates, and the results topics are written in Kafka transactions.
 */
public final class KafkaAggregationSubmit {

    private KafkaAggregationSubmit() {
    }

    public static void main(String[] args) {
        KafkaAggregationParameters params = Submission.parse(args, KafkaAggregationParameters::of,
                "hz-cli submit iot-grid-kafka-aggregation-job.jar [FILE.properties] kafka.bootstrap.servers=HOST:PORT "
                        + "kafka.topics=TOPIC,... [key=value ...]");
        Submission.printSubmitted(submit(Hazelcast.bootstrappedInstance(), params));
    }

    /**
     * What {@link #main} does once the parameters are read: creates the SQL mappings of the result maps, then
     * submits the job reading the Kafka topics to {@code hz}.
     */
    public static Job submit(HazelcastInstance hz, KafkaAggregationParameters params) {
        KafkaJobSettings kafka = params.kafka();
        AggregationSettings settings = params.settings();
        AggregationJob.createSqlMappings(hz, settings);
        return hz.getJet().newJob(
                KafkaAggregationJob.build(KafkaAggregationJob.source(kafka, settings), settings, kafka),
                kafka.jobConfig());
    }
}
