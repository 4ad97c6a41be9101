package io.iotgrid.sinks.impl;

import com.hazelcast.function.FunctionEx;
import com.hazelcast.jet.Util;
import com.hazelcast.jet.core.Inbox;
import io.iotgrid.coap.CoapEndpoints;
import io.iotgrid.sinks.CoapSinkSettings;
import io.iotgrid.sinks.ErrorPolicy;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.MessageObserverAdapter;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.Endpoint;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The sink processor of {@link io.iotgrid.sinks.CoapSinks}: sends each item as a JSON request to the URI
 * {@code uriFn} gives it, keeps at most {@link CoapSinkSettings#maxInFlight()} items unfinished and applies the
 * {@link ErrorPolicy} to every request that fails. Requests to one URI go one after the other in arrival order,
 * so a later PUT never overtakes an earlier one. A snapshot and the end of the job wait until every item has been
 * answered with 2.xx or dead-lettered, which makes the sink at-least-once.
 * <p>
 * Non-cooperative: setting a request's URI resolves its host name, which may block on DNS.
 */
public final class CoapWriterP<T> extends ItemSinkP<CoapWriterP.Pending> {

    private final CoapSinkSettings settings;
    private final FunctionEx<? super T, String> uriFn;

    /** Per URI, its unfinished items in arrival order; the head is in flight or waiting to be sent again. */
    private final Map<String, ArrayDeque<Pending>> byUri = new HashMap<>();
    /** Endpoints by URI scheme, made on first use. */
    private final Map<String, Endpoint> endpoints = new HashMap<>();

    private ScheduledThreadPoolExecutor executor;

    public CoapWriterP(String sinkName, CoapSinkSettings settings, FunctionEx<? super T, String> uriFn) {
        super(sinkName, settings, settings.maxInFlight(), "send", "retriedRequests");
        this.settings = settings;
        this.uriFn = uriFn;
    }

    @Override
    public boolean isCooperative() {
        return false;
    }

    @Override
    protected void init(Context context) throws Exception {
        super.init(context);
        String threadName = "coap-sink-" + Util.idToString(context.jobId()) + '-' + context.globalProcessorIndex();
        // One thread for all of Californium's work of this processor: it only encodes, matches and hands over.
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void process(int ordinal, Inbox inbox) {
        for (pump(); !inbox.isEmpty() && hasRoom(); pump()) {
            @SuppressWarnings("unchecked")
            T item = (T) inbox.poll();
            accept(item);
        }
    }

    @Override
    public void close() {
        endpoints.values().forEach(Endpoint::destroy);
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    @Override
    void resend(Pending pending) {
        send(pending);
    }

    /** Starts the item's request, or queues it behind the unfinished one to the same URI. */
    private void accept(T item) {
        String uri;
        try {
            uri = uriFn.apply(item);
        } catch (RuntimeException e) {
            giveUp(sinkName, "uriFn failed for the item: " + e, String.valueOf(item).getBytes(UTF_8), e);
            return;
        }
        byte[] json;
        try {
            json = JsonBytes.of(item);
        } catch (IOException e) {
            giveUp(String.valueOf(uri), "cannot write the item as JSON: " + e.getMessage(),
                    String.valueOf(item).getBytes(UTF_8), e);
            return;
        }
        String scheme;
        Endpoint endpoint;
        try {
            scheme = scheme(uri);
            endpoint = endpoint(scheme);
        } catch (IllegalArgumentException | IOException e) {
            giveUp(String.valueOf(uri), settings.method() + " " + uri + " cannot be sent: " + e.getMessage(), json,
                    e);
            return;
        }
        Pending pending = new Pending(uri, json, endpoint, "coaps".equals(scheme));
        started();
        ArrayDeque<Pending> queue = byUri.computeIfAbsent(uri, u -> new ArrayDeque<>());
        queue.add(pending);
        if (queue.size() == 1) {
            send(pending);
        }
    }

    private void send(Pending pending) {
        Request request;
        try {
            request = new Request(CoAP.Code.valueOf(settings.method().name()),
                    settings.confirmable() ? CoAP.Type.CON : CoAP.Type.NON);
            // Resolves the host name; an unknown host fails here, which may be transient, so it may be retried.
            request.setURI(pending.uri);
            request.setPayload(pending.json);
            request.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_JSON);
        } catch (RuntimeException e) {
            onAnswer(pending, null, e, false);
            return;
        }
        Answer answer = new Answer();
        request.addMessageObserver(answer);
        answer.future.orTimeout(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
              .whenComplete((response, error) -> {
                  if (error instanceof TimeoutException) {
                      request.cancel();
                  }
                  // Over DTLS a request leaves only once the handshake is done: unsent means the handshake failed.
                  boolean inHandshake = error != null && !answer.sent && pending.secure;
                  onProcessorThread(() -> onAnswer(pending, response, error, inHandshake));
              });
        pending.endpoint.sendRequest(request);
    }

    private void onAnswer(Pending pending, Response response, Throwable error, boolean inHandshake) {
        if (error == null && response.isSuccess()) {
            finished(pending);
            return;
        }
        String reason = settings.method() + " " + pending.uri + (error == null ? " answered " + describe(response)
                : inHandshake ? " failed in the DTLS handshake: " + (error instanceof TimeoutException
                        ? "not completed within " + settings.requestTimeout() + " (wrong credentials, an untrusted "
                          + "peer or no DTLS server there?)" : error)
                : error instanceof TimeoutException ? " got no response within " + settings.requestTimeout()
                : " failed: " + error);
        failed(pending, pending.uri, reason, error);
    }

    /** Done with {@code pending}: the next request to its URI may go. */
    @Override
    void finished(Pending pending) {
        super.finished(pending);
        ArrayDeque<Pending> queue = byUri.get(pending.uri);
        queue.poll();
        if (queue.isEmpty()) {
            byUri.remove(pending.uri);
        } else {
            send(queue.peek());
        }
    }

    private Endpoint endpoint(String scheme) throws IOException {
        Endpoint endpoint = endpoints.get(scheme);
        if (endpoint == null) {
            endpoint = startEndpoint(scheme);
            endpoints.put(scheme, endpoint);
        }
        return endpoint;
    }

    /**
     * A started client endpoint for {@code scheme}, bound to the settings' bind address (for {@code coaps://} on
     * {@link io.iotgrid.coap.CoapSecurity#bindPort()}), whose CoAP work runs on the processor's executor.
     */
    private Endpoint startEndpoint(String scheme) throws IOException {
        if ("coaps".equals(scheme) && !settings.security().secure()) {
            throw new IllegalArgumentException("a coaps:// URI needs DTLS credentials, but the sink's security is "
                    + "CoapSecurity.none(): set them with CoapSinkSettings.SECURITY");
        }
        InetSocketAddress bind = new InetSocketAddress(InetAddress.getByName(settings.bindAddress()), 0);
        CoapEndpoint endpoint = CoapEndpoints.client(scheme, settings.security(), CoapEndpoints.configuration(),
                bind);
        endpoint.setExecutors(executor, executor);
        try {
            endpoint.start();
        } catch (IOException e) {
            endpoint.destroy();
            throw new IOException("cannot bind a " + scheme + " endpoint to " + settings.bindAddress() + ": "
                    + e.getMessage(), e);
        }
        return endpoint;
    }

    /**
     * The lower-case scheme of {@code uri}; fails when the URI can never be sent, whatever the server does:
     * no URI, not a URI, no host, or a fragment.
     */
    private static String scheme(String uri) {
        if (uri == null) {
            throw new IllegalArgumentException("uriFn returned null");
        }
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid URI: " + e.getMessage(), e);
        }
        if (parsed.getScheme() == null || parsed.getHost() == null) {
            throw new IllegalArgumentException("the URI must be absolute with a host, e.g. coap://10.0.0.5/sensors");
        }
        if (parsed.getFragment() != null) {
            throw new IllegalArgumentException("a CoAP URI has no fragment");
        }
        return parsed.getScheme().toLowerCase(Locale.ROOT);
    }

    private static String describe(Response response) {
        String text = response.getPayloadString();
        return response.getCode() + (text == null || text.isEmpty() ? "" : " '" + text + "'");
    }

    static final class Pending extends Attempt {
        final String uri;
        final Endpoint endpoint;
        /** Sent over DTLS. */
        final boolean secure;

        Pending(String uri, byte[] json, Endpoint endpoint, boolean secure) {
            super(json);
            this.uri = uri;
            this.endpoint = endpoint;
            this.secure = secure;
        }
    }

    /** Completes with the response or the reason there is none; notes whether the request left at all. */
    private static final class Answer extends MessageObserverAdapter {
        final CompletableFuture<Response> future = new CompletableFuture<>();
        volatile boolean sent;

        @Override
        public void onSent(boolean retransmission) {
            sent = true;
        }

        @Override
        public void onResponse(Response response) {
            future.complete(response);
        }

        @Override
        public void onReject() {
            future.completeExceptionally(new IOException("the server rejected the request (RST)"));
        }

        @Override
        public void onTimeout() {
            future.completeExceptionally(new IOException("the server acknowledged none of Californium's "
                    + "retransmissions"));
        }

        @Override
        public void onCancel() {
            future.completeExceptionally(new IOException("the request was cancelled"));
        }

        @Override
        public void onSendError(Throwable error) {
            future.completeExceptionally(error);
        }
    }
}
