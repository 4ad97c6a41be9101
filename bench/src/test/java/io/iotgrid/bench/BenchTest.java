package io.iotgrid.bench;

import io.iotgrid.jobs.AggregationSettings.Duplicates;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchTest {

    @Test
    void when_optionsGiven_then_readAndOthersDefault() {
        LatencyBenchmark.Options o = Bench.parse(new LatencyBenchmark.Options(),
                "--rates", "10,20", "--early", "5ms", "--runs", "2");
        CoapObserveBenchmark.Options coap = Bench.parse(new CoapObserveBenchmark.Options());

        assertThat(o.rates).containsExactly(10, 20);
        assertThat(o.early).isEqualTo(Duration.ofMillis(5));
        assertThat(o.runs).isEqualTo(2);
        assertThat(coap.rate).isEqualTo(1);
        assertThat(o.timing.warmup).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void when_mqttOptionsGiven_then_readAndOthersDefault() {
        MqttBenchmark.Options o = Bench.parse(new MqttBenchmark.Options(), "--qos", "1", "--rate", "20000");

        assertThat(o.qos).containsExactly(1);
        assertThat(o.rate).isEqualTo(20_000);
        assertThat(o.messages).isEqualTo(300_000);
        assertThat(o.snapshotInterval).as("the MQTT job jar's").isEqualTo(Duration.ofSeconds(1));
        assertThat(o.sessions).isEqualTo(2);
        assertThat(o.warmupRuns).isEqualTo(1);
    }

    @Test
    void when_duplicatesGiven_then_oneSeriesEachInAnyCase() {
        MemoryBenchmark.Options memory = Bench.parse(new MemoryBenchmark.Options(), "--duplicates", "off,VALUES");
        CeilingBenchmark.Options ceiling = Bench.parse(new CeilingBenchmark.Options());

        assertThat(memory.duplicates).containsExactly(Duplicates.OFF, Duplicates.VALUES);
        assertThat(ceiling.duplicates).as("the job's default").containsExactly(Duplicates.VALUES);
    }

    @Test
    void when_unknownOrUnpaired_then_rejectedNamingTheKnownOnes() {
        assertThatThrownBy(() -> Bench.parse(new MemoryBenchmark.Options(), "--size", "1"))
                .hasMessage("unknown option --size: expected --sensors, --runs, --duplicates, --liveness");
        assertThatThrownBy(() -> Bench.parse(new MemoryBenchmark.Options(), "--runs"))
                .hasMessageContaining("pairs");
    }

    @Test
    void when_valueBad_then_messageNamesTheOption() {
        assertThatThrownBy(() -> Bench.parse(new LatencyBenchmark.Options(), "--early", "soon"))
                .hasMessageContaining("--early").hasMessageContaining("'soon'");
        assertThatThrownBy(() -> Bench.parse(new KafkaStreamsBenchmark.Arguments(), "--guarantee", "twice"))
                .hasMessageContaining("--guarantee").hasMessageContaining("'twice'");
    }

    @Test
    void when_kafkaOptionsGiven_then_optionsWithTheRestAtTheirDefaults() {
        KafkaStreamsBenchmark.Options o = Bench.parse(new KafkaStreamsBenchmark.Arguments(),
                "--readings", "16000", "--guarantee", "exactly_once", "--timeout", "90s").options();

        assertThat(o).isEqualTo(new KafkaStreamsBenchmark.Options(16_000, 10_000, 100, 5,
                KafkaStreamsBenchmark.Guarantee.EXACTLY_ONCE, "2g", null, 0, Duration.ofSeconds(90), null,
                System.getProperty("java.class.path"), KafkaStreamsPeer.classpath()));
    }
}
