package io.iotgrid.bench;

import io.iotgrid.jobs.AggregationSettings.Duplicates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.management.JMException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A tiny run of the benchmark, so it keeps working; its figures are not checked against any size. */
@Timeout(120)
class MemoryBenchmarkIT {

    @Test
    void when_smallRun_then_everySensorCountedAndMeasured() throws InterruptedException, JMException {
        MemoryBenchmark.Result result = MemoryBenchmark.run(200, freePort(), Duration.ofSeconds(60),
                Duplicates.VALUES, false);

        assertThat(result.counted()).isEqualTo(200);
        assertThat(result.perSensor()).isPositive();
        assertThat(result.sensorMapCost()).isPositive();
        assertThat(result.mapPerSensor()).isPositive();
        assertThat(result.topClasses()).isNotEmpty();
        assertThat(result.statusMapCost()).isZero();
        assertThat(result.toString()).contains("sensors=200 duplicates=values liveness=off").contains("perSensor=");
    }

    @Test
    void when_duplicatesOff_then_measuredToo() throws InterruptedException, JMException {
        MemoryBenchmark.Result result = MemoryBenchmark.run(200, freePort(), Duration.ofSeconds(60), Duplicates.OFF,
                false);

        assertThat(result.counted()).isEqualTo(200);
        assertThat(result.toString()).contains("duplicates=off");
    }

    @Test
    void when_smallRunWithLiveness_then_everySensorHasAStatusEntryMeasured() throws InterruptedException, JMException {
        MemoryBenchmark.Result result = MemoryBenchmark.run(200, freePort(), Duration.ofSeconds(60),
                Duplicates.VALUES, true);

        assertThat(result.counted()).isEqualTo(200);
        assertThat(result.statusMapCost()).isPositive();
        assertThat(result.toString()).contains("liveness=on").contains("sensor_status=");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
