package io.iotgrid.jobs;

import com.hazelcast.function.FunctionEx;
import com.hazelcast.jet.datamodel.KeyedWindowResult;
import com.hazelcast.jet.pipeline.StreamStage;
import io.iotgrid.core.GridNames;
import io.iotgrid.core.HistoryBlock;
import io.iotgrid.core.HistoryTier;
import io.iotgrid.core.HistoryUpdate;
import io.iotgrid.core.LateReading;
import io.iotgrid.core.WindowStats;
import io.iotgrid.jobs.impl.HistorySink;
import io.iotgrid.jobs.impl.RollupP;
import io.iotgrid.sinks.GridSinks;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The closed windows of the {@link AggregationJob}: each key's last closed window, and its history with hourly
 * and daily rollups.
 * <pre>
 *   windows ─ final ─┬─ newest per key ─────────────────────▶ IMap &lt;stats&gt;_closed
 *                    └─ history by key ─┬─ window blocks ───▶ IMap &lt;stats&gt;_history
 *   late readings ──────┘ (RollupP)     ├─ hour blocks ─────▶ IMap &lt;stats&gt;_history_hour
 *   (history.revisions)                 └─ day blocks ──────▶ IMap &lt;stats&gt;_history_day
 * </pre>
 * The stats map itself shows the newest window, early or final: with early results the next window's first early
 * result always comes before the last one's final result, so a key's final results would never show there. The
 * closed map shows them. History entries are {@link HistoryBlock}s keyed by {@link HistoryTier#key} of the id and
 * the block start (an hour of windows, a day of hours, a month of days), which is what readers choose them by (no
 * index); each window goes into its slot by an entry processor on the block's owner
 * ({@link HistoryUpdate}), which also sets the block's time to live from the tier's retention. Hours and days merge
 * the closed windows' accumulators: their statistics are those of their readings. With
 * {@link AggregationSettings#historyRevisions()}, each reading too late for its window is merged into the window's
 * slot, and its hour's and day's, after the window's own result ({@link RollupP}).
 * <p>
 * <b>Delivery:</b> as the stats maps, at least once; a window written again writes the same slot again. A late
 * reading sent again after a restore is merged again.
 */
final class WindowHistory {

    private WindowHistory() {
    }

    /**
     * Writes the final results among {@code windows} (early and final results of the job's windows, keyed by
     * sensor or place) to the closed map and the history maps of {@code statsMap}, and merges {@code late} into
     * history when it is not null.
     *
     * @param late      readings too late for their window, or null for no revisions
     * @param lateKeyFn the key of a late reading in these windows: its sensor or its place
     */
    static void write(StreamStage<KeyedWindowResult<String, StatsAccumulator>> windows, StreamStage<LateReading> late,
                      FunctionEx<LateReading, String> lateKeyFn, AggregationSettings settings, String statsMap,
                      String stageName) {
        StreamStage<KeyedWindowResult<String, StatsAccumulator>> closed =
                windows.filter(w -> !w.isEarly()).setName(stageName + "Closed");
        StreamStage<WindowStats> closedStats = closed.map(AggregationJob::toWindowStats)
                                                     .setName(stageName + "ClosedStats");
        // Each key's windows close in order, but the stages in between run in parallel and may reorder them: as for
        // the stats map, only the newest closed window (or a late update of it) goes through.
        AggregationJob.latest(closedStats, settings, stageName + "ClosedLatest")
                      .writeTo(GridSinks.map(GridNames.closed(statsMap), WindowStats::id, s -> s));

        List<HistoryTier> tiers = settings.historyTiers();
        if (tiers.isEmpty()) {
            return;
        }
        Map<HistoryTier, Duration> retentions = new EnumMap<>(HistoryTier.class);
        tiers.forEach(t -> retentions.put(t, settings.historyRetention(t)));
        StreamStage<Object> input = closed.map(w -> (Object) w).setName(stageName + "HistoryClosed");
        if (late != null) {
            input = input.merge(late.map(l -> (Object) l).setName(stageName + "HistoryLate"));
        }
        // RollupP's output goes straight to the sink, whose edge is partitioned by block: a stage in between would
        // take items round-robin and could reorder a block's updates.
        input.groupingKey(o -> o instanceof LateReading l ? lateKeyFn.apply(l) : key(o))
             .<HistoryUpdate>customTransform(stageName + "History", () -> new RollupP(retentions, lateKeyFn))
             .writeTo(HistorySink.of(statsMap));
    }

    private static String key(Object closedWindow) {
        return ((KeyedWindowResult<?, ?>) closedWindow).key().toString();
    }
}
