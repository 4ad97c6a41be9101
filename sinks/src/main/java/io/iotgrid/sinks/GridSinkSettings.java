package io.iotgrid.sinks;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.ClientConfigXmlGenerator;
import io.iotgrid.core.GridNames;

import java.io.Serializable;
import java.time.Duration;

/**
 * How a {@link GridSinks} sink batches, retries and reports failed writes, and which cluster it writes to.
 * Validated when built: a bad value fails with a message that names its key. Start from {@link #defaults()}
 * and change what differs with the {@code with...} methods, e.g.
 * {@code GridSinkSettings.defaults().withErrorPolicy(ErrorPolicy.RETRY).withRetryInterval(Duration.ofSeconds(5))}.
 *
 * @param errorPolicy     what to do with a batch whose write failed; default {@link ErrorPolicy#THROW}
 * @param maxRetries      how often {@link ErrorPolicy#RETRY} sends a failed batch again before failing the job;
 *                        default {@value #DEFAULT_MAX_RETRIES}, at least 0
 * @param retryInterval   how long {@link ErrorPolicy#RETRY} waits before sending a failed batch again;
 *                        default 1 s, at least 1 ms
 * @param maxInFlight     batches one processor may have sent and not yet had acknowledged; the processor takes
 *                        no more items meanwhile, which back-pressures the job; default
 *                        {@value #DEFAULT_MAX_IN_FLIGHT}, at least 1. Sinks whose structure has only blocking
 *                        calls (IQueue, ISet, IList) write one batch at a time whatever this says
 * @param batchSize       the most items one call writes; default and maximum {@value #MAX_BATCH_SIZE}
 *                        (the most a Ringbuffer accepts in one call), at least 1
 * @param deadLettersMap  IMap of the cluster the job runs in that {@link ErrorPolicy#NOOP} writes failed items
 *                        to; default {@value GridNames#DEAD_LETTERS}
 * @param remoteClientXml client configuration, as Hazelcast client XML, of the cluster to write to;
 *                        {@code null} (the default) for the cluster the job runs in. Set it with
 *                        {@link #withRemoteCluster(ClientConfig)}
 */
public record GridSinkSettings(
        ErrorPolicy errorPolicy,
        int maxRetries,
        Duration retryInterval,
        int maxInFlight,
        int batchSize,
        String deadLettersMap,
        String remoteClientXml
) implements Serializable {

    /** Default {@link #maxRetries()}. */
    public static final int DEFAULT_MAX_RETRIES = 20;
    /** Default {@link #maxInFlight()}. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 4;
    /** Default and largest {@link #batchSize()}: the most items a Ringbuffer accepts in one call. */
    public static final int MAX_BATCH_SIZE = 1000;

    public GridSinkSettings {
        ErrorHandlingChecks.check(errorPolicy, maxRetries, retryInterval, deadLettersMap);
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
        }
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("batchSize must be between 1 and " + MAX_BATCH_SIZE + ", was "
                    + batchSize);
        }
        if (remoteClientXml != null && remoteClientXml.isBlank()) {
            throw new IllegalArgumentException("remoteClientXml must be null or a client configuration, was '"
                    + remoteClientXml + "'");
        }
    }

    /** The defaults listed on the record's components. */
    public static GridSinkSettings defaults() {
        return new GridSinkSettings(ErrorPolicy.THROW, DEFAULT_MAX_RETRIES, Duration.ofSeconds(1),
                DEFAULT_MAX_IN_FLIGHT, MAX_BATCH_SIZE, GridNames.DEAD_LETTERS, null);
    }

    public GridSinkSettings withErrorPolicy(ErrorPolicy value) {
        return new GridSinkSettings(value, maxRetries, retryInterval, maxInFlight, batchSize, deadLettersMap,
                remoteClientXml);
    }

    public GridSinkSettings withMaxRetries(int value) {
        return new GridSinkSettings(errorPolicy, value, retryInterval, maxInFlight, batchSize, deadLettersMap,
                remoteClientXml);
    }

    public GridSinkSettings withRetryInterval(Duration value) {
        return new GridSinkSettings(errorPolicy, maxRetries, value, maxInFlight, batchSize, deadLettersMap,
                remoteClientXml);
    }

    public GridSinkSettings withMaxInFlight(int value) {
        return new GridSinkSettings(errorPolicy, maxRetries, retryInterval, value, batchSize, deadLettersMap,
                remoteClientXml);
    }

    public GridSinkSettings withBatchSize(int value) {
        return new GridSinkSettings(errorPolicy, maxRetries, retryInterval, maxInFlight, value, deadLettersMap,
                remoteClientXml);
    }

    public GridSinkSettings withDeadLettersMap(String value) {
        return new GridSinkSettings(errorPolicy, maxRetries, retryInterval, maxInFlight, batchSize, value,
                remoteClientXml);
    }

    /**
     * A copy that writes to the cluster {@code clientConfig} connects to instead of the one the job runs in;
     * dead letters still go to the job's own cluster. The configuration is kept as XML because
     * {@link ClientConfig} is not serializable; each sink processor starts its own client from it, with
     * {@code async-start} on, so an unreachable cluster fails writes (and meets the error policy) instead of
     * holding up the job's start. The client gives up when its {@code cluster-connect-timeout} passes.
     */
    public GridSinkSettings withRemoteCluster(ClientConfig clientConfig) {
        if (clientConfig == null) {
            throw new IllegalArgumentException("clientConfig must not be null");
        }
        return new GridSinkSettings(errorPolicy, maxRetries, retryInterval, maxInFlight, batchSize,
                deadLettersMap, ClientConfigXmlGenerator.generate(clientConfig));
    }
}
