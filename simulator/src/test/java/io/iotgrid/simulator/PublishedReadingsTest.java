package io.iotgrid.simulator;

import io.iotgrid.core.SensorReading;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PublishedReadingsTest {

    @Test
    void when_moreReadingsThanTheHistoryKeeps_then_countHasAllAndListTheLatest() {
        PublishedReadings published = new PublishedReadings();
        int total = SensorSimulator.PUBLISHED_HISTORY + 5;
        for (int i = 1; i <= total; i++) {
            published.record(reading(i), false, null);
        }
        published.record(reading(0), true, null);
        published.record(reading(0), false, new IllegalStateException("broker gone"));

        assertThat(published.count()).isEqualTo(total);
        assertThat(published.list()).hasSize(SensorSimulator.PUBLISHED_HISTORY);
        assertThat(published.list().get(0).timestamp()).isEqualTo(6);
        assertThat(published.badPayloads()).isEqualTo(1);
        assertThat(published.failed()).isEqualTo(1);
    }

    private static SensorReading reading(long timestamp) {
        return new SensorReading("s-1", "p-1", timestamp, 21.5, Double.NaN, Double.NaN, Double.NaN);
    }
}
