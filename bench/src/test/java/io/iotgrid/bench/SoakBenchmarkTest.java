package io.iotgrid.bench;

import io.iotgrid.bench.SoakBenchmark.Fault;
import io.iotgrid.bench.SoakBenchmark.FaultResult;
import io.iotgrid.bench.SoakBenchmark.HeapSample;
import io.iotgrid.bench.SoakBenchmark.Ingest;
import io.iotgrid.bench.SoakBenchmark.PathResult;
import io.iotgrid.core.SensorReading;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SoakBenchmarkTest {

    @Test
    void when_windowsDifferBothWays_then_lossAndDuplicatesCountedApart() {
        PathResult p = PathResult.of(Ingest.MQTT, Map.of("0/s-1", 3L, "0/s-2", 2L, "10000/s-2", 1L), 1, 0,
                Map.of("0/s-1", 2L, "0/s-2", 3L, "10000/s-1", 1L), Map.of(), 1, 1);

        assertThat(p.offered()).isEqualTo(6);
        assertThat(p.aggregated()).isEqualTo(6);
        assertThat(p.lost()).as("windows missing readings, whatever the others hold").isEqualTo(2);
        assertThat(p.duplicated()).isEqualTo(2);
        assertThat(p.mismatches()).containsExactly("0/s-1 offered=3 aggregated=2", "10000/s-2 offered=1 aggregated=0",
                "0/s-2 offered=2 aggregated=3", "10000/s-1 offered=0 aggregated=1");
    }

    @Test
    void when_readingsKeptAsLate_then_notLost_butCountedApart() {
        PathResult p = PathResult.of(Ingest.KAFKA, Map.of("0/s-1", 3L, "10000/s-1", 2L), 0, 0,
                Map.of("0/s-1", 1L, "10000/s-1", 2L), Map.of("0/s-1", 2L), 0, 0);

        assertThat(p.late()).isEqualTo(2);
        assertThat(p.lost()).isZero();
        assertThat(p.duplicated()).isZero();
        assertThat(p.mismatches()).isEmpty();
    }

    @Test
    void when_aReadingIsBothCountedAndKeptAsLate_then_neitherLostNorDuplicated() {
        // Late readings are written at least once: a rolled-back execution may have judged late what its replay
        // counted.
        PathResult p = PathResult.of(Ingest.KAFKA, Map.of("0/s-1", 1L), 0, 0, Map.of("0/s-1", 1L),
                Map.of("0/s-1", 1L), 0, 0);

        assertThat(p.lost()).isZero();
        assertThat(p.duplicated()).isZero();
        assertThat(p.mismatches()).isEmpty();
    }

    @Test
    void when_publishedGrowsAndSlides_then_everyReadingCountedOncePerWindow() {
        List<SensorReading> history = new ArrayList<>();
        PublishedCount count = new PublishedCount(() -> List.copyOf(history), 10_000);
        history.add(reading("s-1", 1_000));
        history.add(reading("s-2", 9_999));
        assertThat(count.update()).isEqualTo(2);
        history.remove(0);
        history.add(reading("s-1", 10_000));
        history.add(reading("s-1", 12_000));

        assertThat(count.update()).isEqualTo(4);
        assertThat(count.update()).as("nothing new").isEqualTo(4);
        assertThat(count.newest()).isEqualTo(12_000);
        assertThat(count.byWindow()).containsOnly(Map.entry("0/s-1", 1L), Map.entry("0/s-2", 1L),
                Map.entry("10000/s-1", 2L));
    }

    @Test
    void when_lastSeenLeftTheHistory_then_updateFailsRatherThanUndercount() {
        List<SensorReading> history = new ArrayList<>(List.of(reading("s-1", 1)));
        PublishedCount count = new PublishedCount(() -> List.copyOf(history), 1_000);
        count.update();
        history.set(0, reading("s-1", 2));

        assertThatThrownBy(count::update).hasMessageContaining("update more often");
    }

    @Test
    void when_kafkaLosesOrAFaultDoesNotRecover_then_violationsSaySo() {
        SoakBenchmark.Result result = new SoakBenchmark.Result(List.of(
                new PathResult(Ingest.COAP, 100, 2, 0, 90, 0, 10, 0, 2, 2, List.of()),
                new PathResult(Ingest.KAFKA, 100, 2, 0, 99, 0, 1, 0, 3, 2, List.of("0/s-1 offered=3 aggregated=2")),
                new PathResult(Ingest.MQTT, 100, 2, 0, 101, 0, 0, 1, 2, 2, List.of())),
                List.of(new FaultResult(Fault.MEMBER, "member 1 (pid 7)", 60_000, 12_000),
                        new FaultResult(Fault.COAP_SERVER, "CoAP server (pid 8)", 120_000, -1)),
                List.of(new HeapSample(60_000, 1, 0, 30_000_000), new HeapSample(120_000, 1, 0, 31_000_000)),
                Duration.ofMinutes(3));

        assertThat(result.violations()).containsExactly(
                "kafka (exactly once) lost 1 and duplicated 0 readings",
                "coap server at 120 s (CoAP server (pid 8)) did not recover");
        assertThat(result.toString())
                .contains("kafka         100         2          99        0        1           0             3         2")
                .contains("kafka: windows that differ, losses first: 0/s-1 offered=3 aggregated=2")
                .contains("member             1  12.0 (12.0–12.0)")
                .contains("member 1: 2 samples, first 30.0, last 31.0, 30.0–31.0")
                .contains("invariants violated:");
    }

    @Test
    void when_optionsGiven_then_readAndOthersDefault() {
        SoakBenchmark.Options o = Bench.parse(new SoakBenchmark.Options(), "--duration", "2m", "--fault-every",
                "20s", "--results", "out");

        assertThat(o.duration).isEqualTo(Duration.ofMinutes(2));
        assertThat(o.faultEvery).isEqualTo(Duration.ofSeconds(20));
        assertThat(o.resultsDir()).isEqualTo(Path.of("out"));
        assertThat(o.sensors).isEqualTo(20);
        assertThat(o.heapEvery).isEqualTo(Duration.ofMinutes(1));
        assertThat(Bench.parse(new SoakBenchmark.Options()).resultsDir().toString()).startsWith("bench/results/");
    }

    @Test
    void when_durationNotPositive_then_rejectedNamingTheOption() {
        SoakBenchmark.Options o = Bench.parse(new SoakBenchmark.Options(), "--fault-every", "0s");

        assertThatThrownBy(o::check).hasMessageStartingWith("--fault-every must be positive, was ");
    }

    private static SensorReading reading(String sensor, long timestamp) {
        return new SensorReading(sensor, "p-1", timestamp, 20, 40, 1000, 300);
    }
}
