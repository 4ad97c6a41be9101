package io.iotgrid.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A tiny run of the benchmark, so it keeps working; its figures are not checked against any speed. */
@Timeout(120)
class LatencyBenchmarkIT {

    @Test
    void when_smallRun_then_everyMeasuredReadingIsTimedOrCountedNotVisible() throws InterruptedException {
        LatencyBenchmark.Result result = LatencyBenchmark.run(1_000, Duration.ofMillis(100), 100,
                Duration.ofSeconds(2), Duration.ofSeconds(3), 6725);

        // ~3 000 readings at 1 000/s; a loaded machine may hold the source back, never speed it up much.
        assertThat(result.created()).isBetween(1_000L, 3_500L);
        assertThat(result.visible() + result.notVisible()).isEqualTo(result.created());
        assertThat(result.visible()).isPositive();
        assertThat(result.latencyMicros().getTotalCount()).isEqualTo(result.created() - result.notVisible());
        assertThat(result.ms(50)).isPositive();
        assertThat(result.ms(50)).isLessThanOrEqualTo(result.ms(99));
        assertThat(result.ms(99)).isLessThanOrEqualTo(result.ms(99.9));
        assertThat(result.ms(99.9)).isLessThanOrEqualTo(result.latencyMicros().getMaxValue() / 1000.0);
        assertThat(result.toString()).contains("rate=1000/s").contains("early=100ms").contains("p99.9=");
    }
}
