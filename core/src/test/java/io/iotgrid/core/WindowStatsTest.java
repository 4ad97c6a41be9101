package io.iotgrid.core;

import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WindowStatsTest {

    @Test
    void when_recordDeclared_then_componentsAreTheHeaderThenMeasureTimesStatisticThenSilentSensors() {
        List<String> expected = new ArrayList<>(List.of("id", "windowStart", "windowEnd", "early", "count"));
        for (Measure m : Measure.values()) {
            for (Statistic s : Statistic.values()) {
                expected.add(s.component(m));
            }
        }
        // Last, whatever statistics are added: the history's packed form stores the components in this order.
        expected.add("silentSensors");
        assertThat(Arrays.stream(WindowStats.class.getRecordComponents()).map(RecordComponent::getName))
                .containsExactlyElementsOf(expected);
        assertThat(Statistic.AVG.component(Measure.TEMPERATURE)).isEqualTo("temperatureAvg");
        assertThat(Statistic.COUNT.column(Measure.LUMINOSITY)).isEqualTo("count_luminosity");
    }

    @Test
    void when_builtFromMeasureStats_then_eachComponentHoldsItsMeasuresStatistic() throws Exception {
        MeasureStats[] byMeasure = new MeasureStats[Measure.count()];
        for (Measure m : Measure.values()) {
            Object[] values = new Object[Statistic.count()];
            for (Statistic s : Statistic.values()) {
                // A distinct value per cell, so a component filled from the wrong cell shows.
                values[s.ordinal()] = s.type() == long.class ? (Object) (10L * m.ordinal() + s.ordinal() + 1)
                        : (Double) (100.0 * m.ordinal() + s.ordinal() + 0.5);
            }
            byMeasure[m.ordinal()] = MeasureStats.of(values);
        }

        WindowStats w = WindowStats.of("p-1", 60_000, 120_000, true, 7, byMeasure);

        assertThat(w.id()).isEqualTo("p-1");
        assertThat(w.windowStart()).isEqualTo(60_000);
        assertThat(w.windowEnd()).isEqualTo(120_000);
        assertThat(w.early()).isTrue();
        assertThat(w.count()).isEqualTo(7);
        for (Measure m : Measure.values()) {
            assertThat(w.stats(m)).isEqualTo(byMeasure[m.ordinal()]);
            for (Statistic s : Statistic.values()) {
                Object byAccessor = WindowStats.class.getMethod(s.component(m)).invoke(w);
                assertThat(w.value(m, s)).as(s.component(m)).isEqualTo(byAccessor)
                                         .isEqualTo(byMeasure[m.ordinal()].value(s));
            }
        }
        assertThat(w.temperatureAvg()).isEqualTo(byMeasure[0].avg());
        assertThat(w.silentSensors()).isNull();

        WindowStats withSilent = w.withSilentSensors(3);
        assertThat(withSilent.silentSensors()).isEqualTo(3);
        assertThat(withSilent).isEqualTo(WindowStats.of("p-1", 60_000, 120_000, true, 7, byMeasure, 3))
                              .usingRecursiveComparison().ignoringFields("silentSensors").isEqualTo(w);
    }

    @Test
    void when_measureAbsent_then_countZeroAndOtherStatisticsNull() {
        MeasureStats[] none = new MeasureStats[Measure.count()];
        Arrays.fill(none, MeasureStats.NONE);

        WindowStats w = WindowStats.of("s", 0, 1, false, 0, none);

        for (Measure m : Measure.values()) {
            for (Statistic s : Statistic.values()) {
                assertThat(w.value(m, s)).as(s.component(m)).isEqualTo(s == Statistic.COUNT ? 0L : null);
            }
        }
    }

    @Test
    void when_measureStatsGivenWrongValues_then_rejectedNamingTheStatistic() {
        assertThatThrownBy(() -> MeasureStats.of(1L, 2.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one value per statistic");
        Object[] intCount = new Object[Statistic.count()];
        intCount[Statistic.COUNT.ordinal()] = 1;
        assertThatThrownBy(() -> MeasureStats.of(intCount))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("COUNT must be a long");
    }
}
