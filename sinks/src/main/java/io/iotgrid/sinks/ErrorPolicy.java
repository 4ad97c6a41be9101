package io.iotgrid.sinks;

/**
 * What a {@link GridSinks} sink does when writing a batch fails, for example because a bounded IQueue is full,
 * a remote cluster is unreachable or a value cannot be serialized.
 */
public enum ErrorPolicy {

    /** Fail the job with an exception that names the sink and the cause. */
    THROW,

    /**
     * Keep the job running and write every item of the failed batch as a {@link io.iotgrid.core.DeadLetter} to
     * {@link GridSinkSettings#deadLettersMap()} of the cluster the job runs in, so nothing is dropped unseen.
     */
    NOOP,

    /**
     * Send the same batch again after {@link GridSinkSettings#retryInterval()}, at most
     * {@link GridSinkSettings#maxRetries()} times, holding later batches back meanwhile; then fail the job
     * like {@link #THROW}.
     */
    RETRY
}
