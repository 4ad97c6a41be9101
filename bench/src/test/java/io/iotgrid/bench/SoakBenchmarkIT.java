package io.iotgrid.bench;

import io.iotgrid.bench.SoakBenchmark.Fault;
import io.iotgrid.bench.SoakBenchmark.FaultResult;
import io.iotgrid.bench.SoakBenchmark.HeapSample;
import io.iotgrid.bench.SoakBenchmark.Ingest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The soak's smoke: one fault of each kind in turn, about two and a half minutes on a quiet machine (three to four
 * and a half with other builds running), most of it the members' start, the CoAP relations' re-registration
 * (Max-Age 60 s) and the last windows closing. A correctness test: it checks the report's invariants, never a speed.
 */
@Timeout(600)
class SoakBenchmarkIT {

    @Test
    void when_everyFaultInTurn_then_kafkaExactMqttComplete_everyFaultRecovered_deadLettersMatch(@TempDir Path dir)
            throws Exception {
        SoakBenchmark.Result result = SoakBenchmark.run(Bench.parse(new SoakBenchmark.Options(),
                "--duration", "10s", "--fault-every", "8s", "--sensors", "10", "--window", "5s",
                "--quiet-close", "15s", "--heap-every", "10s", "--results", dir.toString()));

        assertThat(result.violations()).as(result.toString()).isEmpty();
        assertThat(result.faults()).extracting(FaultResult::fault).containsExactly(Fault.values());
        assertThat(result.faults()).allMatch(FaultResult::recovered);
        for (Ingest ingest : Ingest.values()) {
            assertThat(result.path(ingest).offered()).as(ingest + " offered").isPositive();
            assertThat(result.path(ingest).badSent()).as(ingest + " bad payloads").isPositive();
            assertThat(result.path(ingest).aggregated()).as(ingest + " aggregated").isPositive();
        }
        assertThat(result.path(Ingest.KAFKA).lost()).isZero();
        assertThat(result.path(Ingest.KAFKA).duplicated()).isZero();
        assertThat(result.path(Ingest.KAFKA).distinctDeadLetters()).isEqualTo(result.path(Ingest.KAFKA).badSent());
        assertThat(result.heap()).extracting(HeapSample::member).contains(1, 2);
        assertThat(dir.resolve("summary.txt")).content().contains("invariants: all hold");
        assertThat(dir.resolve("faults.csv")).content().startsWith("at_s,fault,target,recovery_ms\n")
                                               .contains(",member,member ", ",coap server,CoAP server (pid ");
        assertThat(dir.resolve("heap.csv")).content().startsWith("at_s,member,incarnation,heap_after_gc_bytes\n");
        assertThat(dir.resolve("paths.csv")).content().contains("\nkafka,");
    }
}
