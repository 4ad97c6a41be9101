package io.iotgrid.jobs.impl;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.StreamSerializer;
import io.iotgrid.core.AlertKind;
import io.iotgrid.core.Measure;
import io.iotgrid.core.SensorReading;
import io.iotgrid.core.SensorState;
import io.iotgrid.core.SensorStatus;
import io.iotgrid.core.ThresholdAlert;
import io.iotgrid.jobs.JobSerializers;

import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * What {@link SensorStageP} knows of one sensor: its liveness (state, last reading in event and wall-clock time, usual
 * interval) and what its anomaly rules need (the current run of equal values and the mean and spread of its
 * readings in the current and previous window, per measure). Saved in snapshots under the sensor id.
 * <p>
 * Silence is wall-clock time since the last reading reached the job, because a sensor that stops sends no event time
 * at all; the usual interval is learned from event times, because readings reach the job in bursts (a Kafka poll,
 * an MQTT reconnect) while the sensor's own clock keeps its cadence.
 */
public final class SensorLiveness {

    /** Weight of the newest interval in the usual interval: about the last ten intervals count. */
    static final double INTERVAL_WEIGHT = 0.2;

    private static final Measure[] MEASURES = Measure.values();
    /** Count, mean and sum of squared deviations per measure (Welford), in a window's array. */
    private static final int N = 0;
    private static final int MEAN = 1;
    private static final int M2 = 2;

    private final String sensorId;
    private String placeId;
    private SensorState state;
    private long lastEventAt;
    private long lastSeenAt;
    /** Exponentially weighted mean of the event-time intervals between readings while ONLINE; 0 until known. */
    private double intervalMs;
    private long stateSince;
    private long lastWrittenAt;
    /**
     * Not saved: the wall-clock time this processor restored the sensor, before which silence is not counted, so that
     * the time the job was down does not make a reporting sensor look silent.
     */
    private long restoredAt = Long.MIN_VALUE;

    private final double[] stuckValue = new double[MEASURES.length];
    private final int[] stuckRun = new int[MEASURES.length];
    private long windowStart = Long.MIN_VALUE;
    private double[] current = new double[3 * MEASURES.length];
    private double[] previous = new double[3 * MEASURES.length];

    private SensorLiveness(String sensorId) {
        this.sensorId = sensorId;
    }

    /** A sensor first seen with {@code reading} at wall-clock {@code now}: ONLINE, its status written. */
    public static SensorLiveness first(SensorReading reading, long now, LivenessRules rules, Consumer<Object> out) {
        SensorLiveness s = new SensorLiveness(reading.sensorId());
        s.placeId = reading.placeId();
        s.state = SensorState.ONLINE;
        s.lastEventAt = reading.timestamp();
        s.lastSeenAt = now;
        s.stateSince = now;
        s.anomalies(reading, rules, out);
        s.write(now, rules, out);
        return s;
    }

    /** Takes a reading that reached the job at wall-clock {@code now}; emits status, alerts, anomalies to {@code out}. */
    public void onReading(SensorReading reading, long now, LivenessRules rules, Consumer<Object> out) {
        long silence = now - lastSeenAt;
        if (reading.timestamp() > lastEventAt) {
            if (state == SensorState.ONLINE) {
                // The gap of a sensor coming back is an outage, not its cadence.
                long delta = reading.timestamp() - lastEventAt;
                intervalMs = intervalMs == 0 ? delta : intervalMs + INTERVAL_WEIGHT * (delta - intervalMs);
            }
            lastEventAt = reading.timestamp();
        }
        lastSeenAt = now;
        placeId = reading.placeId();
        anomalies(reading, rules, out);
        if (state != SensorState.ONLINE) {
            change(SensorState.ONLINE, silence, now, rules, out);
        } else if (now - lastWrittenAt >= rules.refreshMs()) {
            write(now, rules, out);
        }
    }

    /** Moves to SILENT or OFFLINE when the silence at wall-clock {@code now} has passed its bound. */
    void check(long now, LivenessRules rules, Consumer<Object> out) {
        long silence = now - Math.max(lastSeenAt, restoredAt);
        SensorState due = silence >= offlineAfter(rules) ? SensorState.OFFLINE
                : silence >= silentAfter(rules) ? SensorState.SILENT : SensorState.ONLINE;
        if (due.compareTo(state) > 0) {
            change(due, now - lastSeenAt, now, rules, out);
        }
    }

    /** Called on restore at wall-clock {@code now}: silence starts counting anew for a sensor that was ONLINE. */
    void restored(long now) {
        restoredAt = state == SensorState.ONLINE ? now : Long.MIN_VALUE;
    }

    SensorState state() {
        return state;
    }

    /** How long the sensor may be quiet before it is SILENT: its usual intervals times the factor, at least the floor. */
    long silentAfter(LivenessRules rules) {
        return Math.max(rules.silentFloorMs(), Math.round(rules.silentIntervals() * intervalMs));
    }

    /** How long the sensor may be quiet before it is OFFLINE: never before it would be SILENT. */
    long offlineAfter(LivenessRules rules) {
        return Math.max(rules.offlineAfterMs(), silentAfter(rules));
    }

    private void change(SensorState to, long silence, long now, LivenessRules rules, Consumer<Object> out) {
        out.accept(new ThresholdAlert(sensorId, placeId, lastEventAt, null, silence / 1000.0, state + "->" + to,
                AlertKind.STATUS));
        state = to;
        stateSince = now;
        write(now, rules, out);
    }

    private void write(long now, LivenessRules rules, Consumer<Object> out) {
        lastWrittenAt = now;
        out.accept(new SensorStatus(sensorId, placeId, state, lastEventAt, lastSeenAt, Math.round(intervalMs),
                silentAfter(rules), stateSince));
    }

    private void anomalies(SensorReading reading, LivenessRules rules, Consumer<Object> out) {
        if (rules.stddevs() > 0) {
            long start = Math.floorDiv(reading.timestamp(), rules.windowMs()) * rules.windowMs();
            if (start > windowStart) {
                if (start - rules.windowMs() == windowStart) {
                    double[] older = previous;
                    previous = current;
                    current = older;
                } else {
                    // A gap of a whole window or more: nothing recent to compare with.
                    Arrays.fill(previous, 0);
                }
                Arrays.fill(current, 0);
                windowStart = start;
            }
        }
        for (Measure m : MEASURES) {
            if (!reading.has(m)) {
                continue;
            }
            int i = m.ordinal();
            double v = reading.value(m);
            if (rules.stuckReadings() > 0) {
                if (stuckRun[i] > 0 && v == stuckValue[i]) {
                    stuckRun[i]++;
                } else {
                    stuckValue[i] = v;
                    stuckRun[i] = 1;
                }
                if (stuckRun[i] == rules.stuckReadings()) {
                    out.accept(anomaly(reading, m, "stuck: " + m.key() + '=' + m.format(v) + " in "
                            + stuckRun[i] + " readings in a row"));
                }
            }
            if (rules.stddevs() > 0) {
                deviation(reading, m, v, rules, out);
                add(current, i, v);
            }
        }
    }

    /** An anomaly when {@code v} is more than the rule's standard deviations from the mean of both windows. */
    private void deviation(SensorReading reading, Measure m, double v, LivenessRules rules, Consumer<Object> out) {
        int b = 3 * m.ordinal();
        double nA = previous[b + N];
        double nB = current[b + N];
        double n = nA + nB;
        if (n < rules.minReadings()) {
            return;
        }
        // Chan's combination of the two windows' Welford sums.
        double delta = current[b + MEAN] - previous[b + MEAN];
        double mean = previous[b + MEAN] + delta * nB / n;
        double m2 = previous[b + M2] + current[b + M2] + delta * delta * nA * nB / n;
        double sd = Math.sqrt(m2 / n);
        // A flat history has no spread to measure against: the stuck-value rule is the one that speaks for it.
        if (sd > 0 && Math.abs(v - mean) > rules.stddevs() * sd) {
            out.accept(anomaly(reading, m, String.format(Locale.ROOT, "deviation: %s=%s is %.1f standard deviations "
                    + "from the recent mean %s (limit %s)", m.key(), m.format(v), Math.abs(v - mean) / sd,
                    m.format(mean), rules.stddevs())));
        }
    }

    private static void add(double[] window, int measure, double v) {
        int b = 3 * measure;
        double n = ++window[b + N];
        double delta = v - window[b + MEAN];
        window[b + MEAN] += delta / n;
        window[b + M2] += delta * (v - window[b + MEAN]);
    }

    private ThresholdAlert anomaly(SensorReading reading, Measure m, String rule) {
        return new ThresholdAlert(sensorId, reading.placeId(), reading.timestamp(), m.key(), reading.value(m), rule,
                AlertKind.ANOMALY);
    }

    /** The snapshot form of {@link SensorLiveness}: version 1, every field but the restore time. */
    public static final class Serializer implements StreamSerializer<SensorLiveness> {

        @Override
        public int getTypeId() {
            return JobSerializers.FIRST_TYPE_ID + 21;
        }

        @Override
        public void write(ObjectDataOutput out, SensorLiveness s) throws IOException {
            out.writeByte(RecordSerializers.VERSION);
            out.writeString(s.sensorId);
            out.writeString(s.placeId);
            out.writeString(s.state.name());
            out.writeLong(s.lastEventAt);
            out.writeLong(s.lastSeenAt);
            out.writeDouble(s.intervalMs);
            out.writeLong(s.stateSince);
            out.writeLong(s.lastWrittenAt);
            out.writeDoubleArray(s.stuckValue);
            out.writeIntArray(s.stuckRun);
            out.writeLong(s.windowStart);
            out.writeDoubleArray(s.current);
            out.writeDoubleArray(s.previous);
        }

        @Override
        public SensorLiveness read(ObjectDataInput in) throws IOException {
            RecordSerializers.readVersion(in, "SensorLiveness");
            SensorLiveness s = new SensorLiveness(in.readString());
            s.placeId = in.readString();
            s.state = SensorState.valueOf(in.readString());
            s.lastEventAt = in.readLong();
            s.lastSeenAt = in.readLong();
            s.intervalMs = in.readDouble();
            s.stateSince = in.readLong();
            s.lastWrittenAt = in.readLong();
            copy(in.readDoubleArray(), s.stuckValue);
            int[] runs = in.readIntArray();
            if (runs == null || runs.length != s.stuckRun.length) {
                throw new IOException("SensorLiveness: expected " + s.stuckRun.length + " runs, read "
                        + (runs == null ? "none" : runs.length));
            }
            System.arraycopy(runs, 0, s.stuckRun, 0, runs.length);
            s.windowStart = in.readLong();
            copy(in.readDoubleArray(), s.current);
            copy(in.readDoubleArray(), s.previous);
            return s;
        }

        private static void copy(double[] from, double[] to) throws IOException {
            if (from == null || from.length != to.length) {
                throw new IOException("SensorLiveness: expected " + to.length + " values per array, read "
                        + (from == null ? "none" : from.length));
            }
            System.arraycopy(from, 0, to, 0, to.length);
        }
    }
}
