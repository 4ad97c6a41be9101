package io.iotgrid.jobs;

import io.iotgrid.core.GridNames;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StatsGaugesJobTest {

    @Test
    void when_periodBelowOneSecond_then_failsNamingIt() {
        assertThatThrownBy(() -> StatsGaugesJob.build(GridNames.PLACE_STATS, Duration.ofMillis(500)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("period must be at least 1 s, was PT0.5S");
    }

    @Test
    void when_mapNameBlank_then_failsNamingIt() {
        assertThatThrownBy(() -> StatsGaugesJob.build(" ", Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("statsMap must be a map name, was ' '");
    }

    @Test
    void when_built_then_sourceAndSinkNamedAfterTheMap() {
        String dot = StatsGaugesJob.build(GridNames.PLACE_STATS, Duration.ofSeconds(5)).toDotString();

        assertThat(dot).contains("localEntries(place_stats)", "jmxGauges(place_stats)");
    }
}
