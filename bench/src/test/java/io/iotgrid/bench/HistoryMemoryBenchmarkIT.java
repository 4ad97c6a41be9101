package io.iotgrid.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** A tiny run of the benchmark, so it keeps working; its figures are not checked against any size. */
@Timeout(120)
class HistoryMemoryBenchmarkIT {

    @Test
    void when_smallRun_then_everySensorMinuteStoredAndMeasured() {
        HistoryMemoryBenchmark.Result result = HistoryMemoryBenchmark.run(50, 30);

        assertThat(result.windows()).isEqualTo(50 * 30);
        // 30 minutes from a whole hour on: one block per sensor.
        assertThat(result.entries()).isEqualTo(50);
        // Not perWindow: 1 500 windows are below the heap's noise in a JVM shared with other tests (it was negative
        // once).
        assertThat(result.entryCostPerWindow()).isPositive();
        assertThat(result.toString()).contains("sensors=50 minutes=30 windows=1500 blocks=50")
                                     .contains("perSensorMinute=");
    }
}
