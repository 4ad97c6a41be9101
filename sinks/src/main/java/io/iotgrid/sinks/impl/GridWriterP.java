package io.iotgrid.sinks.impl;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.XmlClientConfigBuilder;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.function.FunctionEx;
import com.hazelcast.jet.JetException;
import com.hazelcast.jet.core.Inbox;
import com.hazelcast.jet.core.metrics.Metric;
import com.hazelcast.jet.core.metrics.Metrics;
import io.iotgrid.core.DeadLetter;
import io.iotgrid.sinks.ErrorPolicy;
import io.iotgrid.sinks.GridSinkSettings;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The one sink processor of {@link io.iotgrid.sinks.GridSinks}: cuts its inbox into batches, hands them to a
 * {@link BatchWriter}, keeps at most {@link GridSinkSettings#maxInFlight()} unacknowledged and applies the
 * {@link ErrorPolicy} to every batch that fails. A snapshot and the end of the job wait until every batch has
 * been stored or dead-lettered, which makes the sink at-least-once. Cooperative when the writer is
 * asynchronous; then nothing here blocks, and a retry is due when a processing method sees its time has come.
 */
public final class GridWriterP<T> extends AsyncSinkP {

    /** Pause before resending a batch that a full structure refused for now (a Ringbuffer under FAIL). */
    private static final long REFUSED_RESEND_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final String sinkName;
    private final GridSinkSettings settings;
    private final boolean cooperative;
    private final FunctionEx<HazelcastInstance, BatchWriter<T>> writerFn;
    /** What a dead letter keeps of an item: the value that was to be stored, not the whole item. */
    private final FunctionEx<? super T, ?> valueFn;

    /** Batches to send again, in the order they were first sent. */
    private final PriorityQueue<Batch<T>> toResend = new PriorityQueue<>(Comparator.comparingLong(b -> b.seq));
    private long nextSeq;
    /** Batch writes and dead-letter writes sent whose completion has not run yet. */
    private int inFlight;

    private HazelcastInstance target;
    private HazelcastInstance remoteClient;
    private DeadLetterWriter deadLetters;
    private CompletableFuture<BatchWriter<T>> writer;
    /** Created on first use: Jet hands out user metrics only on the threads of processing methods. */
    private Metric retriedBatches;

    public GridWriterP(String sinkName, GridSinkSettings settings, boolean cooperative,
                       FunctionEx<? super T, ?> valueFn, FunctionEx<HazelcastInstance, BatchWriter<T>> writerFn) {
        this.sinkName = sinkName;
        this.settings = settings;
        this.cooperative = cooperative;
        this.valueFn = valueFn;
        this.writerFn = writerFn;
    }

    @Override
    public boolean isCooperative() {
        return cooperative;
    }

    @Override
    protected void init(Context context) {
        HazelcastInstance local = context.hazelcastInstance();
        deadLetters = new DeadLetterWriter(local, settings.deadLettersMap());
        if (settings.remoteClientXml() == null) {
            target = local;
        } else {
            remoteClient = HazelcastClient.newHazelcastClient(remoteClientConfig());
            target = remoteClient;
        }
        // init may block, so the writer's round trips are made here; a remote cluster that does not answer
        // yet fails the first batch instead, which meets the error policy.
        writer = createWriter();
    }

    @Override
    public void process(int ordinal, Inbox inbox) {
        for (pump(); !inbox.isEmpty() && toResend.isEmpty() && inFlight < settings.maxInFlight(); pump()) {
            int limit = batchLimit();
            List<T> items = new ArrayList<>(Math.min(inbox.size(), limit));
            inbox.drainTo(items, limit);
            send(new Batch<>(nextSeq++, items));
        }
    }

    @Override
    public void close() {
        if (remoteClient != null) {
            remoteClient.shutdown();
        }
    }

    @Override
    boolean isIdle() {
        return inFlight == 0 && toResend.isEmpty();
    }

    @Override
    void sendDue() {
        Batch<T> next = toResend.peek();
        // A batch goes out again alone, so that it can neither overtake nor be overtaken by another one.
        if (next != null && inFlight == 0 && System.nanoTime() - next.sendAt >= 0) {
            send(toResend.poll());
        }
    }

    private void send(Batch<T> batch) {
        inFlight++;
        writer().thenCompose(w -> w.write(batch.items))
                .whenComplete((stored, error) -> onProcessorThread(() -> onWritten(batch, stored, error)));
    }

    private void onWritten(Batch<T> batch, Boolean stored, Throwable error) {
        inFlight--;
        if (error != null) {
            onFailure(batch, unwrap(error));
        } else if (!stored) {
            batch.sendAt = System.nanoTime() + REFUSED_RESEND_NANOS;
            toResend.add(batch);
        }
    }

    private void onFailure(Batch<T> batch, Throwable cause) {
        String failed = sinkName + " failed to write a batch of " + batch.items.size() + " items";
        if (settings.errorPolicy() == ErrorPolicy.THROW) {
            throw new JetException(failed + ": " + cause, cause);
        }
        if (settings.errorPolicy() == ErrorPolicy.NOOP) {
            getLogger().warning(failed + ", writing them to " + settings.deadLettersMap() + ": " + cause);
            writeDeadLetters(batch.items, cause);
            return;
        }
        if (batch.retries == settings.maxRetries()) {
            throw new JetException(failed + ", also after " + batch.retries + " retries: " + cause, cause);
        }
        batch.retries++;
        getLogger().warning(failed + ", retry " + batch.retries + " of " + settings.maxRetries() + " in "
                + settings.retryInterval() + ": " + cause);
        batch.sendAt = System.nanoTime() + settings.retryInterval().toNanos();
        toResend.add(batch);
        if (retriedBatches == null) {
            retriedBatches = Metrics.metric("retriedBatches");
        }
        retriedBatches.increment();
    }

    private void writeDeadLetters(List<T> items, Throwable cause) {
        long now = System.currentTimeMillis();
        String reason = "write failed: " + cause;
        List<DeadLetter> letters = new ArrayList<>(items.size());
        for (T item : items) {
            letters.add(new DeadLetter(sinkName, now, reason, payload(valueFn.apply(item))));
        }
        inFlight++;
        deadLetters.write(letters)
                   .whenCompleteAsync((done, error) -> onProcessorThread(() -> onDeadLettersWritten(items.size(), error)),
                           GridWriters.IN_PLACE);
    }

    private void onDeadLettersWritten(int count, Throwable error) {
        inFlight--;
        if (error != null) {
            Throwable cause = unwrap(error);
            throw new JetException(sinkName + " failed to write " + count + " dead letters to "
                    + settings.deadLettersMap() + ": " + cause, cause);
        }
        deadLetters.count(count);
    }

    private CompletableFuture<BatchWriter<T>> writer() {
        if (writer.isCompletedExceptionally()) {
            // The target did not answer when last asked. Asking again takes round trips, which a cooperative
            // thread must not wait for.
            writer = cooperative ? CompletableFuture.supplyAsync(() -> writerFn.apply(target)) : createWriter();
        }
        return writer;
    }

    private CompletableFuture<BatchWriter<T>> createWriter() {
        try {
            return CompletableFuture.completedFuture(writerFn.apply(target));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private int batchLimit() {
        return writer.isDone() && !writer.isCompletedExceptionally()
                ? Math.min(settings.batchSize(), writer.join().maxBatchSize())
                : settings.batchSize();
    }

    private ClientConfig remoteClientConfig() {
        ClientConfig config = new XmlClientConfigBuilder(
                new ByteArrayInputStream(settings.remoteClientXml().getBytes(UTF_8))).build();
        config.getConnectionStrategyConfig().setAsyncStart(true);
        return config;
    }

    private static byte[] payload(Object value) {
        return value instanceof byte[] bytes ? bytes : String.valueOf(value).getBytes(UTF_8);
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private static final class Batch<T> {
        final long seq;
        final List<T> items;
        int retries;
        long sendAt;

        Batch(long seq, List<T> items) {
            this.seq = seq;
            this.items = items;
        }
    }
}
