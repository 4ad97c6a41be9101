package io.iotgrid.jobs.impl;

import com.hazelcast.internal.metrics.Probe;
import com.hazelcast.internal.util.counters.Counter;
import com.hazelcast.internal.util.counters.SwCounter;
import com.hazelcast.jet.Traverser;
import com.hazelcast.jet.Traversers;
import com.hazelcast.jet.core.AbstractProcessor;
import com.hazelcast.jet.core.BroadcastKey;
import com.hazelcast.jet.core.Watermark;
import com.hazelcast.jet.impl.JetEvent;
import com.hazelcast.partition.PartitionAware;
import io.iotgrid.core.LateReading;
import io.iotgrid.core.SensorReading;
import io.iotgrid.jobs.AggregationSettings.Duplicates;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.hazelcast.jet.core.BroadcastKey.broadcastKey;
import static com.hazelcast.jet.impl.JetEvent.jetEvent;

/**
 * Sits in front of the event-time windows and lets through only the readings they will count: a reading whose
 * tumbling window has already closed becomes a {@link LateReading}, and a repeat of a reading already let through
 * into a window that is still open is dropped. Emits the readings let through as they came, and each late one as a
 * {@link LateReading} stamped with the reading's event time.
 * <p>
 * Why this is exact: Jet's window processors drop a reading when the watermark they last received has passed its
 * window's end. Every watermark reaches them through this processor, after the items this processor emitted before
 * it, and a processor's watermark is the least over its inputs: when a reading leaves here, the watermark of the
 * window stage is at most the one this processor holds. A reading this processor finds on time is on time there
 * too, so nothing is dropped unseen. The same holds after a restore: this processor saves its watermark and takes
 * the least saved, which is never behind what the window stage saved (it snapshots after this one).
 * <p>
 * Duplicates are looked for per sensor among the readings of its open windows (the input is then partitioned by
 * sensor); each window's memory is freed when the watermark closes it, and at most {@code maxPerSensor} readings
 * of a sensor are remembered per window: beyond, readings pass unchecked and are counted in
 * {@code duplicateChecksSkipped}. The remembered readings and the watermark are saved in snapshots, keyed by sensor
 * so a restore puts each where its sensor's readings go.
 */
public final class LateAndDuplicatesP extends AbstractProcessor {

    /** What {@link #admit} answers for a dropped duplicate: nothing to emit. */
    private static final Object DROPPED = new Object();
    private static final BroadcastKey<String> WATERMARK = broadcastKey("watermark");

    private final long windowSize;
    private final Duplicates duplicates;
    private final int maxPerSensor;

    /** The open windows that remember readings, oldest first; seldom more than a few. */
    private final List<Window> windows = new ArrayList<>();
    private long lastWatermark = Long.MIN_VALUE;
    /** The least watermark read from the snapshot so far, {@code null} until one is read. */
    private Long restoredWatermark;
    /** What {@link #tryProcess(int, Object)} decided for the item it could not emit yet. */
    private Object pending;
    private Traverser<Map.Entry<Object, Object>> snapshotting;

    // Probes, as ChangedWindowsP has, so the series exist from the start (a user metric appears with its first use).
    @Probe(name = "lateReadings")
    private final Counter lateReadings = SwCounter.newSwCounter();
    @Probe(name = "duplicateReadings")
    private final Counter duplicateReadings = SwCounter.newSwCounter();
    @Probe(name = "duplicateChecksSkipped")
    private final Counter duplicateChecksSkipped = SwCounter.newSwCounter();

    /**
     * @param windowSize   the windows' length, ms, as the window stage has it
     * @param duplicates   which readings are the same; with {@link Duplicates#OFF} the input need not be partitioned
     * @param maxPerSensor readings of one sensor remembered per window
     */
    public LateAndDuplicatesP(long windowSize, Duplicates duplicates, int maxPerSensor) {
        this.windowSize = windowSize;
        this.duplicates = duplicates;
        this.maxPerSensor = maxPerSensor;
    }

    @Override
    protected boolean tryProcess(int ordinal, Object item) {
        if (pending == null) {
            // Decided once per item: the counters and the remembered set must not change when Jet offers it again.
            @SuppressWarnings("unchecked")
            JetEvent<SensorReading> event = (JetEvent<SensorReading>) item;
            pending = admit(event);
        }
        if (pending != DROPPED && !tryEmit(pending)) {
            return false;
        }
        pending = null;
        return true;
    }

    private Object admit(JetEvent<SensorReading> event) {
        SensorReading reading = event.payload();
        long start = Math.floorDiv(event.timestamp(), windowSize) * windowSize;
        if (start + windowSize <= lastWatermark) {
            lateReadings.inc();
            return jetEvent(event.timestamp(), LateReading.of(reading, start, start + windowSize, lastWatermark,
                    System.currentTimeMillis()));
        }
        if (duplicates == Duplicates.OFF) {
            return event;
        }
        Set<Object> seen = window(start).computeIfAbsent(reading.sensorId(), k -> new HashSet<>());
        Object identity = duplicates == Duplicates.VALUES ? new Values(reading.timestamp(), reading.temperature(),
                reading.humidity(), reading.pressure(), reading.luminosity()) : (Object) reading.timestamp();
        if (seen.size() < maxPerSensor) {
            // add() alone tells a repeat: one hash lookup per reading.
            if (!seen.add(identity)) {
                duplicateReadings.inc();
                return DROPPED;
            }
        } else if (seen.contains(identity)) {
            duplicateReadings.inc();
            return DROPPED;
        } else {
            duplicateChecksSkipped.inc();
        }
        return event;
    }

    @Override
    public boolean tryProcessWatermark(Watermark watermark) {
        // Never back: after a restore the sources may start below the watermark restored here, and the window
        // stage keeps the windows it closed closed.
        lastWatermark = Math.max(lastWatermark, watermark.timestamp());
        int closed = 0;
        while (closed < windows.size() && windows.get(closed).start + windowSize <= lastWatermark) {
            closed++;
        }
        windows.subList(0, closed).clear();
        return tryEmit(watermark);
    }

    @Override
    public boolean saveToSnapshot() {
        if (snapshotting == null) {
            List<Map.Entry<Object, Object>> entries = new ArrayList<>();
            entries.add(Map.entry(WATERMARK, lastWatermark));
            for (Window window : windows) {
                window.bySensor.forEach((sensor, seen) ->
                        entries.add(Map.entry(new SnapshotKey(sensor, window.start), toLongs(seen))));
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
    protected void restoreFromSnapshot(Object key, Object value) {
        if (key instanceof SnapshotKey k) {
            window(k.windowStart).computeIfAbsent(k.sensorId, s -> new HashSet<>()).addAll(fromLongs((long[]) value));
        } else {
            // Every processor saved its own; the least is never behind any downstream window processor's.
            long saved = (Long) value;
            restoredWatermark = restoredWatermark == null ? saved : Math.min(restoredWatermark, saved);
        }
    }

    @Override
    public boolean finishSnapshotRestore() {
        if (restoredWatermark != null) {
            lastWatermark = restoredWatermark;
            windows.removeIf(w -> w.start + windowSize <= restoredWatermark);
            restoredWatermark = null;
        }
        return true;
    }

    /** The remembered readings by sensor of the window starting at {@code start}, opened if it is not yet. */
    private Map<String, Set<Object>> window(long start) {
        int i = windows.size() - 1;
        for (; i >= 0 && windows.get(i).start >= start; i--) {
            if (windows.get(i).start == start) {
                return windows.get(i).bySensor;
            }
        }
        Window opened = new Window(start);
        windows.add(i + 1, opened);
        return opened.bySensor;
    }

    /**
     * The remembered readings of a sensor in a window as a plain array, for the snapshot: a timestamp each, or with
     * {@link Duplicates#VALUES} the timestamp and the bits of each measure's value.
     */
    private long[] toLongs(Set<Object> seen) {
        int width = duplicates == Duplicates.VALUES ? 5 : 1;
        long[] longs = new long[seen.size() * width];
        int i = 0;
        for (Object o : seen) {
            if (o instanceof Values v) {
                longs[i++] = v.timestamp;
                longs[i++] = Double.doubleToRawLongBits(v.temperature);
                longs[i++] = Double.doubleToRawLongBits(v.humidity);
                longs[i++] = Double.doubleToRawLongBits(v.pressure);
                longs[i++] = Double.doubleToRawLongBits(v.luminosity);
            } else {
                longs[i++] = (Long) o;
            }
        }
        return longs;
    }

    /** What {@link #toLongs} wrote. */
    private List<Object> fromLongs(long[] longs) {
        List<Object> seen = new ArrayList<>();
        if (duplicates == Duplicates.VALUES) {
            for (int i = 0; i < longs.length; i += 5) {
                seen.add(new Values(longs[i], Double.longBitsToDouble(longs[i + 1]),
                        Double.longBitsToDouble(longs[i + 2]), Double.longBitsToDouble(longs[i + 3]),
                        Double.longBitsToDouble(longs[i + 4])));
            }
        } else {
            for (long ts : longs) {
                seen.add(ts);
            }
        }
        return seen;
    }

    /**
     * What makes two readings of a sensor the same with {@link Duplicates#VALUES}: the timestamp and every measure's
     * value (a record compares doubles as {@link Double#compare} does: NaN, an absent measure, equals NaN).
     */
    private record Values(long timestamp, double temperature, double humidity, double pressure, double luminosity) {
    }

    /** One open window: the readings (or timestamps) let through, by sensor. */
    private static final class Window {
        final long start;
        final Map<String, Set<Object>> bySensor = new HashMap<>();

        Window(long start) {
            this.start = start;
        }
    }

    /** A sensor's readings of one window in a snapshot, partitioned by the sensor as the input is. */
    record SnapshotKey(String sensorId, long windowStart) implements PartitionAware<String>, Serializable {

        @Override
        public String getPartitionKey() {
            return sensorId;
        }
    }
}
