package io.iotgrid.jobs.impl;

import com.hazelcast.function.SupplierEx;
import com.hazelcast.internal.metrics.Probe;
import com.hazelcast.internal.util.counters.Counter;
import com.hazelcast.internal.util.counters.SwCounter;
import com.hazelcast.jet.core.BroadcastKey;
import com.hazelcast.jet.core.Inbox;
import com.hazelcast.jet.core.Processor;
import com.hazelcast.jet.core.Watermark;
import com.hazelcast.jet.datamodel.KeyedWindowResult;
import com.hazelcast.jet.impl.JetEvent;
import com.hazelcast.partition.PartitionAware;
import io.iotgrid.core.AlertKind;
import io.iotgrid.core.LateReading;
import io.iotgrid.core.SensorReading;
import io.iotgrid.core.SensorState;
import io.iotgrid.core.SensorStatus;
import io.iotgrid.core.ThresholdAlert;
import io.iotgrid.jobs.AggregationSettings.Duplicates;
import io.iotgrid.jobs.StatsAccumulator;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import static com.hazelcast.jet.core.BroadcastKey.broadcastKey;
import static com.hazelcast.jet.impl.JetEvent.jetEvent;

/**
 * Everything the aggregation job does per sensor, in one processor whose input is partitioned by sensor: one
 * shuffle and one look-up of the sensor's state per reading, where a stage per concern took three of each.
 * For each reading, in this order:
 * <ol>
 *   <li><b>liveness</b> (when {@code rules} is not null): the sensor's {@link SensorLiveness} takes it, emitting
 *       {@link SensorStatus}es and {@link ThresholdAlert}s ({@link AlertKind#STATUS}, {@link AlertKind#ANOMALY});
 *       silence is judged on the wall clock in {@link #tryProcess()}, which Jet calls whenever the inbox is empty,
 *       also when nothing arrives;</li>
 *   <li><b>late</b>: a reading whose tumbling window has closed (the watermark has passed its end) becomes a
 *       {@link LateReading}, stamped with its event time, and counts in no window;</li>
 *   <li><b>duplicates</b>: a repeat of a reading already counted in its open window ({@link Duplicates}) is dropped
 *       and counted; at most {@code maxPerSensor} readings of a sensor are remembered per window, beyond which
 *       readings count unchecked ({@code duplicateChecksSkipped});</li>
 *   <li><b>the sensor's window</b> takes it, and <b>the part of its place's window</b> this processor holds.</li>
 * </ol>
 * When the watermark passes a window's end the sensor windows' final results ({@link KeyedWindowResult} of the
 * sensor id and its {@link StatsAccumulator}, stamped {@code windowEnd - 1} like Jet's) and the place parts
 * ({@link WindowPartial}) of that window are emitted before the watermark. With an early-results period, every
 * period the sensor windows that gained readings are emitted early (a copy each) and the place parts gathered since
 * the last period are handed on. The places' windows are completed by {@link ChangedWindowsP} after a shuffle by
 * place, which then carries a part per place, window and processor instead of every reading; a place's window is
 * final there once every processor of this stage has sent its part and passed the watermark on.
 * <p>
 * The input is partitioned by {@link PartitionKeys#of} of the sensor id. The watermark this processor judges lateness
 * by is the one it forwards, so nothing downstream drops a reading it
 * let through. The state (the watermark, each sensor's liveness, its open windows and their remembered readings,
 * the place parts not handed on yet) is saved in snapshots keyed by sensor or place, so a restore puts each where
 * it belongs; the least saved watermark is restored. After a restore, silence of a sensor that was ONLINE counts
 * from the restore, and every open sensor window is shown again as an early result.
 */
public final class SensorStageP extends SnapshottingP {

    private static final BroadcastKey<String> WATERMARK = broadcastKey("watermark");

    private final long windowSize;
    private final long earlyPeriodNanos;
    private final Duplicates duplicates;
    private final int maxPerSensor;
    private final LivenessRules rules;
    private final LongSupplier clock;
    private final long checkPeriodNanos;

    private final Map<String, Sensor> sensors = new HashMap<>();
    /** The open windows, oldest first; seldom more than a few. */
    private final List<Window> windows = new ArrayList<>();
    /** Sensor windows that gained readings since the last early results (with early results only). */
    private final List<Slot> changed = new ArrayList<>();
    /** Items to emit, in order; filled per reading, per watermark and per period, emitted as the outbox has room. */
    private final ArrayDeque<Object> pending = new ArrayDeque<>();
    private final Consumer<Object> livenessOut = this::pendLiveness;
    /** What identifies the reading being checked for a repeat, reused for every reading. */
    private final long[] identity;
    /** The wall clock when the inbox being processed came: read once per batch of readings, not per reading. */
    private long batchNow;
    private long lastWatermark = Long.MIN_VALUE;
    /** The least watermark read from the snapshot so far, {@code null} until one is read. */
    private Long restoredWatermark;
    /** Whether the results of the watermark being processed are already pending. */
    private boolean closing;
    private long nextEarlyNanos;
    private long nextCheckNanos;

    // Probes rather than user metrics: present from the start (a user metric appears with its first use), and
    // testable without a job.
    @Probe(name = "lateReadings")
    private final Counter lateReadings = SwCounter.newSwCounter();
    @Probe(name = "duplicateReadings")
    private final Counter duplicateReadings = SwCounter.newSwCounter();
    @Probe(name = "duplicateChecksSkipped")
    private final Counter duplicateChecksSkipped = SwCounter.newSwCounter();
    @Probe(name = "sensorsOnline")
    private volatile long online;
    @Probe(name = "sensorsSilent")
    private volatile long silent;
    @Probe(name = "sensorsOffline")
    private volatile long offline;
    @Probe(name = "statusAlerts")
    private final Counter statusAlerts = SwCounter.newSwCounter();
    @Probe(name = "anomalyAlerts")
    private final Counter anomalyAlerts = SwCounter.newSwCounter();

    /**
     * @param windowSize   the windows' length, ms
     * @param earlyPeriod  how often sensor windows that changed are emitted early and place parts handed on, ms;
     *                     0 for final results only
     * @param duplicates   which readings are the same
     * @param maxPerSensor readings of one sensor remembered per window
     * @param rules        the liveness rules, or null for no liveness
     * @param clock        the wall clock, ms: what liveness judges silence by and when a late reading was found
     */
    SensorStageP(long windowSize, long earlyPeriod, Duplicates duplicates, int maxPerSensor, LivenessRules rules,
                 LongSupplier clock) {
        this.windowSize = windowSize;
        this.earlyPeriodNanos = TimeUnit.MILLISECONDS.toNanos(earlyPeriod);
        this.duplicates = duplicates;
        this.maxPerSensor = maxPerSensor;
        this.identity = duplicates == Duplicates.OFF ? null : new long[ReadingSet.width(duplicates)];
        this.rules = rules;
        this.clock = clock;
        // A change of liveness is seen within a quarter of the shortest bound, at most a second late, and costs one
        // pass over this processor's sensors per period.
        this.checkPeriodNanos = rules == null ? 0
                : TimeUnit.MILLISECONDS.toNanos(Math.max(1, Math.min(1000, rules.silentFloorMs() / 4)));
        long now = System.nanoTime();
        this.nextEarlyNanos = now + earlyPeriodNanos;
        this.nextCheckNanos = now + checkPeriodNanos;
    }

    /** A supplier for a {@code customTransform} keyed by sensor id, liveness on the system clock. */
    public static SupplierEx<Processor> supplier(long windowSize, long earlyPeriod, Duplicates duplicates,
                                                 int maxPerSensor, LivenessRules rules) {
        return () -> new SensorStageP(windowSize, earlyPeriod, duplicates, maxPerSensor, rules,
                System::currentTimeMillis);
    }

    @Override
    public void process(int ordinal, Inbox inbox) {
        batchNow = clock.getAsLong();
        super.process(ordinal, inbox);
    }

    @Override
    protected boolean tryProcess(int ordinal, Object item) {
        if (!flush()) {
            return false;
        }
        @SuppressWarnings("unchecked")
        JetEvent<SensorReading> event = (JetEvent<SensorReading>) item;
        SensorReading reading = event.payload();
        Sensor sensor = sensors.get(reading.sensorId());
        if (sensor == null) {
            sensor = new Sensor(reading.sensorId());
            sensors.put(sensor.id, sensor);
        }
        if (rules != null) {
            if (sensor.liveness == null) {
                sensor.liveness = SensorLiveness.first(reading, batchNow, rules, livenessOut);
            } else {
                sensor.liveness.onReading(reading, batchNow, rules, livenessOut);
            }
        }
        long start = Math.floorDiv(event.timestamp(), windowSize) * windowSize;
        if (start + windowSize <= lastWatermark) {
            lateReadings.inc();
            pending.add(jetEvent(event.timestamp(), LateReading.of(reading, start, start + windowSize,
                    lastWatermark, batchNow)));
            forgetIfIdle(sensor);
        } else {
            Slot slot = sensor.slot(start);
            if (slot == null) {
                slot = openSlot(sensor, start);
            }
            if (counts(slot, reading)) {
                slot.acc.add(reading);
                slot.part(reading.placeId()).acc().add(reading);
                if (earlyPeriodNanos > 0 && !slot.changed) {
                    slot.changed = true;
                    changed.add(slot);
                }
            }
        }
        flush();
        return true;
    }

    /** Whether the windows count {@code reading}: not a repeat of one they counted (or unchecked past the cap). */
    private boolean counts(Slot slot, SensorReading reading) {
        if (duplicates == Duplicates.OFF) {
            return true;
        }
        if (slot.seen == null) {
            slot.seen = new ReadingSet(duplicates);
        }
        ReadingSet.identity(reading, identity);
        if (slot.seen.size() < maxPerSensor) {
            // add() alone tells a repeat: one look-up per reading.
            if (!slot.seen.add(identity)) {
                duplicateReadings.inc();
                return false;
            }
        } else if (slot.seen.contains(identity)) {
            duplicateReadings.inc();
            return false;
        } else {
            duplicateChecksSkipped.inc();
        }
        return true;
    }

    /** Emits what is pending when a finite input ends (tests; a streaming job's input does not end). */
    @Override
    public boolean complete() {
        return flush();
    }

    /** Early results and place parts, once per early period; liveness checks, once per check period. */
    @Override
    public boolean tryProcess() {
        if (!flush()) {
            return false;
        }
        long nowNanos = System.nanoTime();
        if (earlyPeriodNanos > 0 && nowNanos >= nextEarlyNanos) {
            nextEarlyNanos = nowNanos + earlyPeriodNanos;
            early();
        }
        if (rules != null && nowNanos >= nextCheckNanos) {
            nextCheckNanos = nowNanos + checkPeriodNanos;
            checkLiveness();
        }
        flush();
        return true;
    }

    private void early() {
        for (Slot slot : changed) {
            // A slot whose window closed since it changed had its final result instead.
            if (slot.changed) {
                slot.changed = false;
                pending.add(result(slot, true));
            }
        }
        changed.clear();
        for (Window window : windows) {
            window.handOnParts(pending, windowSize);
        }
    }

    private void checkLiveness() {
        long now = clock.getAsLong();
        long[] byState = new long[SensorState.values().length];
        for (Sensor sensor : sensors.values()) {
            if (sensor.liveness != null) {
                sensor.liveness.check(now, rules, livenessOut);
                byState[sensor.liveness.state().ordinal()]++;
            }
        }
        online = byState[SensorState.ONLINE.ordinal()];
        silent = byState[SensorState.SILENT.ordinal()];
        offline = byState[SensorState.OFFLINE.ordinal()];
    }

    @Override
    public boolean tryProcessWatermark(Watermark watermark) {
        if (!closing) {
            if (!flush()) {
                return false;
            }
            // Never back: after a restore the sources may start below the watermark restored here, and the
            // windows this processor closed stay closed.
            lastWatermark = Math.max(lastWatermark, watermark.timestamp());
            int closed = 0;
            for (; closed < windows.size() && windows.get(closed).start + windowSize <= lastWatermark; closed++) {
                close(windows.get(closed));
            }
            windows.subList(0, closed).clear();
            closing = true;
        }
        if (!flush() || !tryEmit(watermark)) {
            return false;
        }
        closing = false;
        return true;
    }

    /** Emits the window's final results and place parts, and forgets its slots. */
    private void close(Window window) {
        for (Slot slot : window.slots) {
            slot.changed = false;
            pending.add(result(slot, false));
            slot.sensor.removeSlot(slot);
            forgetIfIdle(slot.sensor);
        }
        window.handOnParts(pending, windowSize);
    }

    /** Without liveness a sensor with no open window needs no state: its next reading starts anew. */
    private void forgetIfIdle(Sensor sensor) {
        if (sensor.liveness == null && sensor.slotCount == 0) {
            sensors.remove(sensor.id);
        }
    }

    private Slot openSlot(Sensor sensor, long start) {
        Window window = window(start);
        Slot slot = new Slot(sensor, window);
        window.slots.add(slot);
        sensor.addSlot(slot);
        return slot;
    }

    /** The window starting at {@code start}, opened if it is not yet. */
    private Window window(long start) {
        int i = windows.size() - 1;
        for (; i >= 0 && windows.get(i).start >= start; i--) {
            if (windows.get(i).start == start) {
                return windows.get(i);
            }
        }
        Window opened = new Window(start);
        windows.add(i + 1, opened);
        return opened;
    }

    /**
     * A sensor window as its result, so history can merge closed windows into hours and days exactly: a copy for an
     * early result (the window fills on), the accumulator itself for the final one (it is dropped).
     */
    private Object result(Slot slot, boolean early) {
        long start = slot.window.start;
        long end = start + windowSize;
        return jetEvent(end - 1, new KeyedWindowResult<>(start, end, slot.sensor.id,
                early ? slot.acc.copy() : slot.acc, early));
    }

    @Override
    public boolean saveToSnapshot() {
        // What the state already reflects must be out before the barrier, or a restore would never emit it.
        return flush() && super.saveToSnapshot();
    }

    @Override
    Iterable<Map.Entry<Object, Object>> snapshotEntries() {
        List<Map.Entry<Object, Object>> entries = new ArrayList<>();
        entries.add(Map.entry(WATERMARK, lastWatermark));
        for (Sensor sensor : sensors.values()) {
            if (sensor.liveness != null) {
                entries.add(Map.entry(new LivenessKey(sensor.id), sensor.liveness));
            }
        }
        for (Window window : windows) {
            for (Slot slot : window.slots) {
                entries.add(Map.entry(new SlotKey(slot.sensor.id, window.start), slot.acc));
                if (slot.seen != null) {
                    entries.add(Map.entry(new SeenKey(slot.sensor.id, window.start), slot.seen.toLongs()));
                }
            }
            window.parts.forEach((place, part) -> {
                if (part.acc != null) {
                    entries.add(Map.entry(new PartKey(place, window.start), part.acc));
                }
            });
        }
        return entries;
    }

    @Override
    protected void restoreFromSnapshot(Object key, Object value) {
        if (key instanceof LivenessKey k) {
            SensorLiveness liveness = (SensorLiveness) value;
            liveness.restored(clock.getAsLong());
            sensors.computeIfAbsent(k.sensorId, Sensor::new).liveness = liveness;
        } else if (key instanceof SlotKey k) {
            Slot slot = restoredSlot(k.sensorId, k.windowStart);
            slot.acc.combine((StatsAccumulator) value);
            if (earlyPeriodNanos > 0 && !slot.changed) {
                // What the last early result before the snapshot showed is unknown here: show it again.
                slot.changed = true;
                changed.add(slot);
            }
        } else if (key instanceof SeenKey k) {
            Slot slot = restoredSlot(k.sensorId, k.windowStart);
            if (slot.seen == null) {
                slot.seen = new ReadingSet(duplicates);
            }
            slot.seen.addAll((long[]) value);
        } else if (key instanceof PartKey k) {
            window(k.windowStart).part(k.placeId).acc().combine((StatsAccumulator) value);
        } else {
            // Every processor saved its own; the least is never behind any downstream window processor's.
            long saved = (Long) value;
            restoredWatermark = restoredWatermark == null ? saved : Math.min(restoredWatermark, saved);
        }
    }

    private Slot restoredSlot(String sensorId, long windowStart) {
        Sensor sensor = sensors.computeIfAbsent(sensorId, Sensor::new);
        Slot slot = sensor.slot(windowStart);
        return slot != null ? slot : openSlot(sensor, windowStart);
    }

    @Override
    public boolean finishSnapshotRestore() {
        if (restoredWatermark != null) {
            lastWatermark = restoredWatermark;
            restoredWatermark = null;
        }
        return true;
    }

    private void pendLiveness(Object item) {
        if (item instanceof ThresholdAlert a) {
            (a.kind() == AlertKind.STATUS ? statusAlerts : anomalyAlerts).inc();
        }
        // Stamped with the event time of the sensor's latest reading (of the reading, for an anomaly): downstream
        // stages only map and write, so the stamp orders nothing.
        pending.add(jetEvent(item instanceof ThresholdAlert a ? a.timestamp() : ((SensorStatus) item).lastEventAt(),
                item));
    }

    private boolean flush() {
        for (Object next; (next = pending.peek()) != null; pending.poll()) {
            if (!tryEmit(next)) {
                return false;
            }
        }
        return true;
    }

    /** What this processor knows of one sensor: its liveness and its open windows. */
    private static final class Sensor {
        final String id;
        SensorLiveness liveness;
        /** The sensor's open windows, in no order; seldom more than two, so a scan beats a map. */
        Slot[] slots = new Slot[2];
        int slotCount;

        Sensor(String id) {
            this.id = id;
        }

        Slot slot(long start) {
            for (int i = 0; i < slotCount; i++) {
                if (slots[i].window.start == start) {
                    return slots[i];
                }
            }
            return null;
        }

        void addSlot(Slot slot) {
            if (slotCount == slots.length) {
                slots = Arrays.copyOf(slots, 2 * slots.length);
            }
            slots[slotCount++] = slot;
        }

        void removeSlot(Slot slot) {
            for (int i = 0; i < slotCount; i++) {
                if (slots[i] == slot) {
                    slots[i] = slots[--slotCount];
                    slots[slotCount] = null;
                    return;
                }
            }
        }
    }

    /** One sensor's window: its accumulator and remembered readings, and the part of its place's window. */
    private static final class Slot {
        final Sensor sensor;
        final Window window;
        final StatsAccumulator acc = new StatsAccumulator();
        ReadingSet seen;
        /** The place part of this window the sensor's readings went to last: a sensor seldom changes place. */
        Part part;
        boolean changed;

        Slot(Sensor sensor, Window window) {
            this.sensor = sensor;
            this.window = window;
        }

        Part part(String placeId) {
            if (part == null || !part.placeId.equals(placeId)) {
                part = window.part(placeId);
            }
            return part;
        }
    }

    /** One open window: its sensors' slots and the parts of its places' windows not handed on yet. */
    private static final class Window {
        final long start;
        final List<Slot> slots = new ArrayList<>();
        final Map<String, Part> parts = new HashMap<>();

        Window(long start) {
            this.start = start;
        }

        Part part(String placeId) {
            return parts.computeIfAbsent(placeId, Part::new);
        }

        /** Emits the parts gathered since the last call, each stamped {@code windowEnd - 1}. */
        void handOnParts(ArrayDeque<Object> out, long windowSize) {
            for (Part part : parts.values()) {
                if (part.acc != null) {
                    out.add(jetEvent(start + windowSize - 1, new WindowPartial(part.placeId, start, part.acc)));
                    part.acc = null;
                }
            }
        }
    }

    /** The part of a place's window gathered here since it was last handed on; null when nothing was. */
    private static final class Part {
        final String placeId;
        StatsAccumulator acc;

        Part(String placeId) {
            this.placeId = placeId;
        }

        /** The part's accumulator, started when the part gains its first reading since it was handed on. */
        StatsAccumulator acc() {
            if (acc == null) {
                acc = new StatsAccumulator();
            }
            return acc;
        }
    }

    /** A snapshot key of a sensor's state: partitioned as the input is ({@link PartitionKeys}). */
    interface SensorKey extends PartitionAware<Object>, Serializable {

        String sensorId();

        @Override
        default Object getPartitionKey() {
            return PartitionKeys.of(sensorId());
        }
    }

    /** A sensor's liveness in a snapshot. */
    record LivenessKey(String sensorId) implements SensorKey {
    }

    /** A sensor's window in a snapshot. */
    record SlotKey(String sensorId, long windowStart) implements SensorKey {
    }

    /** The readings a sensor's window remembers, in a snapshot. */
    record SeenKey(String sensorId, long windowStart) implements SensorKey {
    }

    /** A place part in a snapshot: any processor may hand it on, so it goes where its place would. */
    record PartKey(String placeId, long windowStart) implements PartitionAware<String>, Serializable {

        @Override
        public String getPartitionKey() {
            return placeId;
        }
    }
}
