package io.iotgrid.sources.kafka;

import com.hazelcast.function.FunctionEx;
import com.hazelcast.jet.kafka.KafkaProcessors;
import com.hazelcast.jet.pipeline.Sources;
import com.hazelcast.jet.pipeline.StreamSource;
import io.iotgrid.core.Decoded;
import io.iotgrid.core.ReadingFormat;
import io.iotgrid.core.ReadingParser;
import io.iotgrid.sources.WallClockFloor;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Duration;
import java.util.Properties;

/**
 * Contains a factory method for a Jet source of sensor readings in Kafka topics: Hazelcast's Kafka processors, each
 * record decoded by a {@link KafkaPayloadDecoder}, with event time stamped per partition where the records enter.
 * Hazelcast's {@code KafkaSources.kafka} does the same without the wall-clock floor that closes the windows of quiet
 * sensors; use it directly when you need none.
 * <p>
 * <b>Delivery guarantee:</b> as Hazelcast's Kafka source: offsets are saved in Jet's snapshots, so with
 * {@code EXACTLY_ONCE} every record is emitted exactly once into the job's state and with {@code AT_LEAST_ONCE} at
 * least once; with {@code NONE} the consumer group's committed offsets decide where a restarted job resumes.
 */
public final class KafkaReadingSources {

    private KafkaReadingSources() {
    }

    /**
     * Returns a source that reads {@code topics} and emits each record's value decoded into a {@code SensorReading},
     * or into a {@code DeadLetter} with the record's coordinates and the reason; it never fails on bad input.
     * <pre>{@code
     * Properties consumer = new Properties();
     * consumer.setProperty("bootstrap.servers", "10.0.0.5:9092");
     * consumer.setProperty("key.deserializer", ByteArrayDeserializer.class.getName());
     * consumer.setProperty("value.deserializer", ByteArrayDeserializer.class.getName());
     * p.readFrom(KafkaReadingSources.readings(consumer, KafkaPayloadSettings.json(), ReadingFormat.nested(),
     *                 Duration.ofSeconds(30), "readings"))
     *  .withTimestamps(d -> d instanceof SensorReading r ? r.timestamp() : Long.MIN_VALUE, 5_000)
     *  .writeTo(Sinks.logger());
     * }</pre>
     * Event time, when the stage asks for it, is stamped per partition: each partition keeps its own watermark (its
     * newest reading less the allowed lag) and Jet takes the lowest, so a partition read ahead of another (a poll
     * returns hundreds of one partition's records when history is replayed) does not make the other's readings late.
     * A dead letter stamped {@link Long#MIN_VALUE} neither moves the watermark nor counts as late. Distributed: the
     * partitions are spread over every member's source processors (Jet's default local parallelism).
     *
     * @param consumer        Kafka consumer properties; keys and values must be read as bytes
     *                        ({@code ByteArrayDeserializer})
     * @param payload         how record values are encoded
     * @param format          where the decoded document keeps each field of a reading; each measure must be within
     *                        its default plausible range ({@code Measure.defaultPlausibleRange()})
     * @param quietCloseAfter while a partition has nothing newer, its event time follows the wall clock at this lag,
     *                        so windows close when every sensor is quiet ({@link WallClockFloor}); {@code null} for
     *                        pure event time, e.g. to replay a topic's history (a partition without records for 60 s
     *                        then stops holding the watermark back)
     * @param topics          the topics to read
     */
    public static StreamSource<Decoded> readings(Properties consumer, KafkaPayloadSettings payload,
                                                 ReadingFormat format, Duration quietCloseAfter, String... topics) {
        return readings(consumer, payload, new ReadingParser(format), quietCloseAfter, topics);
    }

    /**
     * As {@link #readings(Properties, KafkaPayloadSettings, ReadingFormat, Duration, String...)}, with each decoded
     * document read by {@code parser}: its format and its plausible ranges, outside which a reading is a dead letter.
     */
    public static StreamSource<Decoded> readings(Properties consumer, KafkaPayloadSettings payload,
                                                 ReadingParser parser, Duration quietCloseAfter, String... topics) {
        KafkaPayloadDecoder decoder = new KafkaPayloadDecoder(payload, parser);
        FunctionEx<ConsumerRecord<byte[], byte[]>, Decoded> projection = decoder::decode;
        Properties properties = new Properties();
        properties.putAll(consumer);
        String[] read = topics.clone();
        return Sources.streamFromProcessorWithWatermarks("kafkaSource(" + String.join(",", read) + ')', true,
                policy -> KafkaProcessors.streamKafkaP(properties, projection,
                        WallClockFloor.apply(policy, quietCloseAfter), read));
    }
}
