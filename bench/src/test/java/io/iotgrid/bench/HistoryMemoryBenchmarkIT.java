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

        assertThat(result.entries()).isEqualTo(50 * 30);
        // Not perEntry: 1 500 entries are below the heap's noise in a JVM shared with other tests (it was negative once).
        assertThat(result.entryCostPerEntry()).isPositive();
        assertThat(result.toString()).contains("sensors=50 minutes=30 entries=1500").contains("perEntry=");
    }
}
