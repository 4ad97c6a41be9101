package io.iotgrid.jobs.impl;

import com.hazelcast.function.SupplierEx;
import com.hazelcast.internal.metrics.Probe;
import com.hazelcast.internal.util.counters.Counter;
import com.hazelcast.internal.util.counters.SwCounter;
import com.hazelcast.jet.Traverser;
import com.hazelcast.jet.Traversers;
import com.hazelcast.jet.core.AbstractProcessor;
import com.hazelcast.jet.core.Processor;
import com.hazelcast.jet.core.Watermark;
import com.hazelcast.jet.impl.JetEvent;
import io.iotgrid.core.AlertKind;
import io.iotgrid.core.SensorReading;
import io.iotgrid.core.SensorState;
import io.iotgrid.core.SensorStatus;
import io.iotgrid.core.ThresholdAlert;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import static com.hazelcast.jet.impl.JetEvent.jetEvent;

/**
 * Sensor liveness and anomalies: keeps a {@link SensorLiveness} per sensor and emits, as timestamped events, the
 * sensors' {@link SensorStatus} (at each change of state, and at most once per refresh period while a sensor
 * reports) and {@link ThresholdAlert}s of kinds {@link AlertKind#STATUS} and {@link AlertKind#ANOMALY}.
 * <p>
 * Silence is judged on the wall clock in {@link #tryProcess()}, which Jet calls whenever the inbox is empty, also
 * when no item and no watermark arrives: when every sensor stops at once the watermark stands still (or follows
 * the source's wall-clock floor, which may be off), so neither a watermark nor Jet's time-to-live eviction of
 * {@code mapStateful} could say that a sensor went quiet. The input is partitioned by sensor id (a keyed
 * {@code customTransform}), so each sensor's state lives on one processor of one member, and the snapshot entries
 * are keyed by sensor id, so a restore puts each where its readings go. After a restore, silence of a sensor that
 * was ONLINE counts from the restore: the time the job was down is not the sensor's silence.
 */
public final class LivenessP extends AbstractProcessor {

    private final LivenessRules rules;
    private final LongSupplier clock;
    private final long checkPeriodNanos;
    private final Map<String, SensorLiveness> sensors = new HashMap<>();
    /** Events to emit, in order; filled by the sensors, emitted as the outbox has room. */
    private final ArrayDeque<Object> pending = new ArrayDeque<>();
    private final Consumer<Object> out = this::pend;
    private long nextCheckNanos;
    private Traverser<Map.Entry<String, SensorLiveness>> snapshotting;

    // Probes, as ChangedWindowsP has, rather than user metrics: present from the start, and testable on their own.
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

    /** A processor judging silence on the system clock. */
    public LivenessP(LivenessRules rules) {
        this(rules, System::currentTimeMillis);
    }

    LivenessP(LivenessRules rules, LongSupplier clock) {
        this.rules = rules;
        this.clock = clock;
        // A change is seen within a quarter of the shortest bound, at most a second late, and costs one pass over
        // this processor's sensors per period.
        this.checkPeriodNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, Math.min(1000, rules.silentFloorMs() / 4)));
        this.nextCheckNanos = System.nanoTime() + checkPeriodNanos;
    }

    /** A supplier for {@code customTransform}. */
    public static SupplierEx<Processor> supplier(LivenessRules rules) {
        return () -> new LivenessP(rules);
    }

    @Override
    protected boolean tryProcess(int ordinal, Object item) {
        if (!flush()) {
            return false;
        }
        @SuppressWarnings("unchecked")
        SensorReading reading = ((JetEvent<SensorReading>) item).payload();
        long now = clock.getAsLong();
        SensorLiveness sensor = sensors.get(reading.sensorId());
        if (sensor == null) {
            sensors.put(reading.sensorId(), SensorLiveness.first(reading, now, rules, out));
        } else {
            sensor.onReading(reading, now, rules, out);
        }
        flush();
        return true;
    }

    /** Moves quiet sensors to SILENT or OFFLINE, once per check period of the wall clock. */
    @Override
    public boolean tryProcess() {
        if (!flush()) {
            return false;
        }
        if (System.nanoTime() < nextCheckNanos) {
            return true;
        }
        nextCheckNanos = System.nanoTime() + checkPeriodNanos;
        long now = clock.getAsLong();
        long[] byState = new long[SensorState.values().length];
        for (SensorLiveness sensor : sensors.values()) {
            sensor.check(now, rules, out);
            byState[sensor.state().ordinal()]++;
        }
        online = byState[SensorState.ONLINE.ordinal()];
        silent = byState[SensorState.SILENT.ordinal()];
        offline = byState[SensorState.OFFLINE.ordinal()];
        flush();
        return true;
    }

    @Override
    public boolean tryProcessWatermark(Watermark watermark) {
        return flush() && tryEmit(watermark);
    }

    @Override
    public boolean saveToSnapshot() {
        // What the state already reflects must be out before the barrier, or a restore would never emit it.
        if (!flush()) {
            return false;
        }
        if (snapshotting == null) {
            snapshotting = Traversers.traverseIterable(new HashMap<>(sensors).entrySet());
        }
        if (!emitFromTraverserToSnapshot(snapshotting)) {
            return false;
        }
        snapshotting = null;
        return true;
    }

    @Override
    protected void restoreFromSnapshot(Object key, Object value) {
        SensorLiveness sensor = (SensorLiveness) value;
        sensor.restored(clock.getAsLong());
        sensors.put((String) key, sensor);
    }

    private void pend(Object item) {
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
}
