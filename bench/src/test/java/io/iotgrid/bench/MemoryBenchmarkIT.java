package io.iotgrid.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.management.JMException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A tiny run of the benchmark, so it keeps working; its figures are not checked against any size. */
@Timeout(120)
class MemoryBenchmarkIT {

    @Test
    void when_smallRun_then_everySensorCountedAndMeasured() throws InterruptedException, JMException {
        MemoryBenchmark.Result result = MemoryBenchmark.run(200, 6730, Duration.ofSeconds(60));

        assertThat(result.counted()).isEqualTo(200);
        assertThat(result.perSensor()).isPositive();
        assertThat(result.sensorMapCost()).isPositive();
        assertThat(result.mapPerSensor()).isPositive();
        assertThat(result.topClasses()).isNotEmpty();
        assertThat(result.toString()).contains("sensors=200").contains("perSensor=");
        assertThat(result.statusMapCost()).isZero();
    }

    @Test
    void when_smallRunWithLiveness_then_everySensorHasAStatusEntryMeasured() throws InterruptedException, JMException {
        MemoryBenchmark.Result result = MemoryBenchmark.run(200, freePort(), Duration.ofSeconds(60), true);

        assertThat(result.counted()).isEqualTo(200);
        assertThat(result.statusMapCost()).isPositive();
        assertThat(result.toString()).contains("sensors=200 liveness=on").contains("sensor_status=");
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
