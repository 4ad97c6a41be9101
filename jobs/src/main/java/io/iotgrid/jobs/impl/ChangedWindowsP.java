package io.iotgrid.jobs.impl;

import com.hazelcast.internal.metrics.Probe;
import com.hazelcast.internal.util.counters.Counter;
import com.hazelcast.internal.util.counters.SwCounter;
import com.hazelcast.jet.Traverser;
import com.hazelcast.jet.Traversers;
import com.hazelcast.jet.core.Watermark;
import com.hazelcast.jet.datamodel.KeyedWindowResult;
import com.hazelcast.jet.impl.JetEvent;
import com.hazelcast.partition.PartitionAware;
import io.iotgrid.jobs.StatsAccumulator;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static com.hazelcast.jet.impl.JetEvent.jetEvent;

/**
 * Tumbling event-time windows of {@link StatsAccumulator}s per key, completed from the {@link WindowPartial}s that
 * each processor of {@link SensorStageP} sends (the place windows of the aggregation job), that every
 * {@code earlyPeriod} emit an early result only for the windows that gained parts since the last one; each window's
 * final result comes when the watermark passes its end, which, since every sender hands on its parts of a window
 * before it forwards a watermark past the window's end, is when every part is in. Jet's own window aggregation emits
 * an early result for every key of every open window each period, so its cost grows with the number of keys times
 * the rate of early results: at 10 000 sensors, a 10 ms period meant a million results a second. Here the cost
 * follows the parts.
 * <p>
 * The input is partitioned by key (a keyed {@code customTransform}) and carries event time: items and results are
 * Jet's timestamped events, results stamped {@code windowEnd - 1} like Jet's. A part of a window that has already
 * closed is dropped and counted in {@code lateEventsDropped}, the metric Jet's window processors use; in the
 * aggregation job none comes, as said above. The open windows are saved in snapshots keyed by the grouping key, so a
 * restore puts each where its key goes.
 *
 * @param <K> the grouping key
 */
public final class ChangedWindowsP<K> extends SnapshottingP {

    private final long windowSize;
    private final long earlyPeriodNanos;

    /**
     * The open windows, oldest first; several are open while late readings may still come, seldom more than a
     * few. Looked up by their primitive start, newest first: a reading costs no boxed key.
     */
    private final List<Window<K>> windows = new ArrayList<>();
    /**
     * Windows that gained parts since their last early result, by their accumulator's identity: a part of a
     * window already marked costs a lookup and no allocation.
     */
    private final Map<StatsAccumulator, SnapshotKey<K>> changed = new IdentityHashMap<>();
    private long lastWatermark = Long.MIN_VALUE;
    private long nextEarlyNanos;
    /**
     * Early results being emitted, and final results being emitted with their watermark: kept apart so that
     * neither is emitted twice, whichever of the two Jet calls while the other waits for room in the outbox.
     */
    private Traverser<Object> earlyResults;
    private Traverser<Object> closing;

    // A probe, as Jet's own window processors have, rather than a user metric (Metrics.metric): Jet gives a
    // processor the thread context user metrics need only while it processes, not in init() nor under TestSupport,
    // so a user metric would appear with the first late reading instead of from the start (dashboards would show
    // no series), and this processor could not be tested on its own.
    @Probe(name = "lateEventsDropped")
    private final Counter lateEventsDropped = SwCounter.newSwCounter();

    /**
     * @param windowSize  window length, ms
     * @param earlyPeriod how often changed windows are emitted early, ms; 0 for final results only
     */
    public ChangedWindowsP(long windowSize, long earlyPeriod) {
        this.windowSize = windowSize;
        this.earlyPeriodNanos = TimeUnit.MILLISECONDS.toNanos(earlyPeriod);
        this.nextEarlyNanos = System.nanoTime() + earlyPeriodNanos;
    }

    @Override
    protected boolean tryProcess(int ordinal, Object item) {
        @SuppressWarnings("unchecked")
        WindowPartial part = ((JetEvent<WindowPartial>) item).payload();
        long start = part.windowStart();
        if (start + windowSize <= lastWatermark) {
            lateEventsDropped.inc();
            return true;
        }
        @SuppressWarnings("unchecked")
        K key = (K) part.key();
        Map<K, StatsAccumulator> window = window(start);
        StatsAccumulator acc = window.get(key);
        if (acc == null) {
            // A window's first part is copied, not kept: a part is read here, never changed.
            acc = new StatsAccumulator();
            window.put(key, acc);
        }
        acc.combine(part.acc());
        if (earlyPeriodNanos > 0 && !changed.containsKey(acc)) {
            changed.put(acc, new SnapshotKey<>(key, start));
        }
        return true;
    }

    /** Emits the early results that are due; Jet calls it whenever the inbox is empty. */
    @Override
    public boolean tryProcess() {
        if (earlyResults == null) {
            if (earlyPeriodNanos == 0 || changed.isEmpty() || System.nanoTime() < nextEarlyNanos) {
                return true;
            }
            nextEarlyNanos = System.nanoTime() + earlyPeriodNanos;
            List<Object> results = new ArrayList<>(changed.size());
            changed.forEach((acc, k) -> results.add(result(k.key, k.windowStart, acc, true)));
            changed.clear();
            earlyResults = Traversers.traverseIterable(results);
        }
        if (!emitFromTraverser(earlyResults)) {
            return false;
        }
        earlyResults = null;
        return true;
    }

    @Override
    public boolean tryProcessWatermark(Watermark watermark) {
        if (closing == null) {
            lastWatermark = watermark.timestamp();
            List<Object> results = new ArrayList<>();
            int closed = 0;
            for (; closed < windows.size() && windows.get(closed).start + windowSize <= lastWatermark; closed++) {
                Window<K> window = windows.get(closed);
                window.byKey.forEach((key, acc) -> {
                    results.add(result(key, window.start, acc, false));
                    changed.remove(acc);
                });
            }
            windows.subList(0, closed).clear();
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
    Iterable<Map.Entry<SnapshotKey<K>, StatsAccumulator>> snapshotEntries() {
        List<Map.Entry<SnapshotKey<K>, StatsAccumulator>> entries = new ArrayList<>();
        for (Window<K> window : windows) {
            window.byKey.forEach((key, acc) -> entries.add(Map.entry(new SnapshotKey<>(key, window.start), acc)));
        }
        return entries;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void restoreFromSnapshot(Object key, Object value) {
        SnapshotKey<K> k = (SnapshotKey<K>) key;
        StatsAccumulator acc = (StatsAccumulator) value;
        window(k.windowStart).put(k.key, acc);
        if (earlyPeriodNanos > 0) {
            // What the last early result before the snapshot showed is unknown here: show it again.
            changed.put(acc, k);
        }
    }

    /** The accumulators of the window starting at {@code start}, opened if it is not yet. */
    private Map<K, StatsAccumulator> window(long start) {
        int i = windows.size() - 1;
        for (; i >= 0 && windows.get(i).start >= start; i--) {
            if (windows.get(i).start == start) {
                return windows.get(i).byKey;
            }
        }
        Window<K> opened = new Window<>(start);
        windows.add(i + 1, opened);
        return opened.byKey;
    }

    /**
     * A window's accumulator as its result, so history can merge closed windows into hours and days exactly: a
     * copy for an early result (the window fills on), the accumulator itself for the final one (it is dropped).
     */
    private Object result(K key, long start, StatsAccumulator acc, boolean early) {
        long end = start + windowSize;
        return jetEvent(end - 1, new KeyedWindowResult<>(start, end, key, early ? acc.copy() : acc, early));
    }

    /** One open window: its start and the accumulator of each key that has readings in it. */
    private static final class Window<K> {
        final long start;
        final Map<K, StatsAccumulator> byKey = new HashMap<>();

        Window(long start) {
            this.start = start;
        }
    }

    /**
     * A window of a key in a snapshot and in the set of changed windows; partitioned by the key, so a restore
     * hands it to the processor that receives the key's readings.
     */
    record SnapshotKey<K>(K key, long windowStart) implements PartitionAware<K>, Serializable {

        @Override
        public K getPartitionKey() {
            return key;
        }
    }
}
