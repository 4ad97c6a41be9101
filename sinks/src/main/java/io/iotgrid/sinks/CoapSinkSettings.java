package io.iotgrid.sinks;

import io.iotgrid.core.GridNames;

import java.io.Serializable;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * How a {@link CoapSinks} sink sends its requests and what it does with those that fail. Validated when built:
 * a bad value fails with a message that names its key. Start from {@link #defaults()} and change what differs
 * with the {@code with...} methods, e.g.
 * {@code CoapSinkSettings.defaults().withMethod(CoapMethod.POST).withErrorPolicy(ErrorPolicy.RETRY)}.
 *
 * @param method         the request method; default {@link CoapMethod#PUT}
 * @param confirmable    {@code true} (the default) to send CON requests, which Californium retransmits until the
 *                       server acknowledges them; {@code false} for NON requests, sent once
 * @param requestTimeout how long a request may go without a response before it counts as failed (and is
 *                       cancelled), Californium's retransmissions of a CON request included; default 10 s, at
 *                       least 1 ms
 * @param maxInFlight    items one processor holds at a time: sent and unanswered, waiting to be sent again,
 *                       waiting behind an earlier request to the same URI, or being written as dead letters; the
 *                       processor takes no more input meanwhile, which back-pressures the job; default
 *                       {@value #DEFAULT_MAX_IN_FLIGHT}, between 1 and {@value #MAX_IN_FLIGHT}
 * @param errorPolicy    what to do with a request that failed; default {@link ErrorPolicy#THROW}
 * @param maxRetries     how often {@link ErrorPolicy#RETRY} sends a failed request again before writing it as a
 *                       dead letter; default {@value #DEFAULT_MAX_RETRIES}, at least 0
 * @param retryInterval  how long {@link ErrorPolicy#RETRY} waits before sending a failed request again;
 *                       default 1 s, at least 1 ms
 * @param deadLettersMap IMap of the cluster the job runs in that failed items go to under
 *                       {@link ErrorPolicy#NOOP} and {@link ErrorPolicy#RETRY}; default
 *                       {@value GridNames#DEAD_LETTERS}
 * @param bindAddress    local address the sink's Californium endpoint binds to (on an ephemeral port), an IP
 *                       address or a host name resolved when the settings are built; default {@code 0.0.0.0}
 *                       (every interface), e.g. {@code 127.0.0.1} when every resource is on this host
 */
public record CoapSinkSettings(
        CoapMethod method,
        boolean confirmable,
        Duration requestTimeout,
        int maxInFlight,
        ErrorPolicy errorPolicy,
        int maxRetries,
        Duration retryInterval,
        String deadLettersMap,
        String bindAddress
) implements Serializable {

    /** Default {@link #maxInFlight()}. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 8;
    /** Largest {@link #maxInFlight()}: more only grows the work lost to a failure, not the throughput. */
    public static final int MAX_IN_FLIGHT = 1024;
    /** Default {@link #maxRetries()}. */
    public static final int DEFAULT_MAX_RETRIES = 20;
    /** Default {@link #bindAddress()}: the wildcard address. */
    public static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";

    public CoapSinkSettings {
        if (method == null) {
            throw new IllegalArgumentException("method must be PUT or POST, was null");
        }
        if (requestTimeout == null || requestTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("requestTimeout must be at least 1 ms, was " + requestTimeout);
        }
        if (maxInFlight < 1 || maxInFlight > MAX_IN_FLIGHT) {
            throw new IllegalArgumentException("maxInFlight must be between 1 and " + MAX_IN_FLIGHT + ", was "
                    + maxInFlight);
        }
        ErrorHandlingChecks.check(errorPolicy, maxRetries, retryInterval, deadLettersMap);
        checkBindAddress(bindAddress);
    }

    /** The defaults listed on the record's components. */
    public static CoapSinkSettings defaults() {
        return new CoapSinkSettings(CoapMethod.PUT, true, Duration.ofSeconds(10), DEFAULT_MAX_IN_FLIGHT,
                ErrorPolicy.THROW, DEFAULT_MAX_RETRIES, Duration.ofSeconds(1), GridNames.DEAD_LETTERS,
                DEFAULT_BIND_ADDRESS);
    }

    public CoapSinkSettings withMethod(CoapMethod value) {
        return new CoapSinkSettings(value, confirmable, requestTimeout, maxInFlight, errorPolicy, maxRetries,
                retryInterval, deadLettersMap, bindAddress);
    }

    /** A copy that sends CON ({@code true}) or NON ({@code false}) requests. */
    public CoapSinkSettings withConfirmable(boolean value) {
        return new CoapSinkSettings(method, value, requestTimeout, maxInFlight, errorPolicy, maxRetries,
                retryInterval, deadLettersMap, bindAddress);
    }

    public CoapSinkSettings withRequestTimeout(Duration value) {
        return new CoapSinkSettings(method, confirmable, value, maxInFlight, errorPolicy, maxRetries,
                retryInterval, deadLettersMap, bindAddress);
    }

    public CoapSinkSettings withMaxInFlight(int value) {
        return new CoapSinkSettings(method, confirmable, requestTimeout, value, errorPolicy, maxRetries,
                retryInterval, deadLettersMap, bindAddress);
    }

    public CoapSinkSettings withErrorPolicy(ErrorPolicy value) {
        return new CoapSinkSettings(method, confirmable, requestTimeout, maxInFlight, value, maxRetries,
                retryInterval, deadLettersMap, bindAddress);
    }

    public CoapSinkSettings withMaxRetries(int value) {
        return new CoapSinkSettings(method, confirmable, requestTimeout, maxInFlight, errorPolicy, value,
                retryInterval, deadLettersMap, bindAddress);
    }

    public CoapSinkSettings withRetryInterval(Duration value) {
        return new CoapSinkSettings(method, confirmable, requestTimeout, maxInFlight, errorPolicy, maxRetries,
                value, deadLettersMap, bindAddress);
    }

    public CoapSinkSettings withDeadLettersMap(String value) {
        return new CoapSinkSettings(method, confirmable, requestTimeout, maxInFlight, errorPolicy, maxRetries,
                retryInterval, value, bindAddress);
    }

    public CoapSinkSettings withBindAddress(String value) {
        return new CoapSinkSettings(method, confirmable, requestTimeout, maxInFlight, errorPolicy, maxRetries,
                retryInterval, deadLettersMap, value);
    }

    private static void checkBindAddress(String bindAddress) {
        if (bindAddress == null || bindAddress.isBlank()) {
            throw new IllegalArgumentException("bindAddress must be an IP address or host name, was '"
                    + bindAddress + "'");
        }
        try {
            InetAddress.getByName(bindAddress);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bindAddress must be an IP address or host name, was '"
                    + bindAddress + "': unknown host", e);
        }
    }
}
