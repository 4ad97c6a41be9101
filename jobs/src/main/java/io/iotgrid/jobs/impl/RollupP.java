package io.iotgrid.jobs.impl;

import com.hazelcast.function.FunctionEx;
import com.hazelcast.internal.metrics.Probe;
import com.hazelcast.internal.util.counters.Counter;
import com.hazelcast.internal.util.counters.SwCounter;
import com.hazelcast.jet.Traverser;
import com.hazelcast.jet.Traversers;
import com.hazelcast.jet.core.Watermark;
import com.hazelcast.jet.datamodel.KeyedWindowResult;
import com.hazelcast.jet.impl.JetEvent;
import com.hazelcast.partition.PartitionAware;
import io.iotgrid.core.HistoryTier;
import io.iotgrid.core.HistoryUpdate;
import io.iotgrid.core.LateReading;
import io.iotgrid.core.WindowStats;
import io.iotgrid.jobs.StatsAccumulator;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static com.hazelcast.jet.impl.JetEvent.jetEvent;

/**
 * The history of one stats map per key: turns the final results of closed windows, and optionally late readings, into
 * {@link HistoryUpdate}s of every kept tier, in the order the history maps must apply them.
 * <ul>
 *   <li>A closed window replaces its slot in the window tier, and its accumulator is merged
 *   ({@link StatsAccumulator#combine}) into the open hour and day containing it, so that the average, minimum, maximum
 *   and standard deviation of an hour are those of its readings, never an average of averages. A rolled-up window's
 *   result replaces its slot once, when the watermark passes its end: the closed windows it holds all came before that
 *   watermark, since a window processor emits a window's final result ahead of the watermark that closes it.</li>
 *   <li>A late reading (a {@link LateReading}, too late for its window) becomes a revision of its window's slot
 *   ({@link HistoryUpdate#revise}) once the watermark here has passed the window's end: by then the window's own
 *   result has come and gone out, so the revision is applied after it, never overwritten by it. For the hour and
 *   day containing it: added to the tier window's accumulator while that is still open, a revision of its slot once
 *   that has gone out.</li>
 * </ul>
 * The input is partitioned by key and carries event time: {@code KeyedWindowResult<String, StatsAccumulator>} of
 * final results, whose windows each fit inside one window of every tier (the job checks that its window size
 * divides the tiers'), and {@link LateReading}s, keyed by {@code lateKeyFn}. Each closed window must come once; a
 * closed window that comes after the watermark passed the end of its tier window (which the job's window processors
 * never emit) is counted in {@code lateWindowsDropped}. Output: {@code HistoryUpdate}s stamped with their window's
 * end less one, to go straight to a sink partitioned by their key, which keeps them in order per block. The open
 * tier windows and the late readings waiting for the watermark are saved in snapshots keyed by the grouping key.
 */
public final class RollupP extends SnapshottingP {

    private static final HistoryTier[] TIERS = HistoryTier.values();

    /** Retention per tier ordinal, ms; 0 for a tier not kept. */
    private final long[] retentions;
    private final FunctionEx<LateReading, String> lateKeyFn;
    /** The kept rollup tiers, and in the same order their lengths and open windows (by start, per key). */
    private final List<HistoryTier> rollups = new ArrayList<>();
    private final List<Long> lengths = new ArrayList<>();
    private final List<TreeMap<Long, Map<String, StatsAccumulator>>> open = new ArrayList<>();
    /** Late readings whose window's end the watermark has not passed yet here, by that end. */
    private final TreeMap<Long, List<Held>> held = new TreeMap<>();
    private long lastWatermark = Long.MIN_VALUE;
    private long heldSequence;
    private Traverser<Object> closing;
    private final FlatMapper<Object, Object> flatMapper = flatMapper(this::process);

    // A probe, like ChangedWindowsP's lateEventsDropped, for the same reasons.
    @Probe(name = "lateWindowsDropped")
    private final Counter lateWindowsDropped = SwCounter.newSwCounter();
    @Probe(name = "historyRevisions")
    private final Counter historyRevisions = SwCounter.newSwCounter();

    /**
     * @param retentions retention of each kept tier, {@code Duration.ZERO} or absent for a tier not kept; a rollup
     *                   tier is kept only when longer than the job's windows (the caller's business)
     * @param lateKeyFn  the grouping key of a late reading (its sensor or its place); late readings come only when
     *                   revisions are on
     */
    public RollupP(Map<HistoryTier, Duration> retentions, FunctionEx<LateReading, String> lateKeyFn) {
        this.retentions = new long[TIERS.length];
        retentions.forEach((tier, retention) -> this.retentions[tier.ordinal()] = retention.toMillis());
        this.lateKeyFn = lateKeyFn;
        for (HistoryTier tier : TIERS) {
            if (tier.length() != null && this.retentions[tier.ordinal()] > 0) {
                rollups.add(tier);
                lengths.add(tier.length().toMillis());
                open.add(new TreeMap<>());
            }
        }
    }

    @Override
    protected boolean tryProcess(int ordinal, Object item) {
        return flatMapper.tryProcess(item);
    }

    private Traverser<Object> process(Object item) {
        Object payload = ((JetEvent<?>) item).payload();
        List<Object> out = new ArrayList<>(1);
        if (payload instanceof LateReading late) {
            if (late.windowEnd() > lastWatermark) {
                held.computeIfAbsent(late.windowEnd(), e -> new ArrayList<>())
                    .add(new Held(lateKeyFn.apply(late), heldSequence++, late));
            } else {
                revise(lateKeyFn.apply(late), late, out);
            }
            return Traversers.traverseIterable(out);
        }
        @SuppressWarnings("unchecked")
        KeyedWindowResult<String, StatsAccumulator> closed = (KeyedWindowResult<String, StatsAccumulator>) payload;
        if (kept(HistoryTier.WINDOW)) {
            out.add(update(HistoryTier.WINDOW, toWindowStats(closed.key(), closed.start(), closed.end(),
                    closed.result()), false));
        }
        for (int t = 0; t < rollups.size(); t++) {
            long length = lengths.get(t);
            long start = Math.floorDiv(closed.start(), length) * length;
            if (start + length <= lastWatermark) {
                lateWindowsDropped.inc();
                continue;
            }
            open.get(t).computeIfAbsent(start, s -> new HashMap<>())
                .computeIfAbsent(closed.key(), k -> new StatsAccumulator()).combine(closed.result());
        }
        return Traversers.traverseIterable(out);
    }

    /**
     * The late reading {@code late} of {@code key}, whose window has gone out: a revision of its window's slot, and
     * of the hour's and day's, or part of their accumulators while they are open.
     */
    private void revise(String key, LateReading late, List<Object> out) {
        historyRevisions.inc();
        if (kept(HistoryTier.WINDOW)) {
            out.add(update(HistoryTier.WINDOW, HistoryUpdate.oneReading(key, late.windowStart(), late.windowEnd(),
                    late.reading()), true));
        }
        for (int t = 0; t < rollups.size(); t++) {
            long length = lengths.get(t);
            long start = Math.floorDiv(late.timestamp(), length) * length;
            if (start + length > lastWatermark) {
                open.get(t).computeIfAbsent(start, s -> new HashMap<>())
                    .computeIfAbsent(key, k -> new StatsAccumulator()).add(late.reading());
            } else {
                out.add(update(rollups.get(t), HistoryUpdate.oneReading(key, start, start + length, late.reading()),
                        true));
            }
        }
    }

    @Override
    public boolean tryProcessWatermark(Watermark watermark) {
        if (closing == null) {
            List<Object> results = new ArrayList<>();
            // Before the tier windows this watermark closes: a late reading of theirs joins their result.
            while (!held.isEmpty() && held.firstKey() <= watermark.timestamp()) {
                for (Held h : held.pollFirstEntry().getValue()) {
                    revise(h.key, h.late, results);
                }
            }
            lastWatermark = watermark.timestamp();
            for (int t = 0; t < rollups.size(); t++) {
                long length = lengths.get(t);
                TreeMap<Long, Map<String, StatsAccumulator>> windows = open.get(t);
                while (!windows.isEmpty() && windows.firstKey() + length <= lastWatermark) {
                    Map.Entry<Long, Map<String, StatsAccumulator>> window = windows.pollFirstEntry();
                    long start = window.getKey();
                    HistoryTier tier = rollups.get(t);
                    window.getValue().forEach((key, acc) -> results.add(
                            update(tier, toWindowStats(key, start, start + length, acc), false)));
                }
            }
            results.add(watermark);
            closing = Traversers.traverseIterable(results);
        }
        if (!emitFromTraverser(closing)) {
            return false;
        }
        closing = null;
        return true;
    }

    private boolean kept(HistoryTier tier) {
        return retentions[tier.ordinal()] > 0;
    }

    private JetEvent<HistoryUpdate> update(HistoryTier tier, WindowStats window, boolean revision) {
        Duration retention = Duration.ofMillis(retentions[tier.ordinal()]);
        return jetEvent(window.windowEnd() - 1, revision ? HistoryUpdate.revise(tier, window, retention)
                : HistoryUpdate.replace(tier, window, retention));
    }

    private static WindowStats toWindowStats(String key, long start, long end, StatsAccumulator acc) {
        StatsAccumulator.Result r = acc.result();
        return WindowStats.of(key, start, end, false, r.readings(), r.byMeasure());
    }

    @Override
    Iterable<Map.Entry<Object, Object>> snapshotEntries() {
        List<Map.Entry<Object, Object>> entries = new ArrayList<>();
        for (int t = 0; t < rollups.size(); t++) {
            long length = lengths.get(t);
            open.get(t).forEach((start, byKey) -> byKey.forEach(
                    (key, acc) -> entries.add(Map.entry(new TierKey(key, length, start), acc))));
        }
        held.values().forEach(list -> list.forEach(h -> entries.add(Map.entry(new HeldKey(h.key, h.sequence),
                h.late))));
        return entries;
    }

    @Override
    protected void restoreFromSnapshot(Object key, Object value) {
        if (key instanceof HeldKey k) {
            LateReading late = (LateReading) value;
            held.computeIfAbsent(late.windowEnd(), e -> new ArrayList<>()).add(new Held(k.key, heldSequence++, late));
            return;
        }
        TierKey k = (TierKey) key;
        // A job's tiers are fixed for its life (its settings are), so the snapshot's tiers are this processor's.
        int t = lengths.indexOf(k.length);
        open.get(t).computeIfAbsent(k.start, s -> new HashMap<>()).put(k.key, (StatsAccumulator) value);
    }

    private record Held(String key, long sequence, LateReading late) {
    }

    /**
     * A tier window of a key in a snapshot; partitioned by the key, so a restore hands it to the processor that
     * receives the key's windows.
     */
    record TierKey(String key, long length, long start) implements PartitionAware<String>, Serializable {

        @Override
        public String getPartitionKey() {
            return key;
        }
    }

    /** A late reading waiting for the watermark, in a snapshot; partitioned by the key, as {@link TierKey}. */
    record HeldKey(String key, long sequence) implements PartitionAware<String>, Serializable {

        @Override
        public String getPartitionKey() {
            return key;
        }
    }
}
