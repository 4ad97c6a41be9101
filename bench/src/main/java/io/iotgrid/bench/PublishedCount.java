package io.iotgrid.bench;

import io.iotgrid.core.SensorReading;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The running total of what a simulator confirmed, for runs longer than the latest
 * {@link io.iotgrid.simulator.SensorSimulator#PUBLISHED_HISTORY} readings its {@code published()} keeps: each
 * {@link #update()} counts the readings after the last one seen (by identity: every step makes a new reading), in
 * all and per sensor window ({@link #windowKey}), so that what a job aggregated can be compared window by window.
 * Not thread-safe: one thread updates.
 */
final class PublishedCount {

    private final Supplier<List<SensorReading>> published;
    private final long windowMillis;
    private final Map<String, Long> byWindow = new HashMap<>();
    private SensorReading last;
    private long count;
    private long newest = Long.MIN_VALUE;

    /** Counts what {@code published} returns, per tumbling window of {@code windowMillis}. */
    PublishedCount(Supplier<List<SensorReading>> published, long windowMillis) {
        this.published = published;
        this.windowMillis = windowMillis;
    }

    /** {@code <window start>/<sensor id>}: the key of a sensor window, in offered counts and closed windows alike. */
    static String windowKey(long windowStart, String sensorId) {
        return windowStart + "/" + sensorId;
    }

    /**
     * Counts what was published since the last call; call it more often than the history fills.
     *
     * @throws IllegalStateException if the last reading seen already left the history, so some were not counted
     */
    long update() {
        List<SensorReading> now = published.get();
        int from = 0;
        if (last != null) {
            int at = -1;
            for (int i = now.size() - 1; i >= 0; i--) {
                if (now.get(i) == last) {
                    at = i;
                    break;
                }
            }
            if (at < 0) {
                throw new IllegalStateException("more than " + now.size() + " readings were published between two "
                        + "counts: update more often");
            }
            from = at + 1;
        }
        for (int i = from; i < now.size(); i++) {
            SensorReading r = now.get(i);
            newest = Math.max(newest, r.timestamp());
            byWindow.merge(windowKey(r.timestamp() - Math.floorMod(r.timestamp(), windowMillis), r.sensorId()), 1L,
                    Long::sum);
        }
        count += now.size() - from;
        if (!now.isEmpty()) {
            last = now.get(now.size() - 1);
        }
        return count;
    }

    /** Readings counted so far. */
    long count() {
        return count;
    }

    /** Readings counted so far per sensor window ({@link #windowKey}); a copy. */
    Map<String, Long> byWindow() {
        return Map.copyOf(byWindow);
    }

    /** The newest event time counted, ms; {@link Long#MIN_VALUE} before any. */
    long newest() {
        return newest;
    }
}
