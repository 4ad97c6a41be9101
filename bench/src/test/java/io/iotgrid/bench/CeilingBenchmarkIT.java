package io.iotgrid.bench;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.testing.Resources;
import io.iotgrid.jobs.AggregationSettings.Duplicates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A tiny run of each variant, so the benchmark keeps working; its figures are not checked against any speed. */
@Timeout(300)
class CeilingBenchmarkIT {

    @RegisterExtension
    final Resources resources = new Resources();

    @Test
    void when_smallRun_then_everyFinalWindowArrivesForBothVariants() throws Exception {
        Config config = GridConfigs.loopbackMember("ceiling-smoke-" + UUID.randomUUID(), Bench.freePort());
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
        resources.onClose(() -> member.getLifecycleService().terminate());
        // 40 sensors over 4 partitions, 150 000 ms of event time per partition: windows 0-60-120-150 s, 3 each.
        BenchReadings data = new BenchReadings(40, 4, 4, 1_700_000_040_000L);

        for (boolean parse : new boolean[]{true, false}) {
            CeilingBenchmark.Result result = CeilingBenchmark.run(member, data, 600_000, parse, Duplicates.VALUES,
                    false);

            assertThat(result.windows()).isEqualTo(40 * 3);
            assertThat(result.readings()).isEqualTo(600_000);
            assertThat(result.readingsPerSecond()).isPositive();
            assertThat(result.cpuMicrosPerReading()).isPositive();
            assertThat(result.toString()).contains(parse ? "variant=parse" : "variant=no-parse")
                                         .contains("duplicates=values");
        }
        CeilingBenchmark.Result off = CeilingBenchmark.run(member, data, 600_000, false, Duplicates.OFF, false);
        assertThat(off.windows()).isEqualTo(40 * 3);
        assertThat(off.toString()).contains("duplicates=off");
    }

    @Test
    void when_smallRunWithLiveness_then_everyFinalWindowArrives_andCpuPerReadingMeasured() throws Exception {
        Config config = GridConfigs.loopbackMember("ceiling-liveness-" + UUID.randomUUID(), Bench.freePort());
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
        resources.onClose(() -> member.getLifecycleService().terminate());
        BenchReadings data = new BenchReadings(40, 4, 4, 1_700_000_040_000L);

        CeilingBenchmark.Result result = CeilingBenchmark.run(member, data, 600_000, false, Duplicates.VALUES,
                true);

        assertThat(result.windows()).isEqualTo(40 * 3);
        assertThat(result.cpuMicrosPerReading()).isPositive();
        assertThat(result.toString()).contains("variant=no-parse+liveness").contains("cpu-us/reading=");
        assertThat(member.getMap("sensor_status").size()).as("cleared after the run").isZero();
    }
}
