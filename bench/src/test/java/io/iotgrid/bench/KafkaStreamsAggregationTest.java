package io.iotgrid.bench;

import io.iotgrid.core.SensorReading;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaStreamsAggregationTest {

    @Test
    void when_resultSerializedAndRead_then_sameStats() {
        KafkaStreamsAggregation.Stats stats = new KafkaStreamsAggregation.Stats()
                .add(new SensorReading("s-1", "p-1", 0, 20.5, 40, 1000, 10))
                .add(new SensorReading("s-1", "p-1", 1, 21.5, Double.NaN, 1010, 30));

        byte[] bytes = KafkaStreamsAggregation.RESULT_SERDE.serializer()
                .serialize("t", new KafkaStreamsAggregation.Result(60_000, stats));
        KafkaStreamsAggregation.Result read = KafkaStreamsAggregation.RESULT_SERDE.deserializer()
                .deserialize("t", bytes);

        assertThat(read.windowStart()).isEqualTo(60_000);
        KafkaStreamsAggregation.Stats s = read.stats();
        assertThat(s.count).isEqualTo(2);
        assertThat(s.counts).containsExactly(2, 1, 2, 2);
        assertThat(s.min).containsExactly(20.5, 40, 1000, 10);
        assertThat(s.max).containsExactly(21.5, 40, 1010, 30);
        assertThat(s.avg(0)).isEqualTo(21.0);
        assertThat(s.avg(1)).isEqualTo(40.0);
    }

    @Test
    void when_noReadingHadAMeasure_then_itsAverageIsNaN() {
        KafkaStreamsAggregation.Stats stats = new KafkaStreamsAggregation.Stats()
                .add(new SensorReading("s-1", "p-1", 0, Double.NaN, 40, 1000, 10));

        KafkaStreamsAggregation.Stats read = KafkaStreamsAggregation.STATS_SERDE.deserializer().deserialize("t",
                KafkaStreamsAggregation.STATS_SERDE.serializer().serialize("t", stats));

        assertThat(read.counts[0]).isZero();
        assertThat(read.avg(0)).isNaN();
    }
}
