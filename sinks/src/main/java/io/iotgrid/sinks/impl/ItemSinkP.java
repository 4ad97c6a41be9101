package io.iotgrid.sinks.impl;

import com.hazelcast.jet.JetException;
import com.hazelcast.jet.core.metrics.Metric;
import com.hazelcast.jet.core.metrics.Metrics;
import io.iotgrid.core.DeadLetter;
import io.iotgrid.sinks.ErrorHandlingSettings;
import io.iotgrid.sinks.ErrorPolicy;

import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * What the sinks that send each item on its own (MQTT publishes, CoAP requests) share: at most {@code maxInFlight}
 * items unfinished, dead-letter writes counted against that bound, and the {@link ErrorPolicy} applied to an item
 * whose send failed: the job fails under THROW, the item is sent again after {@code retryInterval} under RETRY until
 * {@code maxRetries}, and is dead-lettered after that or under DEAD_LETTER.
 *
 * @param <A> one item's attempt to be sent
 */
abstract class ItemSinkP<A extends ItemSinkP.Attempt> extends AsyncSinkP {

    /** An item on its way: its JSON, and how often and when it is sent again. */
    static class Attempt {
        final byte[] json;
        int retries;
        long sendAt;

        Attempt(byte[] json) {
            this.json = json;
        }
    }

    final String sinkName;
    private final ErrorHandlingSettings settings;
    private final int maxInFlight;
    /** The verb of messages: "publish", "send". */
    private final String verb;
    /** The name of the user metric counting retries, e.g. {@code retriedPublishes}. */
    private final String retriedMetric;

    /** Failed attempts waiting for their retry, soonest first. */
    private final PriorityQueue<A> retries = new PriorityQueue<>(Comparator.comparingLong(a -> a.sendAt));
    /** Items taken from the inbox and not yet sent successfully or handed to the dead letters. */
    private int unfinished;
    /** Dead-letter writes sent whose completion has not run yet; they count against the bound too. */
    private int deadLetterWrites;
    private DeadLetterWriter deadLetters;
    /** Created on first use: Jet hands out user metrics only on the threads of processing methods. */
    private Metric retried;

    ItemSinkP(String sinkName, ErrorHandlingSettings settings, int maxInFlight, String verb, String retriedMetric) {
        this.sinkName = sinkName;
        this.settings = settings;
        this.maxInFlight = maxInFlight;
        this.verb = verb;
        this.retriedMetric = retriedMetric;
    }

    @Override
    protected void init(Context context) throws Exception {
        deadLetters = new DeadLetterWriter(context.hazelcastInstance(), settings.deadLettersMap());
    }

    /** Sends {@code attempt} again: its retry is due. */
    abstract void resend(A attempt);

    /** Whether another item may be taken from the inbox. */
    final boolean hasRoom() {
        return unfinished + deadLetterWrites < maxInFlight;
    }

    /** Counts an item taken from the inbox until {@link #finished} or {@link #failed} gives it up. */
    final void started() {
        unfinished++;
    }

    /** The item is sent, or dead-lettered: it no longer counts against the bound. */
    void finished(A attempt) {
        unfinished--;
    }

    @Override
    final boolean isIdle() {
        return unfinished == 0 && deadLetterWrites == 0;
    }

    @Override
    final void sendDue() {
        long now = System.nanoTime();
        for (A next; (next = retries.peek()) != null && now - next.sendAt >= 0; ) {
            resend(retries.poll());
        }
    }

    /**
     * Applies the error policy to {@code attempt}, whose send failed for {@code reason}: fails the job, schedules a
     * retry, or gives the item up to the dead letters under {@code source} and {@link #finished finishes} it.
     */
    final void failed(A attempt, String source, String reason, Throwable error) {
        if (settings.errorPolicy() == ErrorPolicy.THROW) {
            throw new JetException(sinkName + " failed to " + verb + " an item: " + reason, error);
        }
        if (settings.errorPolicy() == ErrorPolicy.RETRY && attempt.retries < settings.maxRetries()) {
            attempt.retries++;
            getLogger().warning(sinkName + ": " + reason + "; retry " + attempt.retries + " of "
                    + settings.maxRetries() + " in " + settings.retryInterval());
            attempt.sendAt = System.nanoTime() + settings.retryInterval().toNanos();
            retries.add(attempt);
            if (retried == null) {
                retried = Metrics.metric(retriedMetric);
            }
            retried.increment();
            return;
        }
        if (settings.errorPolicy() == ErrorPolicy.RETRY) {
            reason += ", given up after " + attempt.retries + " retries";
        }
        giveUp(source, reason, attempt.json, error);
        finished(attempt);
    }

    /**
     * Fails the job under THROW; otherwise writes a dead letter, also under RETRY because an item that cannot be
     * sent at all (no destination, no JSON) will not be sendable later either.
     */
    final void giveUp(String source, String reason, byte[] payload, Throwable cause) {
        if (settings.errorPolicy() == ErrorPolicy.THROW) {
            throw new JetException(sinkName + " failed to " + verb + " an item: " + reason, cause);
        }
        getLogger().warning(sinkName + ": " + reason + "; writing the item to " + deadLetters.mapName());
        deadLetterWrites++;
        deadLetters.write(List.of(new DeadLetter(source, System.currentTimeMillis(), reason, payload)))
                   .whenCompleteAsync((done, error) -> onProcessorThread(() -> onDeadLetterWritten(source, error)),
                           GridWriters.IN_PLACE);
    }

    private void onDeadLetterWritten(String source, Throwable error) {
        deadLetterWrites--;
        if (error != null) {
            throw new JetException(sinkName + " failed to write a dead letter for " + source + " to "
                    + deadLetters.mapName() + ": " + error, error);
        }
        deadLetters.count(1);
    }
}
