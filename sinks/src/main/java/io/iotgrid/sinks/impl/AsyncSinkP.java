package io.iotgrid.sinks.impl;

import com.hazelcast.jet.core.AbstractProcessor;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the sink processors here share: their writes complete on other threads, but what a completion does runs on
 * the processor's thread, so that the processor's state has one owner; and a snapshot and the end of the job wait
 * until no write is unfinished, which makes the sinks at-least-once.
 */
abstract class AsyncSinkP extends AbstractProcessor {

    private final Queue<Runnable> completions = new ConcurrentLinkedQueue<>();

    /** Runs {@code completion} on the processor's thread at its next processing call; callable from any thread. */
    final void onProcessorThread(Runnable completion) {
        completions.add(completion);
    }

    /** Runs what the completions reported so far, then {@link #sendDue()}. */
    final void pump() {
        for (Runnable completion; (completion = completions.poll()) != null; ) {
            completion.run();
        }
        sendDue();
    }

    /** Sends what waited for its time to come, e.g. a retry. */
    abstract void sendDue();

    /** Whether nothing is in flight or waiting to be sent again. */
    abstract boolean isIdle();

    @Override
    public boolean tryProcess() {
        pump();
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
        pump();
        return isIdle();
    }
}
