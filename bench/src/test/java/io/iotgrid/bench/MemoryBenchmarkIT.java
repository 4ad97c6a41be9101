package io.iotgrid.bench;

import io.iotgrid.jobs.AggregationSettings.Duplicates;
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
        MemoryBenchmark.Result result = MemoryBenchmark.run(200, 6730, Duration.ofSeconds(60), Duplicates.VALUES);

        assertThat(result.counted()).isEqualTo(200);
        assertThat(result.perSensor()).isPositive();
        assertThat(result.sensorMapCost()).isPositive();
        assertThat(result.mapPerSensor()).isPositive();
        assertThat(result.topClasses()).isNotEmpty();
        assertThat(result.toString()).contains("sensors=200 duplicates=values").contains("perSensor=");
    }

    @Test
    void when_duplicatesOff_then_measuredToo() throws InterruptedException, JMException {
        MemoryBenchmark.Result result = MemoryBenchmark.run(200, 6730, Duration.ofSeconds(60), Duplicates.OFF);

        assertThat(result.counted()).isEqualTo(200);
        assertThat(result.toString()).contains("duplicates=off");
    }
}
