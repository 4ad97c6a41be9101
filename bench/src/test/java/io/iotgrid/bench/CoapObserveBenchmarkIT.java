package io.iotgrid.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A tiny run of the benchmark, so it keeps working; its figures are not checked against any speed. */
@Timeout(120)
class CoapObserveBenchmarkIT {

    @Test
    void when_smallRun_then_notificationsReceivedAndTimed() throws InterruptedException {
        CoapObserveBenchmark.Result result = CoapObserveBenchmark.run(50, 5, Duration.ofSeconds(1),
                Duration.ofSeconds(3), 6080);

        assertThat(result.changes()).isPositive();
        assertThat(result.received()).isPositive().isLessThanOrEqualTo(result.changes() + 50);
        assertThat(result.latencyMicros().getTotalCount()).isEqualTo(result.received());
        assertThat(result.loss()).isBetween(0.0, 1.0);
        assertThat(result.toString()).contains("resources=50").contains("p99=");
        assertThat(Path.of("Californium3.properties")).doesNotExist();
    }
}
