package io.iotgrid.jobs.impl;

import io.iotgrid.core.SensorReading;
import io.iotgrid.jobs.AggregationSettings.Duplicates;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ReadingSetTest {

    @Test
    void when_manyReadingsAdded_then_eachNewOnceAndFoundAfterGrowing() {
        ReadingSet set = new ReadingSet(Duplicates.VALUES);
        Random random = new Random(7);
        Set<SensorReading> reference = new HashSet<>();
        for (int i = 0; i < 5_000; i++) {
            // Few distinct timestamps and values, so repeats are frequent.
            SensorReading r = reading(random.nextInt(300), random.nextInt(4), random.nextBoolean() ? Double.NaN : 1);
            assertThat(set.add(r)).as("add %s", r).isEqualTo(reference.add(r));
        }
        assertThat(set.size()).isEqualTo(reference.size());
        reference.forEach(r -> assertThat(set.contains(r)).isTrue());
        assertThat(set.contains(reading(1_000, 0, 1))).isFalse();
    }

    @Test
    void when_comparingValues_then_absentEqualsAbsentAndEveryMeasureCounts() {
        ReadingSet set = new ReadingSet(Duplicates.VALUES);
        assertThat(set.add(reading(1, 20, Double.NaN))).isTrue();
        assertThat(set.add(reading(1, 20, Double.NaN))).isFalse();
        assertThat(set.add(reading(1, 20, 0.0))).isTrue();
        assertThat(set.add(reading(1, 20, -0.0))).as("-0.0 differs from 0.0, as Double.compare has it").isTrue();
        assertThat(set.add(reading(1, 21, Double.NaN))).isTrue();
        assertThat(set.add(reading(2, 20, Double.NaN))).isTrue();
    }

    @Test
    void when_comparingTimestamps_then_valuesAreIgnored() {
        ReadingSet set = new ReadingSet(Duplicates.TIMESTAMP);
        assertThat(set.add(reading(1, 20, 1))).isTrue();
        assertThat(set.add(reading(1, 99, 2))).isFalse();
        assertThat(set.contains(reading(1, 0, 0))).isTrue();
        assertThat(set.toLongs()).containsExactly(1L);
    }

    @Test
    void when_savedAsLongsAndAddedToAnother_then_sameReadingsFound() {
        ReadingSet set = new ReadingSet(Duplicates.VALUES);
        for (int i = 0; i < 100; i++) {
            set.add(reading(i, i % 7, i % 2 == 0 ? Double.NaN : i));
        }
        ReadingSet restored = new ReadingSet(Duplicates.VALUES);
        restored.addAll(set.toLongs());
        restored.addAll(set.toLongs());

        assertThat(restored.size()).isEqualTo(100);
        for (int i = 0; i < 100; i++) {
            assertThat(restored.add(reading(i, i % 7, i % 2 == 0 ? Double.NaN : i))).isFalse();
        }
        assertThat(restored.toLongs()).containsExactly(set.toLongs());
    }

    private static SensorReading reading(long ts, double temperature, double humidity) {
        return new SensorReading("s", "p", ts, temperature, humidity, Double.NaN, 5.0);
    }
}
