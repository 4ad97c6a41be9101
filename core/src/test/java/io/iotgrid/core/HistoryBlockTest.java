package io.iotgrid.core;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HistoryBlockTest {

    private static final long MINUTE = 60_000;
    /** 2026-12-05T10:00:00Z. */
    private static final long HOUR0 = Instant.parse("2026-12-05T10:00:00Z").toEpochMilli();

    @Test
    void when_windowStartGiven_then_blockIsItsUtcHourDayOrMonth() {
        long t = Instant.parse("2026-02-14T10:37:00Z").toEpochMilli();
        assertThat(HistoryBlock.blockStart(HistoryTier.WINDOW, t))
                .isEqualTo(Instant.parse("2026-02-14T10:00:00Z").toEpochMilli());
        assertThat(HistoryBlock.blockStart(HistoryTier.HOUR, t))
                .isEqualTo(Instant.parse("2026-02-14T00:00:00Z").toEpochMilli());
        assertThat(HistoryBlock.blockStart(HistoryTier.DAY, t))
                .isEqualTo(Instant.parse("2026-02-01T00:00:00Z").toEpochMilli());
        assertThat(HistoryBlock.blockEnd(HistoryTier.DAY, HistoryBlock.blockStart(HistoryTier.DAY, t)))
                .isEqualTo(Instant.parse("2026-03-01T00:00:00Z").toEpochMilli());
        assertThat(HistoryBlock.blockStart(HistoryTier.WINDOW, -1)).isEqualTo(-3_600_000);
    }

    @Test
    void when_windowsPackedInAnyOrder_then_windowsGivesEachBackBitExactAscending() {
        List<WindowStats> windows = new ArrayList<>();
        Random random = new Random(16);
        for (int m = 0; m < 60; m++) {
            windows.add(window("s-1", HOUR0 + m * MINUTE, MINUTE, random));
        }
        List<WindowStats> shuffled = new ArrayList<>(windows);
        Collections.shuffle(shuffled, random);

        HistoryBlock block = HistoryBlock.of("s-1", HOUR0, shuffled);

        assertThat(block.id()).isEqualTo("s-1");
        assertThat(block.blockStart()).isEqualTo(HOUR0);
        assertThat(block.size()).isEqualTo(60);
        assertThat(block.windows()).isEqualTo(windows);
        assertThat(block.window(HOUR0 + 17 * MINUTE)).isEqualTo(windows.get(17));
        assertThat(block.window(HOUR0 + 17 * MINUTE + 1)).isNull();
        assertThat(block).isEqualTo(HistoryBlock.of("s-1", HOUR0, windows));
    }

    @Test
    void when_measuresAbsent_then_theirNullsRoundTripAndOthersKeepNegativeZeroAndNaN() {
        WindowStats sparse = new WindowStats("p-3", HOUR0, HOUR0 + MINUTE, false, 2,
                2, -0.0, Double.NaN, Double.MIN_VALUE, 0.0,
                0, null, null, null, null,
                0, null, null, null, null,
                1, 5.0, 5.0, 5.0, 0.0, null);
        WindowStats none = new WindowStats("p-3", HOUR0 + MINUTE, HOUR0 + 2 * MINUTE, false, 0,
                0, null, null, null, null, 0, null, null, null, null, 0, null, null, null, null,
                0, null, null, null, null, null);

        List<WindowStats> back = HistoryBlock.of("p-3", HOUR0, List.of(none, sparse)).windows();

        assertThat(back).containsExactly(sparse, none);
        assertThat(Double.doubleToRawLongBits(back.get(0).temperatureMin()))
                .isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(back.get(0).humidityAvg()).isNull();
        assertThat(back.get(1).luminosityStddev()).isNull();
    }

    @Test
    void when_withAWindow_then_itsSlotIsReplacedOrAddedInOrderAndTheOriginalUnchanged() {
        Random random = new Random(17);
        WindowStats first = window("s-1", HOUR0, MINUTE, random);
        WindowStats third = window("s-1", HOUR0 + 2 * MINUTE, MINUTE, random);
        HistoryBlock block = HistoryBlock.of("s-1", HOUR0, List.of(first, third));
        WindowStats second = window("s-1", HOUR0 + MINUTE, MINUTE, random);
        WindowStats revisedThird = window("s-1", HOUR0 + 2 * MINUTE, MINUTE, random);
        WindowStats sparseFirst = new WindowStats("s-1", HOUR0, HOUR0 + MINUTE, false, 1,
                0, null, null, null, null, 1, 40.0, 40.0, 40.0, 0.0, 0, null, null, null, null,
                0, null, null, null, null, null);

        HistoryBlock added = block.with(second);
        HistoryBlock replaced = added.with(revisedThird).with(sparseFirst);

        assertThat(block.windows()).containsExactly(first, third);
        assertThat(added.windows()).containsExactly(first, second, third);
        assertThat(replaced.windows()).containsExactly(sparseFirst, second, revisedThird);
        assertThat(replaced.with(second)).as("the same window written twice").isEqualTo(replaced);
        assertThat(HistoryBlock.of("s-1", HOUR0, List.of(revisedThird)).with(sparseFirst).with(second))
                .isEqualTo(replaced);
    }

    @Test
    void when_dayWindowsOfAMonth_then_offsetsBeyondTwoToThe31RoundTrip() {
        long month = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();
        long day = 86_400_000;
        Random random = new Random(18);
        List<WindowStats> days = new ArrayList<>();
        for (int d = 0; d < 31; d++) {
            days.add(window("p-1", month + d * day, day, random));
        }
        HistoryBlock block = HistoryBlock.of("p-1", month, days.subList(0, 30)).with(days.get(30));

        assertThat(block.windows()).isEqualTo(days);
        assertThat(block.window(month + 30 * day)).isEqualTo(days.get(30));
    }

    @Test
    void when_windowDoesNotBelong_then_rejectedNamingIt() {
        Random random = new Random(19);
        WindowStats w = window("s-1", HOUR0, MINUTE, random);
        assertThatThrownBy(() -> HistoryBlock.of("s-2", HOUR0, List.of(w)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not of s-2");
        assertThatThrownBy(() -> HistoryBlock.of("s-1", HOUR0 + 1, List.of(w)))
                .hasMessageContaining("does not start in the block");
        assertThatThrownBy(() -> HistoryBlock.of("s-1", HOUR0, List.of(w, w)))
                .hasMessageContaining("two windows of s-1 start at " + HOUR0);
        assertThatThrownBy(() -> HistoryBlock.of("s-1", HOUR0, List.of()))
                .hasMessageContaining("at least one window");
        WindowStats early = new WindowStats("s-1", HOUR0, HOUR0 + MINUTE, true, 0, 0, null, null, null, null,
                0, null, null, null, null, 0, null, null, null, null, 0, null, null, null, null, null);
        assertThatThrownBy(() -> HistoryBlock.of("s-1", HOUR0, List.of(early))).hasMessageContaining("early");
        WindowStats nullWithCount = new WindowStats("s-1", HOUR0, HOUR0 + MINUTE, false, 1, 1, 1.0, 1.0, null, 0.0,
                0, null, null, null, null, 0, null, null, null, null, 0, null, null, null, null, null);
        assertThatThrownBy(() -> HistoryBlock.of("s-1", HOUR0, List.of(nullWithCount)))
                .hasMessageContaining("temperatureAvg is null with temperatureCount 1");
    }

    /** A window with every measure carried and distinct, arbitrary statistics. */
    static WindowStats window(String id, long start, long length, Random random) {
        MeasureStats[] byMeasure = new MeasureStats[Measure.count()];
        for (Measure m : Measure.values()) {
            byMeasure[m.ordinal()] = MeasureStats.of((long) random.nextInt(1, 100), random.nextGaussian(),
                    random.nextGaussian(), random.nextGaussian(), random.nextDouble());
        }
        return WindowStats.of(id, start, start + length, false, random.nextInt(100, 200), byMeasure);
    }
}
