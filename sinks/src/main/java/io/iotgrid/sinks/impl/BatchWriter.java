package io.iotgrid.sinks.impl;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Writes batches of sink items to one grid structure; {@link GridWriterP} does everything else (batching,
 * bounding, retries, dead letters). A writer that can only block must run in a non-cooperative processor.
 */
@FunctionalInterface
public interface BatchWriter<T> {

    /** What {@link #write} completes with when the structure took the whole batch. */
    CompletionStage<Boolean> WRITTEN = CompletableFuture.completedFuture(true);

    /**
     * Sends {@code batch}. The stage completes with {@code true} once it is stored, with {@code false} when
     * the structure has no room for now and the same batch should be sent again a little later (this is
     * not a failure), exceptionally when the write failed. May also throw instead of returning a failed stage.
     */
    CompletionStage<Boolean> write(List<T> batch);

    /** The most items one {@link #write} call takes; the processor makes smaller batches when this is lower. */
    default int maxBatchSize() {
        return Integer.MAX_VALUE;
    }
}
