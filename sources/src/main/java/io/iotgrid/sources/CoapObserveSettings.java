package io.iotgrid.sources;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What {@link CoapSources#observe(CoapObserveSettings)} observes and how.
 * <p>
 * {@code CoapObserveSettings.of("coap://10.0.0.5/sensors/s-1").withQueueCapacity(1_000).withConfirmable(false)}
 *
 * @param resources     the {@code coap://} URIs of the resources to observe, at least one, each once
 * @param queueCapacity notifications held between Californium and the job before new ones are dropped (and
 *                      counted, and logged); default {@value #DEFAULT_QUEUE_CAPACITY}
 * @param confirmable   {@code true} (the default) to send the observe requests as CON messages, retransmitted
 *                      until acknowledged; {@code false} for NON. The server chooses the type of its notifications.
 */
public record CoapObserveSettings(List<String> resources, int queueCapacity, boolean confirmable)
        implements Serializable {

    /** Default {@link #queueCapacity()}. */
    public static final int DEFAULT_QUEUE_CAPACITY = 10_000;

    public CoapObserveSettings {
        if (resources == null || resources.isEmpty()) {
            throw new IllegalArgumentException("resources must list at least one coap:// URI, was " + resources);
        }
        Set<String> seen = new HashSet<>();
        for (String resource : resources) {
            checkResource(resource);
            if (!seen.add(resource)) {
                throw new IllegalArgumentException("resources lists '" + resource + "' twice");
            }
        }
        resources = List.copyOf(resources);
        if (queueCapacity <= 0) {
            throw new IllegalArgumentException("queueCapacity must be positive, was " + queueCapacity);
        }
    }

    /** Observes {@code resources} with CON requests and a queue of {@value #DEFAULT_QUEUE_CAPACITY}. */
    public static CoapObserveSettings of(String... resources) {
        return new CoapObserveSettings(Arrays.asList(resources), DEFAULT_QUEUE_CAPACITY, true);
    }

    /** A copy that observes {@code resources}. */
    public CoapObserveSettings withResources(List<String> resources) {
        return new CoapObserveSettings(resources, queueCapacity, confirmable);
    }

    /** A copy whose queue holds {@code queueCapacity} notifications. */
    public CoapObserveSettings withQueueCapacity(int queueCapacity) {
        return new CoapObserveSettings(resources, queueCapacity, confirmable);
    }

    /** A copy that sends CON ({@code true}) or NON ({@code false}) observe requests. */
    public CoapObserveSettings withConfirmable(boolean confirmable) {
        return new CoapObserveSettings(resources, queueCapacity, confirmable);
    }

    private static void checkResource(String resource) {
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
        if ("coaps".equals(scheme)) {
            throw new IllegalArgumentException("resources must be coap:// URIs, was '" + resource
                    + "': this source takes no DTLS credentials, so it cannot open a coaps:// (DTLS) session");
        }
        if (!"coap".equals(scheme)) {
            throw new IllegalArgumentException("resources must be coap:// URIs, was '" + resource + "'");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("resources must name a host, was '" + resource + "'");
        }
        if (uri.getFragment() != null) {
            throw new IllegalArgumentException("resources must not have a fragment, was '" + resource + "'");
        }
    }
}
