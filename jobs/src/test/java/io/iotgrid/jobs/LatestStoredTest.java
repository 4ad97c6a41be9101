package io.iotgrid.jobs;

import com.hazelcast.nio.serialization.genericrecord.GenericRecord;
import com.hazelcast.nio.serialization.genericrecord.GenericRecordBuilder;
import io.iotgrid.core.MeasureStats;
import io.iotgrid.core.WindowStats;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stats maps' update on a member that stores {@link WindowStats} without having the class, as a member of
 * the distribution does: it sees the stored value and the update as Compact {@link GenericRecord}s.
 */
class LatestStoredTest {

    private static WindowStats stats(long start, boolean early) {
        MeasureStats[] none = {MeasureStats.NONE, MeasureStats.NONE, MeasureStats.NONE, MeasureStats.NONE};
        return WindowStats.of("s", start, start + 60_000, early, 1, none);
    }

    private static GenericRecord stored(long start, boolean early) {
        return GenericRecordBuilder.compact(WindowStats.class.getName())
                                   .setInt64("windowStart", start)
                                   .setBoolean("early", early)
                                   .build();
    }

    @Test
    void when_storedValueIsGenericRecord_then_sameRulesAsForWindowStats() {
        GenericRecord early2 = stored(60_000, true);
        GenericRecord final2 = stored(60_000, false);

        assertThat(AggregationJob.latestStored(early2, stats(0, false))).as("older final after newer early")
                                                                         .isSameAs(early2);
        WindowStats newFinal = stats(60_000, false);
        assertThat(AggregationJob.latestStored(early2, newFinal)).isSameAs(newFinal);
        assertThat(AggregationJob.latestStored(final2, stats(60_000, true))).as("early never replaces its final")
                                                                              .isSameAs(final2);
        WindowStats next = stats(120_000, true);
        assertThat(AggregationJob.latestStored(final2, next)).isSameAs(next);

        GenericRecord update = stored(120_000, true);
        assertThat(AggregationJob.latestStored(final2, update)).isSameAs(update);
        assertThat(AggregationJob.latestStored(update, final2)).as("older final after newer early").isSameAs(update);
        assertThat(AggregationJob.latestStored(null, update)).isSameAs(update);
    }

    @Test
    void when_storedValueIsWindowStatsOrAbsent_then_latest() {
        WindowStats early2 = stats(60_000, true);
        WindowStats final1 = stats(0, false);

        assertThat(AggregationJob.latestStored(null, final1)).isSameAs(final1);
        assertThat(AggregationJob.latestStored(early2, final1)).isSameAs(early2);
    }
}
