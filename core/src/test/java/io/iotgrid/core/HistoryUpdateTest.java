package io.iotgrid.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

class HistoryUpdateTest {

    private static final long T0 = 1_764_928_800_000L;
    private static final long MINUTE = 60_000;

    @Test
    void when_readingsMergedOneByOne_then_statisticsEqualThoseOfAllReadings() {
        double[] temperatures = {21.25, 19.5, 23.0, 22.75, 18.0, 25.5, 20.0};
        SensorReading first = reading(temperatures[0], 40);
        WindowStats merged = HistoryUpdate.oneReading("s-1", T0, T0 + MINUTE, first);
        for (int i = 1; i < temperatures.length; i++) {
            merged = HistoryUpdate.merge(merged, HistoryUpdate.oneReading("s-1", T0, T0 + MINUTE,
                    reading(temperatures[i], Double.NaN)));
        }

        MeasureStats t = merged.stats(Measure.TEMPERATURE);
        assertThat(merged.count()).isEqualTo(temperatures.length);
        assertThat(t.count()).isEqualTo(temperatures.length);
        assertThat(t.min()).isEqualTo(18.0);
        assertThat(t.max()).isEqualTo(25.5);
        double mean = Arrays.stream(temperatures).average().orElseThrow();
        double variance = Arrays.stream(temperatures).map(v -> (v - mean) * (v - mean)).sum() / temperatures.length;
        assertThat(t.avg()).isCloseTo(mean, withinPercentage(1e-10));
        assertThat((Double) t.value(Statistic.STDDEV)).isCloseTo(Math.sqrt(variance), withinPercentage(1e-10));
        assertThat(merged.stats(Measure.HUMIDITY))
                .as("carried by the first reading only").isEqualTo(MeasureStats.of(1L, 40.0, 40.0, 40.0, 0.0));
        assertThat(merged.stats(Measure.PRESSURE)).isEqualTo(MeasureStats.NONE);
    }

    @Test
    void when_updateBuilt_then_keyIsItsBlockAndOtherWindowsAndEmptyRetentionRejected() {
        WindowStats w = HistoryUpdate.oneReading("p-3", T0 + 17 * MINUTE, T0 + 18 * MINUTE, reading(20, 50));

        assertThat(HistoryUpdate.replace(HistoryTier.WINDOW, w, Duration.ofHours(6)).key())
                .isEqualTo(HistoryTier.key("p-3", T0));
        assertThatThrownBy(() -> HistoryUpdate.merge(w, HistoryUpdate.oneReading("p-3", T0, T0 + MINUTE,
                reading(1, 1)))).hasMessageContaining("cannot merge p-3@" + (T0 + 17 * MINUTE));
        assertThatThrownBy(() -> HistoryUpdate.revise(HistoryTier.WINDOW, w, Duration.ZERO))
                .hasMessageContaining("retention of a kept tier is positive");
    }

    private static SensorReading reading(double temperature, double humidity) {
        return new SensorReading("s-1", "p-1", T0, temperature, humidity, Double.NaN, Double.NaN);
    }
}
