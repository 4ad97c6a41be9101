package io.iotgrid.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.jet.config.ProcessingGuarantee;
import com.hazelcast.jet.kafka.KafkaSinks;
import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.Sink;
import com.hazelcast.jet.pipeline.StreamSource;
import com.hazelcast.jet.pipeline.StreamStage;
import io.iotgrid.core.Decoded;
import io.iotgrid.core.WindowStats;
import io.iotgrid.sources.kafka.KafkaReadingSources;

/**
 * The Kafka flavour of the {@link AggregationJob}: the same pipeline, fed by Hazelcast's Kafka processors from the
 * configured topics ({@link KafkaReadingSources}), and optionally writing each closed window back to Kafka.
 * <pre>
 *   Kafka topics ─ KafkaReadingSources.readings ─▶ AggregationJob.aggregate ─┬─▶ the grid structures
 *     (decoded, event time and watermark per partition)                    ├─▶ topic results.sensor.topic
 *                                                                          └─▶ topic results.place.topic
 * </pre>
 * On a cluster of the Hazelcast distribution, {@code iot-grid-kafka-aggregation-job.jar} (module {@code job-jars})
 * submits it with {@code hz-cli submit}.
 * <p>
 * <b>Delivery:</b> the partitions of the topics are spread over the members' source processors and their offsets
 * are saved in Jet's snapshots. With {@link ProcessingGuarantee#EXACTLY_ONCE} (the default here) a job restarted
 * after a member loss resumes from the offsets of the last snapshot with the window state of that snapshot: every
 * record counts exactly once in the aggregates, and the results topics are written in Kafka transactions committed
 * with each snapshot, so {@code read_committed} consumers see each closed window once. With
 * {@code AT_LEAST_ONCE}, the records since the last snapshot may count twice after a restart and results may repeat;
 * with {@code NONE}, offsets are committed by the consumer group ({@code kafka.consumer.group.id}) and a restart may
 * lose or repeat records. The readings Ringbuffer, alerts and dead letters are at least once in every mode.
 * Event time comes from each reading's payload.
 */
public final class KafkaAggregationJob {

    private static final ObjectMapper JSON = new ObjectMapper();

    private KafkaAggregationJob() {
    }

    /**
     * The job's Kafka source: {@link KafkaReadingSources#readings} over {@code kafka}'s topics with its consumer
     * properties and payload format, read by {@link AggregationSettings#parser()} (the reading format and the
     * plausible ranges), with {@link AggregationSettings#quietCloseAfter()} as the wall-clock floor. Event time is
     * stamped per partition where the records enter: a partition read ahead of
     * another does not make the other's readings late. Distributed: the partitions are spread over every member's
     * source processors.
     */
    public static StreamSource<Decoded> source(KafkaJobSettings kafka, AggregationSettings settings) {
        return KafkaReadingSources.readings(kafka.consumer(), kafka.payload(), settings.parser(),
                settings.quietCloseAfter(), kafka.topics().toArray(String[]::new));
    }

    /**
     * The pipeline: {@code source} (normally {@link #source}) into {@link AggregationJob#aggregate}, as
     * {@link AggregationJob#build} wires it, plus the final result of every window to the results topics of
     * {@code kafka}, if any, keyed by sensor or place id with the {@link WindowStats} as JSON. Early results go to
     * the grid only. Run it with {@link KafkaJobSettings#jobConfig()}.
     */
    public static Pipeline build(StreamSource<Decoded> source, AggregationSettings settings, KafkaJobSettings kafka) {
        Pipeline p = Pipeline.create();
        AggregationJob.Aggregates aggregates = AggregationJob.aggregate(AggregationJob.read(p, source, settings),
                settings);
        writeResults(aggregates.bySensor(), kafka, kafka.sensorResultsTopic());
        writeResults(aggregates.byPlace(), kafka, kafka.placeResultsTopic());
        return p;
    }

    private static void writeResults(StreamStage<WindowStats> windows, KafkaJobSettings kafka, String topic) {
        if (topic == null) {
            return;
        }
        Sink<WindowStats> sink = KafkaSinks.<WindowStats>kafka(kafka.producer())
                .topic(topic)
                .extractKeyFn(WindowStats::id)
                .extractValueFn(KafkaAggregationJob::toJson)
                .exactlyOnce(kafka.guarantee() == ProcessingGuarantee.EXACTLY_ONCE)
                .build();
        windows.filter(w -> !w.early()).setName("closedWindows(" + topic + ')').writeTo(sink);
    }

    /** The window as one JSON object with the record's component names. */
    static String toJson(WindowStats w) {
        try {
            return JSON.writeValueAsString(w);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write window of " + w.id() + " as JSON", e);
        }
    }
}
