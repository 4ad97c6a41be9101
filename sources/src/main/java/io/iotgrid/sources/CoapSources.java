package io.iotgrid.sources;

import com.hazelcast.jet.pipeline.SourceBuilder;
import com.hazelcast.jet.pipeline.StreamSource;
import io.iotgrid.core.RawReading;
import io.iotgrid.sources.impl.CoapObserveContext;

import java.util.List;

/**
 * Contains factory methods for Jet sources that read CoAP resources with Eclipse Californium.
 */
public final class CoapSources {

    private CoapSources() {
    }

    /**
     * Returns a source that observes the given {@code coap://} resources with the defaults of
     * {@link CoapObserveSettings#of(String...)}: CON observe requests and a queue of
     * {@value CoapObserveSettings#DEFAULT_QUEUE_CAPACITY} notifications. See {@link #observe(CoapObserveSettings)}
     * for what it emits and its delivery guarantee.
     * <pre>{@code
     * p.readFrom(CoapSources.observe("coap://10.0.0.5/sensors/s-1", "coap://10.0.0.6/sensors/s-2"))
     *  .withIngestionTimestamps()
     *  .writeTo(Sinks.logger());
     * }</pre>
     *
     * @param uris the resources to observe, at least one
     * @throws IllegalArgumentException if a URI is not {@code coap://} or is listed twice
     */
    public static StreamSource<RawReading> observe(String... uris) {
        return observe(CoapObserveSettings.of(uris));
    }

    /**
     * Returns a source that observes CoAP resources (RFC 7641) and emits a {@link RawReading} for every
     * successful (2.xx) response that has a payload: the first answer to the observe request, then each
     * notification. The reading's {@code source} is the resource's URI as given, {@code receivedAt} the wall-clock
     * time of receipt and {@code payload} the bytes unchanged; parse them downstream.
     * <pre>{@code
     * Pipeline p = Pipeline.create();
     * p.readFrom(CoapSources.observe(CoapObserveSettings.of("coap://10.0.0.5/sensors/s-1").withConfirmable(false)))
     *  .withIngestionTimestamps()
     *  .writeTo(Sinks.logger());
     * }</pre>
     * The observe requests go out when the job starts processing, over one CoAP endpoint on an ephemeral UDP port
     * (on 127.0.0.1 when every resource is on it, otherwise on the wildcard address). An error response, a
     * failure (no answer, rejected, unreachable) or an answer without the Observe option ends the notifications
     * of that resource: it is logged at WARNING with the URI, and the source goes on with the other resources.
     * When the job ends, each relation is cancelled with a GET carrying Observe 1 (never a DELETE).
     * <p>
     * Notifications wait in a queue of {@link CoapObserveSettings#queueCapacity()} (default
     * {@value CoapObserveSettings#DEFAULT_QUEUE_CAPACITY}) until the job takes them; when it is full, new ones are
     * dropped, counted and reported in a WARNING at most every 10 seconds.
     * <p>
     * <b>Delivery guarantee: at most once.</b> CoAP observe carries the latest state of a resource, not a log of
     * its changes: a server may skip intermediate values, a notification lost on the network or dropped from the
     * full queue is gone, and nothing is replayed after a job restart; the source saves nothing to snapshots.
     * <p>
     * The source is not distributed: one instance observes every resource, on one member of the cluster
     * (default local parallelism 1).
     *
     * @param settings what to observe and how
     */
    public static StreamSource<RawReading> observe(CoapObserveSettings settings) {
        return SourceBuilder
                .stream(stageName(settings.resources()), ctx -> new CoapObserveContext(ctx, settings))
                .<RawReading>fillBufferFn(CoapObserveContext::fillBuffer)
                .destroyFn(CoapObserveContext::destroy)
                .build();
    }

    /**
     * {@code coapObserve(coap://h/a)}, or {@code coapObserve(coap://h/a and 11 more)}: the name becomes a metric
     * tag, which Hazelcast truncates past 255 characters with a warning.
     */
    static String stageName(List<String> resources) {
        String first = resources.get(0);
        return "coapObserve(" + first + (resources.size() == 1 ? "" : " and " + (resources.size() - 1) + " more") + ')';
    }
}
