package io.iotgrid.bench;

import io.iotgrid.bench.KafkaStreamsBenchmark.Engine;
import io.iotgrid.bench.KafkaStreamsBenchmark.Result;
import io.iotgrid.bench.KafkaStreamsBenchmark.RunResult;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class KafkaStreamsBenchmarkTest {

    private static RunResult run(Engine engine, int round, double seconds, long ownCpuMillis) {
        return new RunResult(engine, round, 1_000_000, seconds, 1, 10, 0, 0, ownCpuMillis * 1_000_000, 500_000_000,
                1, true);
    }

    @Test
    void when_roundsGiven_then_ratiosArePerRoundAndCpuPerReadingPerJvm() {
        Result result = new Result(1_000_000, 1, "4.1.1", List.of(
                run(Engine.IOT_GRID, 1, 2, 4_000), run(Engine.KAFKA_STREAMS, 1, 4, 8_000),
                run(Engine.KAFKA_CONSUMER, 1, 0.5, 1_000),
                run(Engine.IOT_GRID, 2, 1, 4_000), run(Engine.KAFKA_STREAMS, 2, 4, 8_000),
                run(Engine.KAFKA_CONSUMER, 2, 0.4, 1_000)));

        // Round 1: 500 000 vs 250 000 readings/s; round 2: 1 000 000 vs 250 000.
        assertThat(result.ratio().min()).isEqualTo(2.0);
        assertThat(result.ratio().max()).isEqualTo(4.0);
        assertThat(result.runs().get(0).ownCpuMicrosPerReading()).isCloseTo(4.0, within(1e-9));
        assertThat(result.runs().get(0).brokerCpuMicrosPerReading()).isCloseTo(0.5, within(1e-9));
        assertThat(result.summary()).extracting(Spread::name).contains(
                "Kafka Streams cpu-us/reading own JVM", "Kafka consumer readings/s",
                "ratio iot-grid/Kafka Streams cpu-us/reading own JVM", "ratio Kafka consumer/Kafka Streams readings/s");
        assertThat(result.ratio(Engine.KAFKA_CONSUMER, Engine.KAFKA_STREAMS, "readings/s",
                RunResult::readingsPerSecond).median()).isCloseTo(9.0, within(1e-9));
    }
}
