package io.iotgrid.bench;

import io.iotgrid.core.SensorReading;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WindowChecksumsTest {

    private static final long MINUTE = 60_000;
    /** 8 sensors on 4 partitions, 100 readings per partition: 100 ms of event time, one window. */
    private final KafkaDataset dataset = new KafkaDataset(new BenchReadings(8, 2, 4, 10 * MINUTE), 400, MINUTE);

    @Test
    void when_everyReadingWindowedBySensor_then_windowsEqualExpected() {
        WindowChecksums.Collector collector = collectFromReadings(dataset);

        assertThat(collector.complete()).isTrue();
        assertThat(collector.repeated()).isZero();
        assertThat(collector.unexpected()).isEmpty();
        assertThatCode(() -> dataset.expected().requireEqual("expected", collector.sums(), "actual", "test"))
                .doesNotThrowAnyException();
    }

    @Test
    void when_oneReadingMissing_then_requireEqualNamesBothValues() {
        KafkaDataset fewer = new KafkaDataset(dataset.readings(), dataset.total() - 1, MINUTE);
        WindowChecksums actual = collectFromReadings(fewer).sums();

        assertThatThrownBy(() -> dataset.expected().requireEqual("expected", actual, "engine", "pair 1"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("pair 1: 1 of 1 window starts differ")
                .hasMessageContaining("expected {windows=8, count=400")
                .hasMessageContaining("but engine {windows=8, count=399");
    }

    @Test
    void when_sumDiffersBeyondTolerance_then_mismatch() {
        WindowChecksums a = new WindowChecksums();
        WindowChecksums b = new WindowChecksums();
        a.addReading(0, true, new double[]{20, 50, 1000, 100});
        b.addReading(0, true, new double[]{20 + 20e-8, 50, 1000, 100});
        WindowChecksums c = new WindowChecksums();
        c.addReading(0, true, new double[]{20, 50, 1000, 100});

        assertThatThrownBy(() -> a.requireEqual("a", b, "b", "t")).hasMessageContaining("window 0");
        assertThatCode(() -> a.requireEqual("a", c, "c", "t")).doesNotThrowAnyException();
    }

    @Test
    void when_windowRepeatedOrUnknown_then_countedNotAdded() {
        WindowChecksums.Collector collector = new WindowChecksums.Collector(dataset, 8);
        long start = dataset.firstWindowStart();
        long[] counts = {1, 1, 1, 1};
        double[] v = {20, 50, 1000, 100};

        collector.accept("s-1", start, 1, counts, v, v, v);
        collector.accept("s-1", start, 1, counts, v, v, v);
        collector.accept("s-99", start, 1, counts, v, v, v);
        collector.accept("s-2", start + 1, 1, counts, v, v, v);
        collector.accept("s-3", dataset.sentinelTimestamp() / MINUTE * MINUTE, 1, counts, v, v, v);

        assertThat(collector.distinct()).isEqualTo(1);
        assertThat(collector.repeated()).isEqualTo(1);
        assertThat(collector.unexpected()).containsExactly("s-99@" + start, "s-2@" + (start + 1));
        assertThat(collector.sums().windows()).isEqualTo(1);
    }

    @Test
    void when_readingsSpreadOverPartitions_then_sentinelAfterLastWindowPlusLateness() {
        KafkaDataset d = new KafkaDataset(new BenchReadings(8, 2, 4, 10 * MINUTE), 4 * 90_000 + 3, MINUTE);

        assertThat(d.count(0)).isEqualTo(90_001);
        assertThat(d.count(3)).isEqualTo(90_000);
        assertThat(d.firstWindowStart()).isEqualTo(10 * MINUTE);
        assertThat(d.lastWindowEnd()).isEqualTo(12 * MINUTE);
        assertThat(d.windowCount()).isEqualTo(2);
        assertThat(d.sentinelTimestamp()).isGreaterThan(d.lastWindowEnd() + 5_000);
        assertThat(d.expected().windows()).isEqualTo(16);
    }

    /** Windows each sensor's readings by hand, as an engine would, through the Kafka Streams accumulator. */
    private static WindowChecksums.Collector collectFromReadings(KafkaDataset d) {
        BenchReadings r = d.readings();
        Map<String, KafkaStreamsAggregation.Stats> windows = new TreeMap<>();
        for (int p = 0; p < r.partitions(); p++) {
            for (long n = 0; n < d.count(p); n++) {
                int sensor = r.sensorOf(p, n);
                long start = r.timestampOf(n) / MINUTE * MINUTE;
                windows.computeIfAbsent(BenchReadings.sensorId(sensor) + ' ' + start,
                        k -> new KafkaStreamsAggregation.Stats()).add(new SensorReading(
                        BenchReadings.sensorId(sensor), r.placeId(sensor), r.timestampOf(n),
                        BenchReadings.temperature(sensor, n), BenchReadings.humidity(sensor, n),
                        BenchReadings.pressure(sensor, n), BenchReadings.luminosity(sensor, n)));
            }
        }
        WindowChecksums.Collector collector = new WindowChecksums.Collector(d, d.expected().windows());
        windows.forEach((key, s) -> {
            String[] parts = key.split(" ");
            double[] avg = new double[WindowChecksums.MEASURES];
            for (int m = 0; m < avg.length; m++) {
                avg[m] = s.avg(m);
            }
            collector.accept(parts[0], Long.parseLong(parts[1]), s.count, s.counts, s.min, s.max, avg);
        });
        return collector;
    }
}
