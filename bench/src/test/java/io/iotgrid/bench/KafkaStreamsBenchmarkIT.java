package io.iotgrid.bench;

import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tiny run of the benchmark through the same path as a full one (broker, fill, one forked JVM per engine, the
 * peer on Kafka 4.x's own classpath, every check), so it keeps working; its figures are not checked against any speed.
 * The time limits are generous: on a 2-core machine loaded by other builds, Kafka Streams alone took over 90 s to
 * emit its first windows (joining its group, assigning the tasks to two threads).
 */
@Timeout(600)
class KafkaStreamsBenchmarkIT {

    @Test
    void when_tinyRun_then_bothSystemsProduceTheExpectedWindows() throws IOException, InterruptedException {
        KafkaStreamsBenchmark.Options options = new KafkaStreamsBenchmark.Options(16_000, 40, 4, 1,
                KafkaStreamsBenchmark.Guarantee.AT_LEAST_ONCE, "512m", null, 0, Duration.ofMinutes(3), null,
                System.getProperty("java.class.path"), KafkaStreamsPeer.classpath());

        KafkaStreamsBenchmark.Result result = KafkaStreamsBenchmark.run(options);

        // run() throws unless each system's windows equal the expected checksums and each other's.
        assertThat(result.runs()).extracting(KafkaStreamsBenchmark.RunResult::engine)
                                 .containsExactly(KafkaStreamsBenchmark.Engine.values());
        // The peer runs the broker's Kafka, not the 3.6.1 clients of this classpath.
        assertThat(result.peerKafkaVersion()).startsWith("4.").isNotEqualTo(AppInfoParser.getVersion());
        assertThat(result.runs()).allSatisfy(r -> {
            assertThat(r.checked()).isTrue();
            assertThat(r.lateEventsDropped()).isZero();
            assertThat(r.readingsPerSecond()).isPositive();
            assertThat(r.ownCpuNanos()).isPositive();
        });
        assertThat(result.runs()).filteredOn(r -> r.engine() != KafkaStreamsBenchmark.Engine.KAFKA_CONSUMER)
                                 .extracting(KafkaStreamsBenchmark.RunResult::windows).containsOnly(40L);
        assertThat(result.runs()).filteredOn(r -> r.engine() == KafkaStreamsBenchmark.Engine.KAFKA_CONSUMER)
                                 .extracting(KafkaStreamsBenchmark.RunResult::readings).containsOnly(16_004L);
        assertThat(result.fillSeconds()).isPositive();
        assertThat(result.ratio().median()).isPositive();
    }
}
