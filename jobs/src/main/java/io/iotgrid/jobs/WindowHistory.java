package io.iotgrid.jobs;

import com.hazelcast.jet.datamodel.KeyedWindowResult;
import com.hazelcast.jet.pipeline.Sink;
import com.hazelcast.jet.pipeline.StreamStage;
import io.iotgrid.core.GridNames;
import io.iotgrid.core.HistoryTier;
import io.iotgrid.core.WindowStats;
import io.iotgrid.jobs.impl.RollupP;
import io.iotgrid.sinks.GridSinks;
import io.iotgrid.sinks.GridSinkSettings;
import io.iotgrid.sinks.MapSinkOptions;

import java.util.List;

/**
 * The closed windows of the {@link AggregationJob}: each key's last closed window, and its history with hourly
 * and daily rollups.
 * <pre>
 *   windows ─ final ─┬─ newest per key ───────▶ IMap &lt;stats&gt;_closed
 *                    ├────────────────────────▶ IMap &lt;stats&gt;_history
 *                    └─ rollup (hour, day) ─┬─▶ IMap &lt;stats&gt;_history_hour
 *                                           └─▶ IMap &lt;stats&gt;_history_day
 * </pre>
 * The stats map itself shows the newest window, early or final: with early results the next window's first early
 * result always comes before the last one's final result, so a key's final results would never show there. The
 * closed map shows them. History entries are {@link WindowStats} keyed by {@link HistoryTier#key}, one per id and
 * window (a plain row for a later MapStore), with a sorted index on {@code windowStart} for time-range queries, and
 * each tier's retention as their time to live (from when the window is written, which is when it closes). Hours and
 * days merge the closed windows' accumulators: their statistics are those of their readings.
 * <p>
 * <b>Delivery:</b> as the stats maps, at least once; a window written again writes the same entry again.
 */
final class WindowHistory {

    private WindowHistory() {
    }

    /**
     * Writes the final results among {@code windows} (early and final results of the job's windows, keyed by
     * sensor or place) to the closed map and the history maps of {@code statsMap}.
     */
    static void write(StreamStage<KeyedWindowResult<String, StatsAccumulator>> windows, AggregationSettings settings,
                      String statsMap, String stageName) {
        StreamStage<KeyedWindowResult<String, StatsAccumulator>> closed =
                windows.filter(w -> !w.isEarly()).setName(stageName + "Closed");
        StreamStage<WindowStats> closedStats = closed.map(AggregationJob::toWindowStats)
                                                     .setName(stageName + "ClosedStats");
        // Each key's windows close in order, but the stages in between run in parallel and may reorder them: as for
        // the stats map, only the newest closed window (or a late update of it) goes through.
        AggregationJob.latest(closedStats, settings, stageName + "ClosedLatest")
                      .writeTo(GridSinks.map(GridNames.closed(statsMap), WindowStats::id, s -> s));

        List<HistoryTier> tiers = settings.historyTiers();
        if (tiers.contains(HistoryTier.WINDOW)) {
            closedStats.writeTo(historySink(settings, statsMap, HistoryTier.WINDOW));
        }
        long[] rollups = tiers.stream().filter(t -> t != HistoryTier.WINDOW)
                              .mapToLong(t -> t.length().toMillis()).toArray();
        if (rollups.length == 0) {
            return;
        }
        StreamStage<WindowStats> rolledUp = closed
                .groupingKey(KeyedWindowResult::key)
                .<KeyedWindowResult<String, StatsAccumulator>>customTransform(stageName + "Rollup",
                        () -> new RollupP<>(rollups))
                .map(AggregationJob::toWindowStats).setName(stageName + "RollupStats");
        for (HistoryTier tier : tiers) {
            if (tier != HistoryTier.WINDOW) {
                long length = tier.length().toMillis();
                rolledUp.filter(w -> w.windowEnd() - w.windowStart() == length)
                        .setName(stageName + "Rollup" + tier.label())
                        .writeTo(historySink(settings, statsMap, tier));
            }
        }
    }

    private static Sink<WindowStats> historySink(AggregationSettings settings, String statsMap, HistoryTier tier) {
        MapSinkOptions options = MapSinkOptions.builder()
                .set(MapSinkOptions.TTL, settings.historyRetention(tier))
                .set(MapSinkOptions.INDEXES, List.of("windowStart"))
                .build();
        return GridSinks.map(tier.mapName(statsMap), w -> HistoryTier.key(w.id(), w.windowStart()), w -> w, options,
                GridSinkSettings.defaults());
    }
}
