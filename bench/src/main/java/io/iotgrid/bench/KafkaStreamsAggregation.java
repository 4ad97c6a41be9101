package io.iotgrid.bench;

import io.iotgrid.core.Decoded;
import io.iotgrid.core.Measure;
import io.iotgrid.core.RawReading;
import io.iotgrid.core.ReadingFormat;
import io.iotgrid.core.ReadingParser;
import io.iotgrid.core.SensorReading;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.WindowStore;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;

/**
 * The Kafka Streams peer of the aggregation job: per sensor (the record key), 1-minute tumbling windows of count,
 * min, max and avg of the four measures, final results only ({@link EmitStrategy#onWindowClose()}), to an output
 * topic keyed by sensor id. It parses values with the same {@link ReadingParser} as iot-grid, so the comparison
 * measures the engines, not two JSON parsers. Event time is the record's timestamp, which the benchmark's producer
 * sets to the reading's own: the usual Kafka Streams setup, and no second parse in a timestamp extractor.
 */
final class KafkaStreamsAggregation {

    /** Bytes of one {@link Stats}: the count, then per measure its count, min, max and sum. */
    static final int STATS_BYTES = Long.BYTES + WindowChecksums.MEASURES * 4 * Long.BYTES;
    private static final Measure[] MEASURES = Measure.values();

    private KafkaStreamsAggregation() {
    }

    /** The topology from {@code input} to {@code output}; results are {@link #RESULT_SERDE} values. */
    static Topology topology(String input, String output, Duration window, Duration grace) {
        ReadingParser parser = new ReadingParser(ReadingFormat.nested());
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.ByteArray()))
               .mapValues(bytes -> parse(parser, input, bytes))
               // The input is partitioned by sensor id already and mapValues keeps the key: no repartition topic,
               // so no value serde for readings is ever used.
               .groupByKey(Grouped.keySerde(Serdes.String()))
               .windowedBy(TimeWindows.ofSizeAndGrace(window, grace))
               .emitStrategy(EmitStrategy.onWindowClose())
               .aggregate(Stats::new, (sensor, reading, stats) -> stats.add(reading),
                       Materialized.<String, Stats, WindowStore<Bytes, byte[]>>as("window-stats")
                                   .withKeySerde(Serdes.String()).withValueSerde(STATS_SERDE))
               .toStream()
               .map((windowed, stats) -> KeyValue.pair(windowed.key(), new Result(windowed.window().start(), stats)))
               .to(output, Produced.with(Serdes.String(), RESULT_SERDE));
        return builder.build();
    }

    private static SensorReading parse(ReadingParser parser, String topic, byte[] bytes) {
        Decoded decoded = parser.parse(new RawReading("kafka:" + topic, System.currentTimeMillis(), bytes));
        if (decoded instanceof SensorReading reading) {
            return reading;
        }
        // The benchmark writes only valid readings: one that does not parse means the run is broken.
        throw new IllegalStateException("unparseable reading in " + topic + ": " + decoded);
    }

    /** Running aggregates of one sensor window. */
    static final class Stats {
        long count;
        final long[] counts = new long[WindowChecksums.MEASURES];
        final double[] min = new double[WindowChecksums.MEASURES];
        final double[] max = new double[WindowChecksums.MEASURES];
        final double[] sum = new double[WindowChecksums.MEASURES];

        Stats() {
            Arrays.fill(min, Double.POSITIVE_INFINITY);
            Arrays.fill(max, Double.NEGATIVE_INFINITY);
        }

        Stats add(SensorReading r) {
            count++;
            for (int m = 0; m < MEASURES.length; m++) {
                double v = r.value(MEASURES[m]);
                if (!Double.isNaN(v)) {
                    counts[m]++;
                    min[m] = Math.min(min[m], v);
                    max[m] = Math.max(max[m], v);
                    sum[m] += v;
                }
            }
            return this;
        }

        /** The average of measure {@code m}, NaN when no reading had it. */
        double avg(int m) {
            return counts[m] == 0 ? Double.NaN : sum[m] / counts[m];
        }

        void writeTo(ByteBuffer b) {
            b.putLong(count);
            for (int m = 0; m < WindowChecksums.MEASURES; m++) {
                b.putLong(counts[m]).putDouble(min[m]).putDouble(max[m]).putDouble(sum[m]);
            }
        }

        static Stats readFrom(ByteBuffer b) {
            Stats s = new Stats();
            s.count = b.getLong();
            for (int m = 0; m < WindowChecksums.MEASURES; m++) {
                s.counts[m] = b.getLong();
                s.min[m] = b.getDouble();
                s.max[m] = b.getDouble();
                s.sum[m] = b.getDouble();
            }
            return s;
        }
    }

    /** A closed window of one sensor, as written to the output topic. */
    record Result(long windowStart, Stats stats) {
    }

    static final Serde<Stats> STATS_SERDE = Serdes.serdeFrom(
            (Serializer<Stats>) (topic, stats) -> {
                ByteBuffer b = ByteBuffer.allocate(STATS_BYTES);
                stats.writeTo(b);
                return b.array();
            },
            (Deserializer<Stats>) (topic, bytes) -> bytes == null ? null : Stats.readFrom(ByteBuffer.wrap(bytes)));

    static final Serde<Result> RESULT_SERDE = Serdes.serdeFrom(
            (Serializer<Result>) (topic, result) -> {
                ByteBuffer b = ByteBuffer.allocate(Long.BYTES + STATS_BYTES);
                b.putLong(result.windowStart());
                result.stats().writeTo(b);
                return b.array();
            },
            (Deserializer<Result>) (topic, bytes) -> {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                return new Result(b.getLong(), Stats.readFrom(b));
            });
}
