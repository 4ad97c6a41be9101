package io.iotgrid.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.function.FunctionEx;
import com.hazelcast.function.SupplierEx;
import com.hazelcast.jet.config.ProcessingGuarantee;
import com.hazelcast.jet.core.EventTimePolicy;
import com.hazelcast.jet.core.WatermarkPolicy;
import com.hazelcast.jet.kafka.KafkaProcessors;
import com.hazelcast.jet.kafka.KafkaSinks;
import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.Sink;
import com.hazelcast.jet.pipeline.Sources;
import com.hazelcast.jet.pipeline.StreamSource;
import com.hazelcast.jet.pipeline.StreamStage;
import io.iotgrid.core.Decoded;
import io.iotgrid.core.WindowStats;
import io.iotgrid.sources.kafka.KafkaPayloadDecoder;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Duration;
import java.util.Properties;


/**
 * The Kafka flavour of the {@link AggregationJob}: the same pipeline, fed by Hazelcast's Kafka source from the
 * configured topics, and optionally writing each closed window back to Kafka.
 * <pre>
 *   Kafka topics ─ Kafka source + KafkaPayloadDecoder ─▶ AggregationJob.aggregateInEventTime ─┬─▶ the grid structures
 *     (event time and watermark per partition)                                              ├─▶ topic results.sensor.topic
 *                                                                                           └─▶ topic results.place.topic
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
     * Hazelcast's Kafka processors over {@code kafka}'s topics, each record decoded by a {@link KafkaPayloadDecoder}
     * into a reading or a dead letter, in {@code settings}' format. Distributed: the partitions are spread over
     * every member's source processors. Read it with {@link #build}, which stamps event time at the source: each
     * partition keeps its own watermark (the newest reading of the partition less the allowed lateness), so a
     * partition read ahead of another does not make the other's readings late. A partition without records for
     * 60 s stops holding the watermark back. With {@link AggregationSettings#quietCloseAfter()} set, every
     * partition's watermark also follows the wall clock at that lag (plus the allowed lateness), so windows close
     * when all sensors go quiet; readings older than that count as late.
     */
    public static StreamSource<Decoded> source(KafkaJobSettings kafka, AggregationSettings settings) {
        KafkaPayloadDecoder decoder = new KafkaPayloadDecoder(kafka.payload(), settings.format());
        FunctionEx<ConsumerRecord<byte[], byte[]>, Decoded> projection = decoder::decode;
        Properties consumer = kafka.consumer();
        String[] topics = kafka.topics().toArray(String[]::new);
        Duration quiet = settings.quietCloseAfter();
        long lateness = settings.allowedLateness().toMillis();
        return Sources.streamFromProcessorWithWatermarks("kafkaSource(" + String.join(",", topics) + ")", true,
                policy -> KafkaProcessors.streamKafkaP(consumer, projection,
                        quiet == null ? policy : followingWallClock(policy, lateness, quiet.toMillis()), topics));
    }

    /**
     * The pipeline: {@code source} (normally {@link #source}) into {@link AggregationJob#aggregateInEventTime},
     * plus the final result of every window to the results topics of {@code kafka}, if any, keyed by sensor or
     * place id with the {@link WindowStats} as JSON. Early results go to the grid only. Run it with
     * {@link KafkaJobSettings#jobConfig()}.
     */
    public static Pipeline build(StreamSource<Decoded> source, AggregationSettings settings, KafkaJobSettings kafka) {
        Pipeline p = Pipeline.create();
        // Decoding happens in the source's projection: this stage only counts its outcomes, under the same vertex
        // name and user metrics as the CoAP flavour's parse stage.
        StreamStage<Decoded> decoded = p.readFrom(source)
                .withTimestamps(AggregationJob::eventTime, settings.allowedLateness().toMillis())
                .mapUsingService(AggregationJob.ParseCounter.factory(), AggregationJob.ParseCounter::count)
                .setName("parse");
        AggregationJob.Aggregates aggregates = AggregationJob.aggregateInEventTime(decoded, settings);
        writeResults(aggregates.bySensor(), kafka, kafka.sensorResultsTopic());
        writeResults(aggregates.byPlace(), kafka, kafka.placeResultsTopic());
        return p;
    }

    /**
     * {@code policy} with each partition's watermark at least the wall clock less {@code quietMillis} and
     * {@code latenessMillis}. Partitions never count as idle, because an idle partition would stop moving the
     * watermark, which is what the wall clock is there for.
     */
    private static EventTimePolicy<? super Decoded> followingWallClock(EventTimePolicy<? super Decoded> policy,
                                                                        long latenessMillis, long quietMillis) {
        SupplierEx<? extends WatermarkPolicy> byData = policy.newWmPolicyFn();
        long lag = quietMillis + latenessMillis;
        return EventTimePolicy.eventTimePolicy(policy.timestampFn(), policy.wrapFn(),
                () -> new WallClockFloor(byData.get(), lag),
                policy.watermarkThrottlingFrameSize(), policy.watermarkThrottlingFrameOffset(), 0);
    }

    /** A watermark policy that never lets the watermark fall further than {@code lagMillis} behind the clock. */
    private record WallClockFloor(WatermarkPolicy byData, long lagMillis) implements WatermarkPolicy {

        @Override
        public void reportEvent(long timestamp) {
            byData.reportEvent(timestamp);
        }

        @Override
        public long getCurrentWatermark() {
            return Math.max(byData.getCurrentWatermark(), System.currentTimeMillis() - lagMillis);
        }
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
