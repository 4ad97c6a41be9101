package io.iotgrid.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchTest {

    @Test
    void when_optionsGiven_then_readAndOthersDefault() {
        Bench.Options o = Bench.Options.parse(new String[]{"--rates", "10,20", "--early", "5ms", "--runs", "2"},
                "--rates", "--early", "--runs", "--rate");

        assertThat(o.integers("--rates", 1)).containsExactly(10, 20);
        assertThat(o.duration("--early", Duration.ZERO)).isEqualTo(Duration.ofMillis(5));
        assertThat(o.integer("--runs", 3)).isEqualTo(2);
        assertThat(o.decimal("--rate", 0.5)).isEqualTo(0.5);
    }

    @Test
    void when_unknownOrUnpaired_then_rejectedNamingTheKnownOnes() {
        assertThatThrownBy(() -> Bench.Options.parse(new String[]{"--size", "1"}, "--sensors", "--runs"))
                .hasMessage("unknown option --size: expected --sensors, --runs");
        assertThatThrownBy(() -> Bench.Options.parse(new String[]{"--runs"}, "--runs"))
                .hasMessageContaining("pairs");
    }
}
