package io.iotgrid.bench;

import io.iotgrid.sources.MosquittoBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A tiny run of each kind at QoS 1, so the benchmark keeps working; its figures are not checked against any speed. */
@Timeout(180)
class MqttBenchmarkIT {

    @Test
    void when_smallRun_then_everyMessageReceivedAndEveryReadingTimed() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(
                MosquittoBroker.options().withMaxInflightMessages(0).withQuietLog())) {
            MqttBenchmark.Result ceiling = MqttBenchmark.ceiling(broker, 1, 2_000, 100, 0, Duration.ofSeconds(30));
            MqttBenchmark.Result grid = MqttBenchmark.grid(broker, 1, 2_000, 100, 1_000, Duration.ofMillis(100),
                    Duration.ofSeconds(1), 2, Duration.ofSeconds(30), 6745);

            assertThat(ceiling.received()).isEqualTo(2_000);
            assertThat(ceiling.rate()).isPositive();
            assertThat(grid.received()).as("QoS 1: every reading reaches sensor_stats").isEqualTo(2_000);
            assertThat(grid.latencyMicros().getTotalCount()).isEqualTo(2_000);
            assertThat(grid.ms(50)).isPositive().isLessThanOrEqualTo(grid.ms(99));
            assertThat(grid.cpuMicrosPerMessage()).isPositive();
            assertThat(grid.toString()).startsWith("grid qos=1 messages=2000 received=2000 ").contains("p99=");
            assertThat(ceiling.toString()).startsWith("mosquitto qos=1 messages=2000 received=2000 ");
        }
    }
}
