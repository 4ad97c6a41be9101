package io.iotgrid.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpreadTest {

    @Test
    void when_oddRuns_then_medianIsMiddleValue() {
        Spread s = Spread.of("readings/s", 300, 100, 200);

        assertThat(s.median()).isEqualTo(200);
        assertThat(s.min()).isEqualTo(100);
        assertThat(s.max()).isEqualTo(300);
        assertThat(s).hasToString("readings/s: 200 (100–300) over 3 runs");
    }

    @Test
    void when_evenRuns_then_medianIsMeanOfMiddleValues() {
        assertThat(Spread.of("ratio", 4.0, 1.0, 2.0, 3.0).median()).isEqualTo(2.5);
        assertThat(Spread.of("ratio", 2.5, 1.25).toString()).isEqualTo("ratio: 1.88 (1.25–2.50) over 2 runs");
    }

    @Test
    void when_noValues_then_rejectedWithName() {
        assertThatThrownBy(() -> Spread.of("p99 ms")).hasMessageContaining("'p99 ms'");
    }
}
