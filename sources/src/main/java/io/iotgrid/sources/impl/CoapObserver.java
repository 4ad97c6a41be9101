package io.iotgrid.sources.impl;

import com.hazelcast.logging.ILogger;
import io.iotgrid.coap.CoapEndpoints;
import io.iotgrid.core.PayloadLimit;
import io.iotgrid.core.RawReading;
import io.iotgrid.sources.CoapDiscovery;
import io.iotgrid.sources.CoapNotification;
import io.iotgrid.sources.CoapObserveSettings;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapObserveRelation;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.WebLink;
import org.eclipse.californium.core.coap.BlockOption;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.LinkFormat;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.MessageObserverAdapter;
import org.eclipse.californium.core.coap.OptionSet;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.coap.Token;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.interceptors.MessageInterceptorAdapter;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.config.DtlsConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The Californium side of one source processor: a client endpoint per scheme, one observation per resource this
 * processor owns, discovery, re-observation with backoff and a watchdog, feeding a bounded queue. Every callback
 * runs on one scheduler thread and never blocks; the processor drains the queue.
 * <p>
 * Payload limit: each observe request lets Californium assemble block-wise answers up to
 * {@link CoapObserveSettings#maxPayloadBytes()}. A larger one is queued as a {@link CoapNotification#tooLarge()}
 * notification holding its first bytes: a single datagram is cut here; a block-wise transfer Californium aborts
 * (reported to the relation as a response-handling error, after which the relation is cancelled) is rebuilt from its
 * first block, which an interceptor on the endpoint keeps per token until the transfer ends. Either way it is a
 * counted error and a warning, and an aborted relation is observed again.
 */
public final class CoapObserver {

    /** How often the watchdog looks for silent relations and unanswered registrations. */
    private static final long WATCHDOG_PERIOD_MILLIS = 500;
    /** How long {@link #close} waits for the servers to confirm the cancellations. */
    private static final long CANCEL_WAIT_MILLIS = 2_000;
    private static final String WELL_KNOWN_CORE = "/.well-known/core";
    /** Max-Age of a response without the option, in seconds (RFC 7252 §5.10.5). */
    private static final long DEFAULT_MAX_AGE = 60;

    private final CoapObserveSettings settings;
    private final ILogger logger;
    private final Predicate<String> owns;
    private final BlockingQueue<CoapNotification> queue;
    private final String threadName;
    private final Map<String, ObserveMark> restoredMarks;
    private final Map<String, Observation> observations = new ConcurrentHashMap<>();
    private final Map<String, ResourceCounters> counters = new ConcurrentHashMap<>();
    private final Map<String, CoapEndpoint> endpoints = new HashMap<>();
    private final List<CoapClient> discoveryClients = new ArrayList<>();
    /** The first block of each block-wise answer under way, by token, for a dead letter if the rest is too large. */
    private final Map<Token, Response> firstBlocks = new ConcurrentHashMap<>();
    private ScheduledThreadPoolExecutor scheduler;
    private volatile boolean closing;
    private volatile CountDownLatch cancellations = new CountDownLatch(0);

    /**
     * @param owns          whether this processor observes a resource URI (its share of the resources)
     * @param restoredMarks the last delivered notification per resource, from a snapshot
     */
    public CoapObserver(CoapObserveSettings settings, ILogger logger, Predicate<String> owns,
                        BlockingQueue<CoapNotification> queue, String threadName,
                        Map<String, ObserveMark> restoredMarks) {
        this.settings = settings;
        this.logger = logger;
        this.owns = owns;
        this.queue = queue;
        this.threadName = threadName;
        this.restoredMarks = new HashMap<>(restoredMarks);
    }

    /** Binds the endpoints and sends the observe requests and discovery GETs (from the scheduler thread). */
    public void start() {
        scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        List<URI> peers = new ArrayList<>();
        settings.resources().forEach(r -> peers.add(URI.create(r)));
        settings.discoveries().forEach(d -> peers.add(URI.create(d.server())));
        InetSocketAddress bind = CoapEndpoints.bindAddress(peers);
        Configuration config = CoapEndpoints.configuration();
        config.set(CoapConfig.ACK_TIMEOUT, settings.ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
        config.set(CoapConfig.MAX_RETRANSMIT, settings.maxRetransmit());
        // The same parameters for DTLS handshake flights: a server that silently drops a handshake with a wrong
        // PSK is then noticed as fast as one that does not answer CoAP.
        config.set(DtlsConfig.DTLS_RETRANSMISSION_TIMEOUT, settings.ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
        config.set(DtlsConfig.DTLS_MAX_RETRANSMISSIONS, settings.maxRetransmit());
        for (URI peer : peers) {
            String scheme = peer.getScheme().toLowerCase(Locale.ROOT);
            if (!endpoints.containsKey(scheme)) {
                CoapEndpoint endpoint = CoapEndpoints.client(scheme, settings.security(), config, bind);
                endpoint.addInterceptor(new FirstBlocks());
                try {
                    endpoint.start();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot bind a " + scheme + " endpoint to " + bind, e);
                }
                endpoints.put(scheme, endpoint);
            }
        }
        for (String uri : settings.resources()) {
            if (owns.test(uri)) {
                add(uri);
            }
        }
        List<Observation> initial = List.copyOf(observations.values());
        scheduler.execute(() -> initial.forEach(this::observe));
        for (CoapDiscovery discovery : settings.discoveries()) {
            scheduler.execute(() -> discover(discovery, 0));
        }
        scheduler.scheduleWithFixedDelay(this::watchdog, WATCHDOG_PERIOD_MILLIS, WATCHDOG_PERIOD_MILLIS,
                TimeUnit.MILLISECONDS);
        logger.info("Observing " + observations.size() + " resources" + (settings.discoveries().isEmpty() ? ""
                : " and discovering from " + settings.discoveries().size() + " servers") + " via "
                + endpoints.values().stream().map(e -> e.getUri().toString()).toList());
    }

    /** The counters of every resource (and discovery) this processor handles, by URI. */
    public Map<String, ResourceCounters> counters() {
        return counters;
    }

    /** The last delivered notification of every resource this processor observes that delivered one. */
    public Map<String, ObserveMark> marks() {
        Map<String, ObserveMark> marks = new HashMap<>();
        for (Observation o : observations.values()) {
            synchronized (o) {
                if (o.mark != null) {
                    marks.put(o.uri, o.mark);
                }
            }
        }
        return marks;
    }

    /**
     * Deregisters every relation the servers may still hold with a GET carrying Observe 1 (RFC 7641 §3.6, never a
     * DELETE), waits a bounded time for the answers, then releases the clients and endpoints.
     */
    public void close() {
        if (scheduler == null || closing) {
            return;
        }
        closing = true;
        List<Observation> live = new ArrayList<>();
        for (Observation o : observations.values()) {
            synchronized (o) {
                if (o.relation != null && o.established && o.live) {
                    live.add(o);
                }
            }
        }
        cancellations = new CountDownLatch(live.size());
        try {
            for (Observation o : observations.values()) {
                synchronized (o) {
                    if (o.relation == null) {
                        continue;
                    }
                    if (live.contains(o)) {
                        o.relation.proactiveCancel();
                    } else {
                        // The server holds no relation: only stop Californium's own re-registration.
                        o.relation.reactiveCancel();
                    }
                }
            }
            if (!cancellations.await(CANCEL_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                logger.warning("Not every server confirmed the observe cancellation within " + CANCEL_WAIT_MILLIS
                        + " ms; those drop the relation when a notification goes unacknowledged");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            observations.values().forEach(o -> o.client.shutdown());
            synchronized (discoveryClients) {
                discoveryClients.forEach(CoapClient::shutdown);
            }
            endpoints.values().forEach(CoapEndpoint::destroy);
            scheduler.shutdownNow();
        }
        long dropped = counters.values().stream().mapToLong(ResourceCounters::dropped).sum();
        if (dropped > 0) {
            logger.warning("Dropped " + dropped + " notifications in total because the queue of "
                    + settings.queueCapacity() + " was full");
        }
    }

    private Observation add(String uri) {
        return observations.computeIfAbsent(uri, u -> {
            URI parsed = URI.create(u);
            CoapEndpoint endpoint = endpoints.get(parsed.getScheme().toLowerCase(Locale.ROOT));
            CoapClient client = new CoapClient(u).setEndpoint(endpoint).setExecutors(scheduler, scheduler, true);
            if (settings.confirmable()) {
                client.useCONs();
            } else {
                client.useNONs();
            }
            ResourceCounters c = counters.computeIfAbsent(u, k -> new ResourceCounters());
            Observation o = new Observation(u, parsed, client, c);
            o.mark = restoredMarks.get(u);
            return o;
        });
    }

    private void observe(Observation o) {
        synchronized (o) {
            if (closing) {
                return;
            }
            long generation = ++o.generation;
            Request request = Request.newGet();
            request.setURI(o.uri);
            request.setConfirmable(settings.confirmable());
            request.setObserve();
            // Per request, not on the endpoint: a discovery listing is not a payload and keeps Californium's limit.
            request.setMaxResourceBodySize(settings.maxPayloadBytes());
            // Size2 0 asks the server for the full size with the first block (RFC 7959 §4), for the dead letter.
            request.getOptions().setSize2(0);
            FailureReason reason = new FailureReason();
            request.addMessageObserver(reason);
            o.established = false;
            o.live = true;
            o.lastObserve = -1;
            o.firstOfRelation = true;
            o.registeredAtNanos = System.nanoTime();
            o.request = request;
            o.relation = o.client.observe(request, new Handler(o, generation, reason));
        }
    }

    private void watchdog() {
        long now = System.nanoTime();
        long registrationTimeout = settings.registrationTimeout().toNanos();
        long margin = settings.maxAgeMargin().toNanos();
        long maxSilence = settings.maxSilence().toNanos();
        Set<Token> current = new HashSet<>();
        for (Observation o : observations.values()) {
            synchronized (o) {
                if (o.request != null && o.request.getToken() != null) {
                    current.add(o.request.getToken());
                }
                if (closing || o.retryScheduled || o.relation == null) {
                    continue;
                }
                if (!o.established) {
                    if (now - o.registeredAtNanos > registrationTimeout) {
                        fail(o, "no answer to the observe request within " + settings.registrationTimeout()
                                .toMillis() + " ms");
                    }
                } else if (o.relation.isCanceled()) {
                    reobserve(o, "Californium cancelled the relation", false);
                } else if (now - o.lastNotificationNanos > silenceBound(o, maxSilence) + margin) {
                    fail(o, "no notification for longer than " + silenceText(o, maxSilence) + " plus "
                            + settings.maxAgeMargin().toMillis() + " ms: the relation is lost, observing it again "
                            + "with a new token");
                }
            }
        }
        // First blocks of relations given up since (a server may go on notifying an old token until it is reset).
        firstBlocks.keySet().retainAll(current);
    }

    /**
     * How long {@code o} may stay silent before the margin: its last Max-Age when the server sent one longer than
     * {@code maxSilence}, else {@code maxSilence}. Not CoAP's default Max-Age of 60 s when it sent none: a server
     * restarted without it would otherwise be observed again only after a minute.
     */
    private static long silenceBound(Observation o, long maxSilence) {
        return o.maxAgeSent ? Math.max(TimeUnit.SECONDS.toNanos(o.maxAge), maxSilence) : maxSilence;
    }

    private String silenceText(Observation o, long maxSilence) {
        return o.maxAgeSent && TimeUnit.SECONDS.toNanos(o.maxAge) > maxSilence ? "Max-Age " + o.maxAge + " s"
                : settings.maxSilence().toMillis() + " ms (" + CoapObserveSettings.MAX_SILENCE.key() + ")";
    }

    /** An error for {@code o}: counted, logged (at WARNING when it starts a streak or changes), re-observed. */
    private void fail(Observation o, String reason) {
        o.counters.errors.incrementAndGet();
        reobserve(o, reason, true);
    }

    /** Called holding {@code o}'s lock: abandons the current relation and observes again after the backoff. */
    private void reobserve(Observation o, String reason, boolean error) {
        if (closing || o.retryScheduled) {
            return;
        }
        o.retryScheduled = true;
        o.generation++;
        CoapObserveRelation abandoned = o.relation;
        o.relation = null;
        if (o.request != null && o.request.getToken() != null) {
            firstBlocks.remove(o.request.getToken());
        }
        if (abandoned != null) {
            abandoned.reactiveCancel();
        }
        long delay = backoffMillis(o.failures++);
        String message = "Observe of " + o.uri + ": " + reason + "; re-observing in " + delay + " ms";
        if (error && !reason.equals(o.lastReason)) {
            logger.warning(message);
        } else {
            logger.fine(message);
        }
        o.lastReason = error ? reason : null;
        scheduler.schedule(() -> {
            synchronized (o) {
                o.retryScheduled = false;
            }
            o.counters.reobservations.incrementAndGet();
            observe(o);
        }, delay, TimeUnit.MILLISECONDS);
    }

    long backoffMillis(int failures) {
        long initial = settings.reobserveInitialBackoff().toMillis();
        long max = settings.reobserveMaxBackoff().toMillis();
        int shift = Math.min(failures, 30);
        long delay = initial << shift;
        return delay <= 0 || delay > max ? max : delay;
    }

    private void onResponse(Observation o, long generation, CoapResponse coapResponse) {
        Response response = coapResponse.advanced();
        OptionSet options = response.getOptions();
        boolean observing = options.hasObserve();
        if (closing) {
            synchronized (o) {
                if (generation == o.generation && !observing && !o.cancelConfirmed) {
                    o.cancelConfirmed = true;
                    cancellations.countDown();
                }
            }
            return;
        }
        synchronized (o) {
            if (generation != o.generation) {
                return; // an answer on a relation already given up
            }
            if (!response.isSuccess()) {
                o.live = false;
                String text = response.getPayloadString();
                fail(o, "answered " + code(response.getCode()) + (text.isEmpty() ? "" : " '" + text + "'"));
                return;
            }
            firstBlocks.remove(response.getToken());
            byte[] payload = response.getPayload() == null ? new byte[0] : response.getPayload();
            o.counters.notifications.incrementAndGet();
            // A single datagram above the limit (Californium limits only what it assembles from blocks).
            boolean tooLarge = PayloadLimit.exceeds(payload.length, settings.maxPayloadBytes());
            if (tooLarge) {
                o.counters.errors.incrementAndGet();
                logger.warning("Observe of " + o.uri + ": " + PayloadLimit.reason(payload.length,
                        settings.maxPayloadBytes()) + "; delivered as too large (a dead letter)");
            }
            boolean replay = false;
            if (observing) {
                long number = options.getObserve();
                if (o.lastObserve >= 0) {
                    o.counters.sequenceGaps.addAndGet(ObserveMark.skipped(o.lastObserve, number));
                }
                o.lastObserve = number;
                o.established = true;
                o.failures = 0;
                o.lastReason = null;
                o.lastNotificationNanos = System.nanoTime();
                o.maxAgeSent = options.hasMaxAge();
                o.maxAge = options.hasMaxAge() ? options.getMaxAge() : DEFAULT_MAX_AGE;
                ObserveMark mark = new ObserveMark(number, Arrays.hashCode(payload));
                replay = o.firstOfRelation && mark.equals(o.mark);
                o.mark = mark;
            }
            o.firstOfRelation = false;
            if (replay) {
                logger.fine("Observe of " + o.uri + ": the first answer repeats the last delivered notification "
                        + "(Observe " + o.mark.observe() + "); not delivered again");
            } else {
                offer(o, notification(o, response, tooLarge ? PayloadLimit.head(payload) : payload, payload.length,
                        tooLarge));
            }
            if (!observing) {
                o.live = false;
                reobserve(o, "answered " + code(response.getCode()) + " without the Observe option: the resource "
                        + "is not observable or the server ended the relation", false);
            }
        }
    }

    private void onFailure(Observation o, long generation, FailureReason reason) {
        if (closing) {
            synchronized (o) {
                if (generation == o.generation && !o.cancelConfirmed) {
                    o.cancelConfirmed = true;
                    cancellations.countDown();
                }
            }
            return;
        }
        synchronized (o) {
            if (generation != o.generation) {
                return;
            }
            o.live = false;
            Response first = o.request == null || o.request.getToken() == null ? null
                    : firstBlocks.remove(o.request.getToken());
            if (reason.tooLarge(first, settings.maxPayloadBytes())) {
                tooLarge(o, first, reason);
            } else {
                fail(o, "failed: " + reason.describe());
            }
        }
    }

    /**
     * Called holding {@code o}'s lock when Californium aborted a block-wise answer above the limit: queues it as too
     * large with the first block's bytes (unless the first answer of a new relation repeats the one already queued,
     * as it does while the resource keeps that state), counts the error, and observes again, since Californium has
     * cancelled the relation.
     */
    private void tooLarge(Observation o, Response first, FailureReason reason) {
        long size = first != null && first.getOptions().hasSize2() ? first.getOptions().getSize2()
                : PayloadLimit.UNKNOWN_SIZE;
        String why = PayloadLimit.reason(size, settings.maxPayloadBytes());
        if (first == null) {
            // Its first block is no longer kept (its relation was given up meanwhile): still delivered and counted.
            queueTooLarge(o, null, new byte[0], size);
        } else {
            byte[] head = PayloadLimit.head(first.getPayload() == null ? new byte[0] : first.getPayload());
            ObserveMark mark = first.getOptions().hasObserve()
                    ? new ObserveMark(first.getOptions().getObserve(), Arrays.hashCode(head)) : null;
            if (o.firstOfRelation && mark != null && mark.equals(o.mark)) {
                logger.fine("Observe of " + o.uri + ": the first answer repeats the too large notification already "
                        + "delivered (Observe " + mark.observe() + "); not delivered again");
            } else {
                if (mark != null) {
                    o.mark = mark;
                }
                queueTooLarge(o, first, head, size);
            }
        }
        fail(o, "answer too large: " + why + " (" + reason.describe() + ")");
    }

    private void queueTooLarge(Observation o, Response first, byte[] head, long size) {
        o.firstOfRelation = false;
        if (first == null) {
            offer(o, new CoapNotification(o.uri, System.currentTimeMillis(), -1, "", "", "",
                    CoapNotification.NO_OBSERVE, RawReading.UNKNOWN_CONTENT_FORMAT, DEFAULT_MAX_AGE,
                    o.parsed.getHost(), o.parsed.getPort(), path(o), query(o), head, size, true));
        } else {
            offer(o, notification(o, first, head, size, true));
        }
    }

    private void offer(Observation o, CoapNotification notification) {
        if (!queue.offer(notification)) {
            long dropped = o.counters.dropped.incrementAndGet();
            if (dropped == 1 || Long.bitCount(dropped) == 1) {
                logger.warning("Dropped a notification from " + o.uri + " because the queue of "
                        + settings.queueCapacity() + " is full: the job reads slower than the resources notify ("
                        + dropped + " dropped from it so far)");
            }
        }
    }

    private static CoapNotification notification(Observation o, Response response, byte[] payload, long size,
                                                 boolean tooLarge) {
        OptionSet options = response.getOptions();
        InetSocketAddress peer = response.getSourceContext() == null ? null
                : response.getSourceContext().getPeerAddress();
        return new CoapNotification(o.uri, System.currentTimeMillis(), response.getMID(), response.getType().name(),
                code(response.getCode()), response.getTokenString(),
                options.hasObserve() ? options.getObserve() : CoapNotification.NO_OBSERVE,
                options.hasContentFormat() ? options.getContentFormat() : RawReading.UNKNOWN_CONTENT_FORMAT,
                options.hasMaxAge() ? options.getMaxAge() : DEFAULT_MAX_AGE,
                peer == null ? o.parsed.getHost() : peer.getAddress().getHostAddress(),
                peer == null ? o.parsed.getPort() : peer.getPort(),
                path(o), query(o), payload, size, tooLarge);
    }

    private static String path(Observation o) {
        return o.parsed.getRawPath() == null || o.parsed.getRawPath().isEmpty() ? "/" : o.parsed.getRawPath();
    }

    private static String query(Observation o) {
        return o.parsed.getRawQuery() == null ? "" : o.parsed.getRawQuery();
    }

    static String code(CoAP.ResponseCode code) {
        return code.codeClass + "." + (code.codeDetail < 10 ? "0" : "") + code.codeDetail;
    }

    private void discover(CoapDiscovery discovery, int failures) {
        if (closing) {
            return;
        }
        String uri = discovery.server() + WELL_KNOWN_CORE;
        ResourceCounters c = counters.computeIfAbsent(uri, k -> new ResourceCounters());
        CoapEndpoint endpoint = endpoints.get(URI.create(uri).getScheme().toLowerCase(Locale.ROOT));
        CoapClient client = new CoapClient(uri).setEndpoint(endpoint).setExecutors(scheduler, scheduler, true)
                .setTimeout(settings.registrationTimeout().toMillis());
        synchronized (discoveryClients) {
            discoveryClients.add(client);
        }
        Request request = Request.newGet();
        request.setURI(uri);
        request.getOptions().setAccept(MediaTypeRegistry.APPLICATION_LINK_FORMAT);
        FailureReason reason = new FailureReason();
        request.addMessageObserver(reason);
        client.advanced(new CoapHandler() {
            @Override
            public void onLoad(CoapResponse response) {
                if (response.isSuccess()) {
                    c.notifications.incrementAndGet();
                    discovered(discovery, response.getResponseText());
                } else {
                    retryDiscovery(discovery, failures, c, "answered " + code(response.getCode()));
                }
            }

            @Override
            public void onError() {
                retryDiscovery(discovery, failures, c, "failed: " + reason.describe());
            }
        }, request);
    }

    private void retryDiscovery(CoapDiscovery discovery, int failures, ResourceCounters c, String reason) {
        if (closing) {
            return;
        }
        c.errors.incrementAndGet();
        long delay = backoffMillis(failures);
        logger.warning("Discovery from " + discovery.server() + WELL_KNOWN_CORE + " " + reason + "; retrying in "
                + delay + " ms");
        scheduler.schedule(() -> {
            c.reobservations.incrementAndGet();
            discover(discovery, failures + 1);
        }, delay, TimeUnit.MILLISECONDS);
    }

    private void discovered(CoapDiscovery discovery, String linkFormat) {
        List<String> matching = new ArrayList<>();
        for (WebLink link : LinkFormat.parse(linkFormat)) {
            String path = link.getURI().startsWith("/") ? link.getURI() : "/" + link.getURI();
            if (!discovery.matchesPath(path)) {
                continue;
            }
            if (discovery.observableOnly() && !link.getAttributes().hasObservable()) {
                continue;
            }
            if (discovery.resourceType() != null
                    && !link.getAttributes().getResourceTypes().contains(discovery.resourceType())) {
                continue;
            }
            matching.add(discovery.server() + path);
        }
        int added = 0;
        for (String uri : matching) {
            if (owns.test(uri) && !observations.containsKey(uri)) {
                observe(add(uri));
                added++;
            }
        }
        logger.info("Discovered " + matching.size() + " matching resources at " + discovery.server()
                + "; this processor observes " + added + " of them: " + matching);
    }

    /** One resource's relation; every field is guarded by the instance's lock. */
    private static final class Observation {
        final String uri;
        final URI parsed;
        final CoapClient client;
        final ResourceCounters counters;
        CoapObserveRelation relation;
        /** The observe request of the current relation; its token keys the relation's first blocks. */
        Request request;
        long generation;
        boolean established;
        boolean live;
        boolean retryScheduled;
        boolean firstOfRelation;
        boolean cancelConfirmed;
        int failures;
        String lastReason;
        long lastObserve = -1;
        long registeredAtNanos;
        long lastNotificationNanos;
        long maxAge = DEFAULT_MAX_AGE;
        /** Whether the last notification carried Max-Age, rather than implying CoAP's default. */
        boolean maxAgeSent;
        ObserveMark mark;

        Observation(String uri, URI parsed, CoapClient client, ResourceCounters counters) {
            this.uri = uri;
            this.parsed = parsed;
            this.client = client;
            this.counters = counters;
        }
    }

    /** Remembers why a request failed, which Californium's {@link CoapHandler#onError()} does not say. */
    private static final class FailureReason extends MessageObserverAdapter {
        private volatile String reason;
        private volatile Throwable responseError;

        @Override
        public void onResponseHandlingError(Throwable cause) {
            // Californium's block-wise layer reports an answer above the request's max resource body size so.
            responseError = cause;
            reason = "Californium could not take the answer: " + cause.getMessage();
        }

        /**
         * Whether the failure is a block-wise answer above {@code maxBytes}: Size2 says so, or Californium's message
         * (for a transfer without Size2, whose buffer overflowed) does.
         */
        boolean tooLarge(Response first, int maxBytes) {
            Throwable error = responseError;
            if (error == null) {
                return false;
            }
            if (first != null && first.getOptions().hasSize2() && first.getOptions().getSize2() > maxBytes) {
                return true;
            }
            return error.getMessage() != null && error.getMessage().contains("exceeds");
        }

        @Override
        public void onTimeout() {
            reason = "no answer (timeout after the CON retransmissions)";
        }

        @Override
        public void onReject() {
            reason = "rejected with a RST by the server";
        }

        @Override
        public void onSendError(Throwable error) {
            String name = error.getClass().getSimpleName();
            String text = name + (error.getMessage() == null ? "" : ": " + error.getMessage());
            reason = name.contains("Handshake") || name.contains("Dtls") || error.getClass().getName()
                    .contains("scandium") ? "DTLS handshake failed (wrong credentials or untrusted peer?): " + text
                    : "cannot send: " + text;
        }

        String describe() {
            return reason == null ? "no answer" : reason;
        }
    }

    /**
     * Keeps the first block of every block-wise answer by token, before the block-wise layer sees it, so that an
     * answer Californium aborts for its size still gives its first bytes. Runs on Californium's receiving thread:
     * one map write.
     */
    private final class FirstBlocks extends MessageInterceptorAdapter {
        @Override
        public void receiveResponse(Response response) {
            BlockOption block2 = response.getOptions().getBlock2();
            if (block2 != null && block2.getNum() == 0 && block2.isM() && response.getToken() != null) {
                firstBlocks.put(response.getToken(), response);
            }
        }
    }

    /** Relays one relation's callbacks, tagged with the generation they belong to. */
    private final class Handler implements CoapHandler {
        private final Observation o;
        private final long generation;
        private final FailureReason reason;

        Handler(Observation o, long generation, FailureReason reason) {
            this.o = o;
            this.generation = generation;
            this.reason = reason;
        }

        @Override
        public void onLoad(CoapResponse response) {
            onResponse(o, generation, response);
        }

        @Override
        public void onError() {
            onFailure(o, generation, reason);
        }
    }
}
