package io.iotgrid.sources;

import io.iotgrid.coap.CoapSecurity;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link CoapSources#observe(CoapObserveSettings)} observes and how. Immutable; every value is checked when
 * the settings are built, and a bad one fails with a message that names its key.
 * <pre>{@code
 * CoapObserveSettings.of(CoapSecurity.psk("gw-1", secret), "coap://10.0.0.5/sensors/s-1", "coaps://10.0.0.6/sensors/s-2")
 *         .withDiscoveries(List.of(CoapDiscovery.of("coap://10.0.0.7", "/sensors/*")))
 *         .withReobserveBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30))
 *         .withDistributed(true)
 * }</pre>
 *
 * @param resources               {@code coap://} or {@code coaps://} URIs to observe, each once; may be empty when
 *                                {@code discoveries} is not
 * @param discoveries             servers whose {@code /.well-known/core} lists more resources to observe; default none
 * @param security                DTLS credentials for every {@code coaps://} resource and discovery; default
 *                                {@link CoapSecurity#none()}, which refuses {@code coaps://}
 * @param queueCapacity           notifications held between Californium and the job before new ones are dropped
 *                                (counted in {@code coapDropped}); default {@value #DEFAULT_QUEUE_CAPACITY} per processor
 * @param confirmable             {@code true} (default) to send observe requests as CON, retransmitted until
 *                                acknowledged; {@code false} for NON. The server chooses its notifications' type.
 * @param reobserveInitialBackoff delay before the first re-observation after an error, a final answer, a cancelled
 *                                relation or a silent resource; doubles with every consecutive failure; default 1 s
 * @param reobserveMaxBackoff     the most the delay grows to; re-observation never stops; default 60 s
 * @param maxAgeMargin            a relation without a notification for longer than the last Max-Age plus this is
 *                                considered lost and re-observed; default 5 s (Californium's own re-registration
 *                                starts 2 s after Max-Age)
 * @param registrationTimeout     an observe request without an answer for this long is given up and retried;
 *                                default 30 s
 * @param ackTimeout              CoAP ACK_TIMEOUT of CON messages (RFC 7252 §4.8), also the initial retransmission
 *                                timeout of DTLS handshake flights; default 2 s
 * @param maxRetransmit           CoAP MAX_RETRANSMIT of CON messages, also the retransmissions of a DTLS handshake
 *                                flight before the handshake fails; default 4
 * @param distributed             {@code false} (default): one processor in the cluster observes everything;
 *                                {@code true}: {@code localParallelism} processors on every member, each observing a
 *                                disjoint share of the resources (by a hash of the URI)
 * @param localParallelism        processors per member when {@code distributed}; default 1
 */
public record CoapObserveSettings(
        List<String> resources,
        List<CoapDiscovery> discoveries,
        CoapSecurity security,
        int queueCapacity,
        boolean confirmable,
        Duration reobserveInitialBackoff,
        Duration reobserveMaxBackoff,
        Duration maxAgeMargin,
        Duration registrationTimeout,
        Duration ackTimeout,
        int maxRetransmit,
        boolean distributed,
        int localParallelism
) implements Serializable {

    /** Default {@link #queueCapacity()}. */
    public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
    /** Default {@link #reobserveInitialBackoff()}. */
    public static final Duration DEFAULT_REOBSERVE_INITIAL_BACKOFF = Duration.ofSeconds(1);
    /** Default {@link #reobserveMaxBackoff()}. */
    public static final Duration DEFAULT_REOBSERVE_MAX_BACKOFF = Duration.ofSeconds(60);
    /** Default {@link #maxAgeMargin()}. */
    public static final Duration DEFAULT_MAX_AGE_MARGIN = Duration.ofSeconds(5);
    /** Default {@link #registrationTimeout()}. */
    public static final Duration DEFAULT_REGISTRATION_TIMEOUT = Duration.ofSeconds(30);
    /** Default {@link #ackTimeout()}, Californium's and RFC 7252's. */
    public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(2);
    /** Default {@link #maxRetransmit()}, Californium's and RFC 7252's. */
    public static final int DEFAULT_MAX_RETRANSMIT = 4;

    public CoapObserveSettings {
        resources = resources == null ? null : new ArrayList<>(resources);
        discoveries = discoveries == null ? List.of() : new ArrayList<>(discoveries);
        if (resources == null || (resources.isEmpty() && discoveries.isEmpty())) {
            throw new IllegalArgumentException("resources must list at least one coap:// or coaps:// URI (or "
                    + "discoveries a server), was " + resources);
        }
        Objects.requireNonNull(security, "security");
        Set<String> seen = new HashSet<>();
        for (String resource : resources) {
            checkResource(resource, security);
            if (!seen.add(resource)) {
                throw new IllegalArgumentException("resources lists '" + resource + "' twice");
            }
        }
        for (CoapDiscovery discovery : discoveries) {
            if (discovery == null) {
                throw new IllegalArgumentException("discoveries must not contain null");
            }
            if (discovery.server().toLowerCase(Locale.ROOT).startsWith("coaps:") && !security.secure()) {
                throw new IllegalArgumentException("discoveries has coaps:// server '" + discovery.server()
                        + "' but security is NONE: set DTLS credentials with withSecurity(...)");
            }
        }
        resources = List.copyOf(resources);
        discoveries = List.copyOf(discoveries);
        if (queueCapacity <= 0) {
            throw new IllegalArgumentException("queueCapacity must be positive, was " + queueCapacity);
        }
        positive("reobserveInitialBackoff", reobserveInitialBackoff);
        positive("reobserveMaxBackoff", reobserveMaxBackoff);
        if (reobserveMaxBackoff.compareTo(reobserveInitialBackoff) < 0) {
            throw new IllegalArgumentException("reobserveMaxBackoff must be at least reobserveInitialBackoff ("
                    + reobserveInitialBackoff + "), was " + reobserveMaxBackoff);
        }
        positive("maxAgeMargin", maxAgeMargin);
        positive("registrationTimeout", registrationTimeout);
        positive("ackTimeout", ackTimeout);
        if (maxRetransmit < 0 || maxRetransmit > 20) {
            throw new IllegalArgumentException("maxRetransmit must be 0 to 20, was " + maxRetransmit);
        }
        if (localParallelism < 1) {
            throw new IllegalArgumentException("localParallelism must be at least 1, was " + localParallelism);
        }
        if (!distributed && localParallelism != 1) {
            throw new IllegalArgumentException("localParallelism must be 1 unless distributed, was "
                    + localParallelism);
        }
    }

    /** Observes {@code resources} with every default. */
    public static CoapObserveSettings of(String... resources) {
        return defaults(CoapSecurity.none(), Arrays.asList(resources), List.of());
    }

    /** Observes {@code resources}, {@code coaps://} ones with {@code security}, with every other default. */
    public static CoapObserveSettings of(CoapSecurity security, String... resources) {
        return defaults(security, Arrays.asList(resources), List.of());
    }

    /** Observes what {@code discoveries} find, with every default. */
    public static CoapObserveSettings discover(CoapDiscovery... discoveries) {
        return defaults(CoapSecurity.none(), List.of(), Arrays.asList(discoveries));
    }

    /** Observes what {@code discoveries} find, {@code coaps://} servers with {@code security}. */
    public static CoapObserveSettings discover(CoapSecurity security, CoapDiscovery... discoveries) {
        return defaults(security, List.of(), Arrays.asList(discoveries));
    }

    private static CoapObserveSettings defaults(CoapSecurity security, List<String> resources,
                                                List<CoapDiscovery> discoveries) {
        return new CoapObserveSettings(resources, discoveries, security,
                DEFAULT_QUEUE_CAPACITY, true, DEFAULT_REOBSERVE_INITIAL_BACKOFF, DEFAULT_REOBSERVE_MAX_BACKOFF,
                DEFAULT_MAX_AGE_MARGIN, DEFAULT_REGISTRATION_TIMEOUT, DEFAULT_ACK_TIMEOUT, DEFAULT_MAX_RETRANSMIT,
                false, 1);
    }

    /** A copy that observes {@code resources}. */
    public CoapObserveSettings withResources(List<String> resources) {
        return new CoapObserveSettings(resources, discoveries, security, queueCapacity, confirmable,
                reobserveInitialBackoff, reobserveMaxBackoff, maxAgeMargin, registrationTimeout, ackTimeout,
                maxRetransmit, distributed, localParallelism);
    }

    /** A copy that also observes what {@code discoveries} find. */
    public CoapObserveSettings withDiscoveries(List<CoapDiscovery> discoveries) {
        return new CoapObserveSettings(resources, discoveries, security, queueCapacity, confirmable,
                reobserveInitialBackoff, reobserveMaxBackoff, maxAgeMargin, registrationTimeout, ackTimeout,
                maxRetransmit, distributed, localParallelism);
    }

    /** A copy with DTLS credentials for the {@code coaps://} resources. */
    public CoapObserveSettings withSecurity(CoapSecurity security) {
        return new CoapObserveSettings(resources, discoveries, security, queueCapacity, confirmable,
                reobserveInitialBackoff, reobserveMaxBackoff, maxAgeMargin, registrationTimeout, ackTimeout,
                maxRetransmit, distributed, localParallelism);
    }

    /** A copy whose queue holds {@code queueCapacity} notifications. */
    public CoapObserveSettings withQueueCapacity(int queueCapacity) {
        return new CoapObserveSettings(resources, discoveries, security, queueCapacity, confirmable,
                reobserveInitialBackoff, reobserveMaxBackoff, maxAgeMargin, registrationTimeout, ackTimeout,
                maxRetransmit, distributed, localParallelism);
    }

    /** A copy that sends CON ({@code true}) or NON ({@code false}) observe requests. */
    public CoapObserveSettings withConfirmable(boolean confirmable) {
        return new CoapObserveSettings(resources, discoveries, security, queueCapacity, confirmable,
                reobserveInitialBackoff, reobserveMaxBackoff, maxAgeMargin, registrationTimeout, ackTimeout,
                maxRetransmit, distributed, localParallelism);
    }

    /** A copy whose re-observations wait {@code initial}, doubling per consecutive failure up to {@code max}. */
    public CoapObserveSettings withReobserveBackoff(Duration initial, Duration max) {
        return new CoapObserveSettings(resources, discoveries, security, queueCapacity, confirmable, initial, max,
                maxAgeMargin, registrationTimeout, ackTimeout, maxRetransmit, distributed, localParallelism);
    }

    /** A copy that considers a relation lost after Max-Age plus {@code maxAgeMargin} without a notification. */
    public CoapObserveSettings withMaxAgeMargin(Duration maxAgeMargin) {
        return new CoapObserveSettings(resources, discoveries, security, queueCapacity, confirmable,
                reobserveInitialBackoff, reobserveMaxBackoff, maxAgeMargin, registrationTimeout, ackTimeout,
                maxRetransmit, distributed, localParallelism);
    }

    /** A copy that gives up an unanswered observe request after {@code registrationTimeout}. */
    public CoapObserveSettings withRegistrationTimeout(Duration registrationTimeout) {
        return new CoapObserveSettings(resources, discoveries, security, queueCapacity, confirmable,
                reobserveInitialBackoff, reobserveMaxBackoff, maxAgeMargin, registrationTimeout, ackTimeout,
                maxRetransmit, distributed, localParallelism);
    }

    /** A copy with CoAP transmission parameters ACK_TIMEOUT and MAX_RETRANSMIT for CON messages. */
    public CoapObserveSettings withRetransmission(Duration ackTimeout, int maxRetransmit) {
        return new CoapObserveSettings(resources, discoveries, security, queueCapacity, confirmable,
                reobserveInitialBackoff, reobserveMaxBackoff, maxAgeMargin, registrationTimeout, ackTimeout,
                maxRetransmit, distributed, localParallelism);
    }

    /** A copy that spreads the resources over one processor per member ({@code true}) or observes from one. */
    public CoapObserveSettings withDistributed(boolean distributed) {
        return new CoapObserveSettings(resources, discoveries, security, queueCapacity, confirmable,
                reobserveInitialBackoff, reobserveMaxBackoff, maxAgeMargin, registrationTimeout, ackTimeout,
                maxRetransmit, distributed, distributed ? localParallelism : 1);
    }

    /** A copy that spreads the resources over {@code localParallelism} processors on every member. */
    public CoapObserveSettings withLocalParallelism(int localParallelism) {
        return new CoapObserveSettings(resources, discoveries, security, queueCapacity, confirmable,
                reobserveInitialBackoff, reobserveMaxBackoff, maxAgeMargin, registrationTimeout, ackTimeout,
                maxRetransmit, true, localParallelism);
    }

    private static void positive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " must be positive, was " + value);
        }
    }

    private static void checkResource(String resource, CoapSecurity security) {
        if (resource == null) {
            throw new IllegalArgumentException("resources must not contain null");
        }
        URI uri;
        try {
            uri = new URI(resource);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("resources has an invalid URI '" + resource + "': " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if ("coaps".equals(scheme) && !security.secure()) {
            throw new IllegalArgumentException("resources has coaps:// URI '" + resource + "' but security is NONE: "
                    + "set DTLS credentials with withSecurity(CoapSecurity.psk(...)) or another CoapSecurity factory");
        }
        if (!"coap".equals(scheme) && !"coaps".equals(scheme)) {
            throw new IllegalArgumentException("resources must be coap:// or coaps:// URIs, was '" + resource + "'");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("resources must name a host, was '" + resource + "'");
        }
        if (uri.getFragment() != null) {
            throw new IllegalArgumentException("resources must not have a fragment, was '" + resource + "'");
        }
    }
}
