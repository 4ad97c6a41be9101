package io.iotgrid.jobs.impl;

import com.hazelcast.internal.metrics.Probe;
import com.hazelcast.internal.util.counters.Counter;
import com.hazelcast.internal.util.counters.SwCounter;
import com.hazelcast.jet.Traverser;
import com.hazelcast.jet.Traversers;
import com.hazelcast.jet.core.AbstractProcessor;
import com.hazelcast.jet.core.Watermark;
import com.hazelcast.jet.datamodel.KeyedWindowResult;
import com.hazelcast.jet.impl.JetEvent;
import com.hazelcast.partition.PartitionAware;
import io.iotgrid.jobs.StatsAccumulator;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static com.hazelcast.jet.impl.JetEvent.jetEvent;

/**
 * Rolls the final results of closed windows up into longer tumbling windows (hours, days) per key, by merging
 * their accumulators ({@link StatsAccumulator#combine}), so that the average, minimum, maximum and standard
 * deviation of an hour are those of its readings, never an average of averages. A rolled-up window's result comes
 * once, when the watermark passes its end: the closed windows it holds all came before that watermark, since a
 * window processor emits a window's final result ahead of the watermark that closes it.
 * <p>
 * The input is partitioned by key and carries event time: {@code KeyedWindowResult<K, StatsAccumulator>} of final
 * results, whose windows each fit inside one window of every tier (the job checks that its window size divides
 * the tiers'). Each closed window must come once; a closed window that comes after the watermark passed the end of
 * its tier window (which the job's window processors never emit) is counted in {@code lateWindowsDropped}. Output:
 * the tiers' results as {@code KeyedWindowResult<K, StatsAccumulator>}, stamped {@code windowEnd - 1}; a tier is
 * told apart by the length of its windows. The open tier windows are saved in snapshots keyed by the grouping key.
 *
 * @param <K> the grouping key
 */
public final class RollupP<K> extends AbstractProcessor {

    private final long[] tierLengths;
    /** Per tier, in the order of {@link #tierLengths}: its open windows by start, each an accumulator per key. */
    private final List<TreeMap<Long, Map<K, StatsAccumulator>>> open = new ArrayList<>();
    private long lastWatermark = Long.MIN_VALUE;
    private Traverser<Object> closing;
    private Traverser<Map.Entry<TierKey<K>, StatsAccumulator>> snapshotting;

    // A probe, like ChangedWindowsP's lateEventsDropped, for the same reasons.
    @Probe(name = "lateWindowsDropped")
    private final Counter lateWindowsDropped = SwCounter.newSwCounter();

    /** @param tierLengths the length of each tier's windows, ms, e.g. an hour and a day */
    public RollupP(long... tierLengths) {
        this.tierLengths = tierLengths.clone();
        for (int i = 0; i < tierLengths.length; i++) {
            open.add(new TreeMap<>());
        }
    }

    @Override
    protected boolean tryProcess(int ordinal, Object item) {
        @SuppressWarnings("unchecked")
        KeyedWindowResult<K, StatsAccumulator> closed =
                ((JetEvent<KeyedWindowResult<K, StatsAccumulator>>) item).payload();
        for (int t = 0; t < tierLengths.length; t++) {
            long start = Math.floorDiv(closed.start(), tierLengths[t]) * tierLengths[t];
            if (start + tierLengths[t] <= lastWatermark) {
                lateWindowsDropped.inc();
                continue;
            }
            StatsAccumulator acc = open.get(t).computeIfAbsent(start, s -> new HashMap<>())
                                       .computeIfAbsent(closed.key(), k -> new StatsAccumulator());
            acc.combine(closed.result());
        }
        return true;
    }

    @Override
    public boolean tryProcessWatermark(Watermark watermark) {
        if (closing == null) {
            lastWatermark = watermark.timestamp();
            List<Object> results = new ArrayList<>();
            for (int t = 0; t < tierLengths.length; t++) {
                long length = tierLengths[t];
                TreeMap<Long, Map<K, StatsAccumulator>> windows = open.get(t);
                while (!windows.isEmpty() && windows.firstKey() + length <= lastWatermark) {
                    Map.Entry<Long, Map<K, StatsAccumulator>> window = windows.pollFirstEntry();
                    long start = window.getKey();
                    window.getValue().forEach((key, acc) -> results.add(
                            jetEvent(start + length - 1, new KeyedWindowResult<>(start, start + length, key, acc))));
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

    @Override
    public boolean saveToSnapshot() {
        if (snapshotting == null) {
            List<Map.Entry<TierKey<K>, StatsAccumulator>> entries = new ArrayList<>();
            for (int t = 0; t < tierLengths.length; t++) {
                long length = tierLengths[t];
                open.get(t).forEach((start, byKey) -> byKey.forEach(
                        (key, acc) -> entries.add(Map.entry(new TierKey<>(key, length, start), acc))));
            }
            snapshotting = Traversers.traverseIterable(entries);
        }
        if (!emitFromTraverserToSnapshot(snapshotting)) {
            return false;
        }
        snapshotting = null;
        return true;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void restoreFromSnapshot(Object key, Object value) {
        TierKey<K> k = (TierKey<K>) key;
        int t = 0;
        // A job's tiers are fixed for its life (its settings are), so the snapshot's tiers are this processor's.
        while (tierLengths[t] != k.length) {
            t++;
        }
        open.get(t).computeIfAbsent(k.start, s -> new HashMap<>()).put(k.key, (StatsAccumulator) value);
    }

    /**
     * A tier window of a key in a snapshot; partitioned by the key, so a restore hands it to the processor that
     * receives the key's windows.
     */
    record TierKey<K>(K key, long length, long start) implements PartitionAware<K>, Serializable {

        @Override
        public K getPartitionKey() {
            return key;
        }
    }
}
