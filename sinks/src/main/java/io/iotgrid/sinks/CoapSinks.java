package io.iotgrid.sinks;

import com.hazelcast.function.FunctionEx;
import com.hazelcast.jet.core.ProcessorMetaSupplier;
import com.hazelcast.jet.pipeline.Sink;
import com.hazelcast.jet.pipeline.Sinks;
import io.iotgrid.sinks.impl.CoapWriterP;

/**
 * Jet sinks that send each item as JSON to a CoAP resource, over UDP or DTLS, with Eclipse Californium.
 */
public final class CoapSinks {

    private CoapSinks() {
    }

    /**
     * A sink that PUTs each item as JSON, as a CON request, to the {@code coap://} URI {@code uriFn} gives it, e.g.
     * {@code readings.writeTo(CoapSinks.json(r -> "coap://10.0.0.9/sensors/" + r.sensorId()))}:
     * {@link #json(FunctionEx, CoapSinkSettings)} with {@link CoapSinkSettings#defaults()}, under which a failed
     * request fails the job. At least once, local parallelism 1.
     */
    public static <T> Sink<T> json(FunctionEx<? super T, String> uriFn) {
        return json(uriFn, CoapSinkSettings.defaults());
    }

    /**
     * A sink that sends each item as JSON to the {@code coap://} or {@code coaps://} URI {@code uriFn} gives it, e.g.
     * {@code alerts.writeTo(CoapSinks.json(a -> "coaps://10.0.0.9/alerts",
     * CoapSinkSettings.builder().set(CoapSinkSettings.SECURITY, CoapSecurity.psk("gw-1", secret))
     * .set(CoapSinkSettings.METHOD, CoapMethod.POST).set(CoapSinkSettings.ERROR_POLICY, ErrorPolicy.RETRY)
     * .build()))}.
     * <p>
     * The payload is the item written by Jackson (records, maps, collections and POJOs; {@code java.time} values
     * as ISO-8601 text) with content format 50 ({@code application/json}); the request is a
     * {@link CoapSinkSettings#method()} (PUT by default), CON unless {@link CoapSinkSettings#confirmable()} is
     * off. Requests are asynchronous: each processor keeps up to {@link CoapSinkSettings#maxInFlight()} items
     * unfinished (default 8) and takes no more input meanwhile, which back-pressures the job. Requests to one URI
     * go one at a time, in the order the processor received the items, so a later PUT never overtakes an
     * earlier one.
     * <p>
     * {@code coap://} items go over UDP, {@code coaps://} items over DTLS 1.2 (Eclipse Scandium) with the
     * credentials of {@link CoapSinkSettings#security()} (PSK, X.509 or raw public keys; default
     * {@link io.iotgrid.coap.CoapSecurity#none()}); the server is always verified. Both endpoints bind to
     * {@link CoapSinkSettings#bindAddress()}. A DTLS handshake that fails (wrong PSK, untrusted certificate or
     * key, refused by the server) or does not complete within the request timeout fails the request like any
     * other failure, with a reason that names the URI and says it was the handshake
     * ({@code PUT coaps://10.0.0.9/alerts failed in the DTLS handshake: ...}).
     * <p>
     * A request fails when its response is not 2.xx, when none came within
     * {@link CoapSinkSettings#requestTimeout()} (default 10 s), or when the server rejected it (RST) or it could
     * not be sent. A failure meets the {@link CoapSinkSettings#errorPolicy()}: {@link ErrorPolicy#THROW} (the
     * default) fails the job with a message that names the sink, the URI and the response;
     * {@link ErrorPolicy#NOOP} writes a {@link io.iotgrid.core.DeadLetter} (source the URI, reason the method,
     * URI and response code or error, payload the JSON bytes) to {@link CoapSinkSettings#deadLettersMap()} and
     * goes on; {@link ErrorPolicy#RETRY} sends it again every {@link CoapSinkSettings#retryInterval()} up to
     * {@link CoapSinkSettings#maxRetries()} times, while later items to the same URI wait, then writes the dead
     * letter. An item that can never be sent (its URI is null or invalid, or {@code coaps://} while
     * {@link CoapSinkSettings#security()} is {@link io.iotgrid.coap.CoapSecurity#none()}, or Jackson cannot write
     * it) fails the job under THROW and becomes a dead letter right away under NOOP and RETRY (payload the item's
     * {@code String.valueOf} when there is no JSON; source the sink's name when there is no URI). Nothing is dropped unseen. Each
     * processor reports the user metrics {@code retriedRequests} and {@code deadLetters}.
     * <p>
     * <b>Delivery guarantee:</b> at least once. A snapshot, and the end of a batch job, wait until every item
     * taken before has been answered with 2.xx or dead-lettered; what was taken after the last snapshot is sent
     * again after a restore. A request may also reach the server twice when its response was lost and RETRY
     * sends it again: PUT is idempotent, so the resource ends in the same state; a POST may be processed twice.
     * <p>
     * Default local parallelism is 1, which keeps the order of each member's items per URI; one processor
     * keeps many requests in flight, so more rarely helps. With several members, items of different members
     * reach a resource in no particular order.
     *
     * @param uriFn    the {@code coap://} or {@code coaps://} URI to send an item to, e.g.
     *                 {@code coap://10.0.0.9:5683/sensors/s-1}
     * @param settings method, CON or NON, timeout, bound, error policy and DTLS credentials;
     *                 {@link CoapSinkSettings#defaults()} in the short overload
     */
    public static <T> Sink<T> json(FunctionEx<? super T, String> uriFn, CoapSinkSettings settings) {
        if (uriFn == null) {
            throw new IllegalArgumentException("uriFn must not be null");
        }
        if (settings == null) {
            throw new IllegalArgumentException("settings must not be null");
        }
        String sinkName = "coapSink(" + settings.method() + ' ' + (settings.confirmable() ? "CON" : "NON") + ')';
        return Sinks.fromProcessor(sinkName,
                ProcessorMetaSupplier.of(1, () -> new CoapWriterP<>(sinkName, settings, uriFn)));
    }
}
