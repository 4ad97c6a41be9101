package io.iotgrid.core.sql;

import com.hazelcast.query.Predicate;
import io.iotgrid.core.HistoryBlock;
import io.iotgrid.core.HistoryTier;
import io.iotgrid.core.MeasureStats;
import io.iotgrid.core.WindowStats;
import org.junit.jupiter.api.Test;

import java.util.AbstractMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HistoryEntriesTest {

    private static final long HOUR = 3_600_000;
    private static final long DAY = 24 * HOUR;
    /** 2026-01-31T00:00Z. */
    private static final long JAN31 = 1_769_817_600_000L;
    /** 2026-02-01T00:00Z. */
    private static final long FEB1 = JAN31 + DAY;
    /** 2026-03-01T00:00Z. */
    private static final long MAR1 = FEB1 + 28 * DAY;

    @Test
    void when_boundedRange_then_theStartOfEveryBlockThatCanHoldAWindowInIt() {
        assertThat(HistoryEntries.blockStarts(HistoryTier.WINDOW, JAN31 + 30 * 60_000, JAN31 + 2 * HOUR))
                .containsExactly(JAN31, JAN31 + HOUR, JAN31 + 2 * HOUR);
        assertThat(HistoryEntries.blockStarts(HistoryTier.HOUR, JAN31 + 5 * HOUR, FEB1 - 1))
                .containsExactly(JAN31);
        assertThat(HistoryEntries.blockStarts(HistoryTier.DAY, JAN31, MAR1))
                .containsExactly(JAN31 - 30 * DAY, FEB1, MAR1);
    }

    @Test
    void when_rangeUnboundedOrTooManyBlocks_then_noKeyLookups() {
        assertThat(HistoryEntries.blockStarts(HistoryTier.WINDOW, JAN31, Long.MAX_VALUE)).isNull();
        assertThat(HistoryEntries.blockStarts(HistoryTier.WINDOW, Long.MIN_VALUE, JAN31)).isNull();
        assertThat(HistoryEntries.blockStarts(HistoryTier.WINDOW, JAN31,
                JAN31 + HistoryEntries.MAX_KEY_LOOKUPS * HOUR)).isNull();
        assertThat(HistoryEntries.blockStarts(HistoryTier.WINDOW, JAN31,
                JAN31 + (HistoryEntries.MAX_KEY_LOOKUPS - 1) * HOUR)).hasSize(HistoryEntries.MAX_KEY_LOOKUPS);
    }

    @Test
    void when_rangeOverBlocks_then_keysFromTheBlockHoldingItsFirstWindow() {
        HistoryScope scope = new HistoryScope("p-3", JAN31 + 90 * 60_000, JAN31 + 5 * HOUR);
        Predicate<Object, Object> minutes = HistoryEntries.predicate(HistoryTier.WINDOW, scope);

        assertThat(minutes).hasToString("key p-3@[" + (JAN31 + HOUR) + ".." + (JAN31 + 5 * HOUR) + "]");
        assertThat(minutes.apply(entry("p-3@" + (JAN31 + HOUR)))).as("the block of the range's first window").isTrue();
        assertThat(minutes.apply(entry("p-3@" + (JAN31 + 5 * HOUR)))).as("the block of its last").isTrue();
        assertThat(minutes.apply(entry("p-3@" + JAN31))).as("before the range").isFalse();
        assertThat(minutes.apply(entry("p-3@" + (JAN31 + 6 * HOUR)))).as("after the range").isFalse();
        assertThat(minutes.apply(entry("p-33@" + (JAN31 + HOUR)))).as("an id the id begins").isFalse();
        assertThat(minutes.apply(entry("x@p-3@" + (JAN31 + HOUR)))).as("an id ending in the id").isFalse();
        assertThat(new HistoryEntries.BlockKeys("a@b", Long.MIN_VALUE, Long.MAX_VALUE).apply(entry("a@b@" + JAN31)))
                .as("an id holding '@'").isTrue();

        Predicate<Object, Object> days = HistoryEntries.predicate(HistoryTier.DAY,
                new HistoryScope(null, FEB1 + DAY, Long.MAX_VALUE));
        assertThat(days).hasToString("key *@[" + FEB1 + ".." + Long.MAX_VALUE + "]");
        assertThat(days.apply(entry("s-9@" + FEB1))).isTrue();
        assertThat(days.apply(entry("s-9@" + (JAN31 - 30 * DAY)))).isFalse();
        assertThat(HistoryEntries.predicate(HistoryTier.DAY,
                new HistoryScope(null, Long.MIN_VALUE, Long.MAX_VALUE))).isNull();
    }

    @Test
    void when_keyIsNotIdAtBlockStart_then_failsNamingIt() {
        Predicate<Object, Object> any = HistoryEntries.predicate(HistoryTier.WINDOW,
                new HistoryScope(null, JAN31, Long.MAX_VALUE));

        for (String key : List.of("s-1", "s-1@", "s-1@noon")) {
            assertThatThrownBy(() -> any.apply(entry(key))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("keys are id@blockStart").hasMessageContaining("'" + key + "'");
        }
    }

    @Test
    void when_valuesAreBlocks_then_theirWindowsInOrder() {
        WindowStats a = window(JAN31);
        WindowStats b = window(JAN31 + 60_000);
        WindowStats c = window(JAN31 + HOUR);

        assertThat(HistoryEntries.windows(List.of(HistoryBlock.of("s-1", JAN31, List.of(b, a)),
                HistoryBlock.of("s-1", JAN31 + HOUR, List.of(c))))).containsExactly(a, b, c);
    }

    @Test
    void when_valueIsNoBlock_then_failsNamingItsClass() {
        // A map written by a version before blocks held one WindowStats per window: it must be cleared.
        assertThatThrownBy(() -> HistoryEntries.windows(List.of(window(JAN31))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("holds HistoryBlocks only").hasMessageContaining(WindowStats.class.getName());
        assertThatThrownBy(() -> HistoryEntries.windows(List.of("text")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("java.lang.String");
    }

    private static Map.Entry<Object, Object> entry(String key) {
        return new AbstractMap.SimpleEntry<>(key, null);
    }

    private static WindowStats window(long start) {
        return WindowStats.of("s-1", start, start + 60_000, false, 1, new MeasureStats[] {
                MeasureStats.of(1L, 20.0, 20.0, 20.0, 0.0), MeasureStats.NONE, MeasureStats.NONE, MeasureStats.NONE});
    }
}
