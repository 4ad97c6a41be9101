package io.iotgrid.sinks;

import com.hazelcast.jet.core.ProcessorMetaSupplier;
import com.hazelcast.jet.pipeline.Sink;
import com.hazelcast.jet.pipeline.Sinks;
import com.hazelcast.ringbuffer.OverflowPolicy;
import io.iotgrid.sinks.impl.RingbufferWriterP;

/**
 * Jet sinks for the grid structures Jet has no sink for. Use {@link Sinks} for IMap, ReliableTopic and the
 * others Jet already covers.
 */
public final class GridSinks {

    /** Items per {@code addAllAsync} call: the most a Ringbuffer accepts in one call. */
    public static final int MAX_RINGBUFFER_BATCH = 1000;
    /** Default number of {@code addAllAsync} calls one sink processor keeps in flight. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 4;

    private GridSinks() {
    }

    /**
     * Same as {@link #ringbuffer(String, OverflowPolicy, int)} with {@link OverflowPolicy#OVERWRITE} and
     * {@value #DEFAULT_MAX_IN_FLIGHT} batches in flight.
     */
    public static <T> Sink<T> ringbuffer(String name) {
        return ringbuffer(name, OverflowPolicy.OVERWRITE, DEFAULT_MAX_IN_FLIGHT);
    }

    /**
     * A sink that appends each item to the Ringbuffer {@code name} of the cluster the job runs in, e.g.
     * {@code readings.writeTo(GridSinks.ringbuffer("sensor_readings"))}.
     * <p>
     * Items are sent in batches of up to {@value #MAX_RINGBUFFER_BATCH} with {@code addAllAsync}; each
     * processor keeps at most {@code maxInFlight} batches in flight and stops taking items while it has that
     * many, which back-pressures the job instead of queueing without bound. With
     * {@link OverflowPolicy#OVERWRITE} (the default) the oldest items make room; with
     * {@link OverflowPolicy#FAIL} a batch the full Ringbuffer refuses is retried until items expire (their
     * time to live is set in the Ringbuffer's configuration), holding the job back meanwhile.
     * <p>
     * <b>Delivery guarantee:</b> at least once. A snapshot completes only once every batch sent before it has
     * been acknowledged, so after a restore nothing is missing, but items sent after the last snapshot are
     * appended again (a Ringbuffer has no key to deduplicate on). Order is kept per processor, except that a
     * batch refused under {@link OverflowPolicy#FAIL} lands after batches that were in flight beside it; with
     * several members, items of different members interleave.
     * <p>
     * Default local parallelism is 1: a Ringbuffer lives in one partition, so more writers per member only
     * add contention.
     *
     * @param name           the Ringbuffer's name
     * @param overflowPolicy what to do when the Ringbuffer is full of items still within their time to live
     * @param maxInFlight    batches one processor may have in flight, at least 1
     */
    public static <T> Sink<T> ringbuffer(String name, OverflowPolicy overflowPolicy, int maxInFlight) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("ringbuffer name must not be blank, was '" + name + "'");
        }
        if (overflowPolicy == null) {
            throw new IllegalArgumentException("overflowPolicy must not be null");
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
        }
        return Sinks.fromProcessor("ringbufferSink(" + name + ')',
                ProcessorMetaSupplier.of(1, () -> new RingbufferWriterP(name, overflowPolicy, maxInFlight,
                        MAX_RINGBUFFER_BATCH)));
    }
}
