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
        Remembered set = new Remembered(Duplicates.VALUES);
        Random random = new Random(7);
        Set<SensorReading> reference = new HashSet<>();
        for (int i = 0; i < 5_000; i++) {
            // Few distinct timestamps and values, so repeats are frequent.
            SensorReading r = reading(random.nextInt(300), random.nextInt(4), random.nextBoolean() ? Double.NaN : 1);
            assertThat(set.add(r)).as("add %s", r).isEqualTo(reference.add(r));
        }
        assertThat(set.set.size()).isEqualTo(reference.size());
        reference.forEach(r -> assertThat(set.contains(r)).isTrue());
        assertThat(set.contains(reading(1_000, 0, 1))).isFalse();
    }

    @Test
    void when_comparingValues_then_absentEqualsAbsentAndEveryMeasureCounts() {
        Remembered set = new Remembered(Duplicates.VALUES);
        assertThat(set.add(reading(1, 20, Double.NaN))).isTrue();
        assertThat(set.add(reading(1, 20, Double.NaN))).isFalse();
        assertThat(set.add(reading(1, 20, 0.0))).isTrue();
        assertThat(set.add(reading(1, 20, -0.0))).as("-0.0 differs from 0.0, as Double.compare has it").isTrue();
        assertThat(set.add(reading(1, 21, Double.NaN))).isTrue();
        assertThat(set.add(reading(2, 20, Double.NaN))).isTrue();
    }

    @Test
    void when_comparingTimestamps_then_valuesAreIgnored() {
        Remembered set = new Remembered(Duplicates.TIMESTAMP);
        assertThat(set.add(reading(1, 20, 1))).isTrue();
        assertThat(set.add(reading(1, 99, 2))).isFalse();
        assertThat(set.contains(reading(1, 0, 0))).isTrue();
        assertThat(set.set.toLongs()).containsExactly(1L);
    }

    @Test
    void when_savedAsLongsAndAddedToAnother_then_sameReadingsFound() {
        Remembered set = new Remembered(Duplicates.VALUES);
        for (int i = 0; i < 100; i++) {
            set.add(reading(i, i % 7, i % 2 == 0 ? Double.NaN : i));
        }
        Remembered restored = new Remembered(Duplicates.VALUES);
        restored.set.addAll(set.set.toLongs());
        restored.set.addAll(set.set.toLongs());

        assertThat(restored.set.size()).isEqualTo(100);
        for (int i = 0; i < 100; i++) {
            assertThat(restored.add(reading(i, i % 7, i % 2 == 0 ? Double.NaN : i))).isFalse();
        }
        assertThat(restored.set.toLongs()).containsExactly(set.set.toLongs());
    }

    /** A set with the identity array its caller reuses, as the sensor stage has them. */
    private static final class Remembered {
        final ReadingSet set;
        final long[] identity;

        Remembered(Duplicates duplicates) {
            set = new ReadingSet(duplicates);
            identity = new long[ReadingSet.width(duplicates)];
        }

        boolean add(SensorReading r) {
            ReadingSet.identity(r, identity);
            return set.add(identity);
        }

        boolean contains(SensorReading r) {
            ReadingSet.identity(r, identity);
            return set.contains(identity);
        }
    }

    private static SensorReading reading(long ts, double temperature, double humidity) {
        return new SensorReading("s", "p", ts, temperature, humidity, Double.NaN, 5.0);
    }
}
