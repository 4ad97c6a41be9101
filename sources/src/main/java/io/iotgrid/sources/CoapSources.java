package io.iotgrid.sources;

import com.hazelcast.function.FunctionEx;
import com.hazelcast.jet.pipeline.Sources;
import com.hazelcast.jet.pipeline.StreamSource;
import io.iotgrid.core.DeadLetter;
import io.iotgrid.core.Decoded;
import io.iotgrid.core.PayloadLimit;
import io.iotgrid.core.RawReading;
import io.iotgrid.core.ReadingParser;
import io.iotgrid.sources.impl.StreamCoapP;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Contains factory methods for Jet sources that observe CoAP resources (RFC 7641) with Eclipse Californium, over
 * UDP ({@code coap://}) or DTLS 1.2 ({@code coaps://}, Eclipse Scandium).
 * <p>
 * <b>Delivery guarantee: at most once, latest state.</b> CoAP observe carries the latest state of a resource, not a
 * log of its changes. What is delivered: the answer to each observe request and every notification that reaches
 * the source, in the order Californium accepts them (it drops notifications older than one already received).
 * What can be lost: values a server skips or replaces while an earlier notification is in flight, notifications
 * lost on the network, those dropped because the queue was full, and every change while a relation is being
 * re-established or the job restarts; each resource's current state comes again with the answer to the next
 * observe request. The source counts what it can see of the loss per resource ({@code coapSequenceGaps},
 * {@code coapDropped}). What a snapshot holds: the Observe number and a payload hash of the last notification
 * delivered per resource; after a restore (and after any re-observation) a first answer that repeats it exactly is
 * not delivered again, so a restarted job does not count the same state twice. Nothing else is replayed.
 * <p>
 * <b>Event time</b> is stamped in the source, per resource, when the stage asks for it ({@code withTimestamps},
 * {@code withNativeTimestamps} for the receipt time): each observed resource keeps its own watermark, and the source's
 * is the lowest of them, so a resource whose clock runs far behind another's (a gateway replaying its backlog) does
 * not have its readings counted late. A resource without notifications for the idle timeout (60 s by default, see
 * {@code StreamSource.setPartitionIdleTimeout}) stops holding the watermark back; with a {@code quietCloseAfter}
 * ({@link #observe(CoapObserveSettings, FunctionEx, Duration)}) every resource's event time follows the wall clock
 * at that lag instead ({@link WallClockFloor}).
 */
public final class CoapSources {

    private CoapSources() {
    }

    /**
     * Returns a source that observes the given resources with the defaults of
     * {@link CoapObserveSettings#of(String...)}. See {@link #observe(CoapObserveSettings)}.
     * <pre>{@code
     * p.readFrom(CoapSources.observe("coap://10.0.0.5/sensors/s-1", "coap://10.0.0.6/sensors/s-2"))
     *  .withIngestionTimestamps()
     *  .writeTo(Sinks.logger());
     * }</pre>
     *
     * @param uris the {@code coap://} resources to observe, at least one
     * @throws IllegalArgumentException if a URI is not {@code coap://} or is listed twice
     */
    public static StreamSource<RawReading> observe(String... uris) {
        return observe(CoapObserveSettings.of(uris));
    }

    /**
     * Returns a source that emits a {@link RawReading} for every successful (2.xx) answer of an observed resource:
     * the answer to the observe request, then each notification. The reading's {@code source} is the resource URI,
     * {@code receivedAt} the wall-clock time of receipt, {@code payload} the bytes unchanged and
     * {@code contentFormat} the Content-Format option (-1 when absent); parse them downstream with
     * {@code ReadingParser}, which reads JSON, CBOR and text by content format.
     * <pre>{@code
     * p.readFrom(CoapSources.observe(CoapObserveSettings.builder()
     *                 .set(CoapObserveSettings.URIS, List.of("coaps://10.0.0.5/sensors/s-1"))
     *                 .set(CoapObserveSettings.SECURITY, CoapSecurity.psk("gw-1", secret))
     *                 .set(CoapObserveSettings.CONFIRMABLE, false)
     *                 .build()))
     *  .withoutTimestamps()
     *  .map(new ReadingParser(ReadingFormat.nested())::parse)
     *  .writeTo(Sinks.logger());
     * }</pre>
     * The observe requests go out when the job starts processing, over one client endpoint per scheme on an
     * ephemeral UDP port (on 127.0.0.1 when every resource is on it, otherwise on the wildcard address). When
     * Californium reports an error (no answer, RST, DTLS handshake failure such as a wrong PSK or an untrusted
     * certificate), when an answer has no Observe option (e.g. 4.04 after the server shut down), when the relation is
     * cancelled, when an observe request stays unanswered for {@link CoapObserveSettings#registrationTimeout()}, when
     * no notification comes for longer than {@link CoapObserveSettings#maxSilence()} (or the last Max-Age, when the
     * server sent a longer one) plus {@link CoapObserveSettings#maxAgeMargin()}, or when an answer exceeds
     * {@link CoapObserveSettings#maxPayloadBytes()} and Californium aborts its block-wise transfer,
     * the source logs it at WARNING with the resource URI, counts it and observes the resource again after an
     * exponential backoff ({@link CoapObserveSettings#reobserveInitialBackoff()} doubling up to
     * {@link CoapObserveSettings#reobserveMaxBackoff()}, reset by the next notification). Other resources are not
     * affected. An answer above {@link CoapObserveSettings#maxPayloadBytes()} is not emitted here (it is logged and
     * counted in {@code coapErrors}); {@link #readings} makes it a dead letter, {@link #observeNotifications} emits it
     * with its first bytes ({@link CoapNotification#tooLarge()}). When the job ends, each live relation is cancelled with a GET carrying Observe 1 (RFC 7641
     * deregistration), never with a DELETE.
     * <p>
     * Per-resource Jet metrics, tagged {@code resource=<uri>}: {@code coapNotifications}, {@code coapReobservations},
     * {@code coapErrors}, {@code coapDropped} (queue of {@link CoapObserveSettings#queueCapacity()} full) and
     * {@code coapSequenceGaps} (Observe numbers skipped).
     * <p>
     * Not distributed by default: one processor in the cluster observes every resource. With
     * {@link CoapObserveSettings#distributed()}, {@link CoapObserveSettings#localParallelism()} processors run on
     * every member and each observes a disjoint share of the resources. See the class Javadoc for the delivery
     * guarantee (at most once, latest state).
     *
     * @param settings what to observe and how
     */
    public static StreamSource<RawReading> observe(CoapObserveSettings settings) {
        return observe(settings, FunctionEx.identity(), null);
    }

    /**
     * Like {@link #observe(CoapObserveSettings)}, but emits what {@code projectionFn} makes of each
     * {@link RawReading} (nothing when it returns {@code null}), so that event time can be taken from the parsed
     * reading right where it enters, per resource; {@code quietCloseAfter} keeps event time moving when the resources
     * go quiet. This is how the aggregation job reads CoAP:
     * <pre>{@code
     * ReadingParser parser = new ReadingParser(ReadingFormat.nested());
     * p.readFrom(CoapSources.observe(CoapObserveSettings.of("coap://10.0.0.5/sensors/s-1"), parser::parse,
     *                 Duration.ofSeconds(30)))
     *  .withTimestamps(d -> d instanceof SensorReading r ? r.timestamp() : Long.MIN_VALUE, 5_000)
     *  .writeTo(Sinks.logger());
     * }</pre>
     * An item stamped {@link Long#MIN_VALUE} (a dead letter above) is emitted in event time but neither moves the
     * watermark nor counts as late, as long as no window takes it.
     *
     * @param settings        what to observe and how
     * @param projectionFn    what to emit for each answer, or {@code null} to skip it; it runs on Jet's cooperative
     *                        thread, so it must not block
     * @param quietCloseAfter while a resource has nothing newer, its event time follows the wall clock at this lag
     *                        ({@link WallClockFloor}); {@code null} for pure event time
     */
    public static <T> StreamSource<T> observe(CoapObserveSettings settings,
                                              FunctionEx<? super RawReading, ? extends T> projectionFn,
                                              Duration quietCloseAfter) {
        FunctionEx<CoapNotification, T> mapFn = n -> n.tooLarge() ? null : projectionFn.apply(n.toRawReading());
        return Sources.streamFromProcessorWithWatermarks(stageName(settings), true,
                policy -> StreamCoapP.metaSupplier(settings, mapFn, WallClockFloor.apply(policy, quietCloseAfter)));
    }

    /**
     * Returns a source of readings parsed in the source, as the aggregation job reads CoAP: each answer read by
     * {@code parser} (by its content format), or a {@link DeadLetter} that says why not (source: the resource URI). A
     * notification above {@link CoapObserveSettings#maxPayloadBytes()} is not parsed: its dead letter holds its first
     * bytes (at most {@value PayloadLimit#KEPT_BYTES}) and its size in the reason, and it counts in
     * {@code coapErrors}. Otherwise as {@link #observe(CoapObserveSettings, FunctionEx, Duration)}, whose event time,
     * delivery guarantee (at most once, latest state) and parallelism apply.
     * <pre>{@code
     * p.readFrom(CoapSources.readings(CoapObserveSettings.of("coap://10.0.0.5/sensors/s-1"),
     *                 new ReadingParser(ReadingFormat.nested()), Duration.ofSeconds(30)))
     *  .withTimestamps(d -> d instanceof SensorReading r ? r.timestamp() : Long.MIN_VALUE, 5_000)
     *  .writeTo(Sinks.logger());
     * }</pre>
     *
     * @param quietCloseAfter see {@link #observe(CoapObserveSettings, FunctionEx, Duration)}
     */
    public static StreamSource<Decoded> readings(CoapObserveSettings settings, ReadingParser parser,
                                                 Duration quietCloseAfter) {
        int maxBytes = settings.maxPayloadBytes();
        FunctionEx<CoapNotification, Decoded> mapFn = n -> n.tooLarge()
                ? new DeadLetter(n.resource(), n.receivedAt(), PayloadLimit.reason(n.size(), maxBytes), n.payload())
                : parser.parse(n.toRawReading());
        return Sources.streamFromProcessorWithWatermarks(stageName(settings), true,
                policy -> StreamCoapP.metaSupplier(settings, mapFn, WallClockFloor.apply(policy, quietCloseAfter)));
    }

    /**
     * Like {@link #observe(CoapObserveSettings)}, but emits each answer as a {@link CoapNotification} with its CoAP
     * metadata (message id, type, code, token, Observe number, content format, Max-Age, source address, URI path and
     * query) and an epoch receipt time; one above {@link CoapObserveSettings#maxPayloadBytes()} too, with only its
     * first bytes and its size ({@link CoapNotification#tooLarge()}).
     */
    public static StreamSource<CoapNotification> observeNotifications(CoapObserveSettings settings) {
        return Sources.streamFromProcessorWithWatermarks(stageName(settings), true,
                policy -> StreamCoapP.metaSupplier(settings, FunctionEx.identity(), policy));
    }

    /**
     * {@code coapObserve(coap://h/a)}, or {@code coapObserve(coap://h/a and 11 more)}: the name becomes a metric
     * tag, which Hazelcast truncates past 255 characters with a warning.
     */
    static String stageName(CoapObserveSettings settings) {
        List<String> all = new ArrayList<>(settings.resources());
        settings.discoveries().forEach(d -> all.add(d.server() + "/.well-known/core " + d.pathGlob()));
        String first = all.get(0);
        return "coapObserve(" + first + (all.size() == 1 ? "" : " and " + (all.size() - 1) + " more") + ')';
    }
}
