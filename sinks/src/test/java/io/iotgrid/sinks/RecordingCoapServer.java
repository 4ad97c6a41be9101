package io.iotgrid.sinks;

import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * An in-process Californium server on 127.0.0.1 whose resources {@code /<parent>/<child>} keep every PUT and
 * POST payload they receive, with its content format, and answer 2.04 (PUT) or 2.01 (POST), optionally after a
 * delay (an empty ACK first, then a separate response), like a slow device.
 */
final class RecordingCoapServer implements AutoCloseable {

    /** What a resource received: the payload as text and the request's content format. */
    record Received(String path, CoAP.Code method, int contentFormat, String payload) {
    }

    private final CoapServer server;
    private final Queue<Received> received;
    private final ScheduledExecutorService responder;

    private RecordingCoapServer(CoapServer server, Queue<Received> received, ScheduledExecutorService responder) {
        this.server = server;
        this.received = received;
        this.responder = responder;
    }

    /** Starts a server on {@code port} (0 for an ephemeral one) with {@code /<parent>/<child>} per child. */
    static RecordingCoapServer start(int port, String parent, List<String> children) {
        return start(port, parent, children, Duration.ZERO);
    }

    /** Like {@link #start(int, String, List)}, but every response leaves {@code responseDelay} after the request. */
    static RecordingCoapServer start(int port, String parent, List<String> children, Duration responseDelay) {
        Configuration config = new Configuration(CoapConfig.DEFINITIONS, UdpConfig.DEFINITIONS);
        CoapServer server = new CoapServer(config);
        server.addEndpoint(new CoapEndpoint.Builder()
                .setConfiguration(config)
                .setInetSocketAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                .build());
        Queue<Received> received = new ConcurrentLinkedQueue<>();
        ScheduledExecutorService responder = Executors.newSingleThreadScheduledExecutor();
        CoapResource parentResource = new CoapResource(parent);
        for (String child : children) {
            parentResource.add(new Recording(child, received, responder, responseDelay));
        }
        server.add(parentResource);
        server.start();
        return new RecordingCoapServer(server, received, responder);
    }

    int port() {
        return server.getEndpoints().get(0).getAddress().getPort();
    }

    /** {@code coap://127.0.0.1:<port><path>}; {@code path} starts with a slash. */
    String uri(String path) {
        return "coap://127.0.0.1:" + port() + path;
    }

    /** Everything received so far, in arrival order. */
    List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.destroy();
        responder.shutdownNow();
    }

    private static final class Recording extends CoapResource {
        private final Queue<Received> received;
        private final ScheduledExecutorService responder;
        private final Duration responseDelay;

        Recording(String name, Queue<Received> received, ScheduledExecutorService responder,
                  Duration responseDelay) {
            super(name);
            this.received = received;
            this.responder = responder;
            this.responseDelay = responseDelay;
        }

        @Override
        public void handlePUT(CoapExchange exchange) {
            record(exchange);
            respond(exchange, CoAP.ResponseCode.CHANGED);
        }

        @Override
        public void handlePOST(CoapExchange exchange) {
            record(exchange);
            respond(exchange, CoAP.ResponseCode.CREATED);
        }

        private void respond(CoapExchange exchange, CoAP.ResponseCode code) {
            if (responseDelay.isZero()) {
                exchange.respond(code);
                return;
            }
            exchange.accept();
            responder.schedule(() -> exchange.respond(code), responseDelay.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void record(CoapExchange exchange) {
            received.add(new Received(getURI(), exchange.getRequestCode(),
                    exchange.getRequestOptions().getContentFormat(),
                    new String(exchange.getRequestPayload(), UTF_8)));
        }
    }
}
