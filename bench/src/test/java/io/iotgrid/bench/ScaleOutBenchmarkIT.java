package io.iotgrid.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tiny run of the scale-out benchmark through the same path as a full one (three pinned member JVMs, warm-ups, one
 * round), so it keeps working; its figures are not checked against any speed.
 */
@Timeout(300)
class ScaleOutBenchmarkIT {

    @Test
    void when_tinyRun_then_oneAndTwoMembersTakeEveryWindowAndOnlyTwoShuffle(@TempDir Path dir)
            throws IOException, InterruptedException {
        ScaleOutBenchmark.Options options = new ScaleOutBenchmark.Options();
        options.readings = 40_000;
        options.sensors = 40;
        options.runs = 1;
        options.maxHeap = "512m";
        options.dir = dir;

        List<ScaleOutBenchmark.Result> results = ScaleOutBenchmark.run(options);

        // run() returns only when every final window of the input was counted on the members.
        assertThat(results).extracting(ScaleOutBenchmark.Result::members).containsExactly(1, 2);
        assertThat(results).allSatisfy(r -> {
            assertThat(r.readings()).isEqualTo(40_000);
            assertThat(r.readingsPerSecond()).isPositive();
            assertThat(r.cpuNanos()).isPositive();
        });
        assertThat(results.get(0).shuffledItems()).isZero();
        assertThat(results.get(1).shuffledItems()).isPositive();
        assertThat(results.get(1).shuffledBytes()).isPositive();
        assertThat(ScaleOutBenchmark.ratio(results).median()).isPositive();
    }
}
