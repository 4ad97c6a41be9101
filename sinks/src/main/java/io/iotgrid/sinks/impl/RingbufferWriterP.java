package io.iotgrid.sinks.impl;

import com.hazelcast.jet.JetException;
import com.hazelcast.jet.core.AbstractProcessor;
import com.hazelcast.jet.core.Inbox;
import com.hazelcast.ringbuffer.OverflowPolicy;
import com.hazelcast.ringbuffer.Ringbuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes its inbox to a Ringbuffer in batches with {@code addAllAsync}, never blocking the cooperative thread.
 * A snapshot waits until every batch sent so far has been acknowledged, which makes the sink at-least-once.
 */
public final class RingbufferWriterP extends AbstractProcessor {

    /** Pause before resending a batch that a full Ringbuffer with {@link OverflowPolicy#FAIL} refused. */
    private static final long REFUSED_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final String name;
    private final OverflowPolicy overflowPolicy;
    private final int maxInFlight;
    private int maxBatch;

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Queue<List<Object>> refused = new ConcurrentLinkedQueue<>();
    private long retryRefusedAt;
    private Ringbuffer<Object> ringbuffer;

    public RingbufferWriterP(String name, OverflowPolicy overflowPolicy, int maxInFlight, int maxBatch) {
        this.name = name;
        this.overflowPolicy = overflowPolicy;
        this.maxInFlight = maxInFlight;
        this.maxBatch = maxBatch;
    }

    @Override
    protected void init(Context context) {
        ringbuffer = context.hazelcastInstance().getRingbuffer(name);
        // A batch larger than the whole Ringbuffer would be refused forever under the FAIL policy.
        maxBatch = (int) Math.min(maxBatch, ringbuffer.capacity());
    }

    @Override
    public void process(int ordinal, Inbox inbox) {
        checkFailure();
        resendRefused();
        while (!inbox.isEmpty() && inFlight.get() < maxInFlight && refused.isEmpty()) {
            List<Object> batch = new ArrayList<>(Math.min(inbox.size(), maxBatch));
            inbox.drainTo(batch, maxBatch);
            send(batch);
        }
    }

    @Override
    public boolean tryProcess() {
        checkFailure();
        resendRefused();
        return true;
    }

    @Override
    public boolean saveToSnapshot() {
        return isDrained();
    }

    @Override
    public boolean complete() {
        return isDrained();
    }

    private boolean isDrained() {
        checkFailure();
        resendRefused();
        return inFlight.get() == 0 && refused.isEmpty();
    }

    private void send(List<Object> batch) {
        inFlight.incrementAndGet();
        ringbuffer.addAllAsync(batch, overflowPolicy).whenComplete((lastSequence, error) -> {
            if (error != null) {
                failure.compareAndSet(null, error);
            } else if (lastSequence == -1) {
                // FAIL policy and no room: keep the batch, in order, for a later attempt.
                refused.add(batch);
            }
            inFlight.decrementAndGet();
        });
    }

    private void resendRefused() {
        if (refused.isEmpty() || inFlight.get() > 0) {
            return; // a refused batch goes out alone, so it cannot overtake or be overtaken
        }
        long now = System.nanoTime();
        if (retryRefusedAt == 0) {
            retryRefusedAt = now + REFUSED_RETRY_NANOS;
        } else if (now - retryRefusedAt >= 0) {
            retryRefusedAt = 0;
            send(refused.poll());
        }
    }

    private void checkFailure() {
        Throwable t = failure.get();
        if (t != null) {
            throw new JetException("ringbufferSink(" + name + ") failed to write: " + t, t);
        }
    }
}
