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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * An in-process Californium server on 127.0.0.1 whose resources {@code /<parent>/<child>} keep every PUT and
 * POST payload they receive, with its content format, and answer 2.04 (PUT) or 2.01 (POST).
 */
final class RecordingCoapServer implements AutoCloseable {

    /** What a resource received: the payload as text and the request's content format. */
    record Received(String path, CoAP.Code method, int contentFormat, String payload) {
    }

    private final CoapServer server;
    private final Queue<Received> received;

    private RecordingCoapServer(CoapServer server, Queue<Received> received) {
        this.server = server;
        this.received = received;
    }

    /** Starts a server on {@code port} (0 for an ephemeral one) with {@code /<parent>/<child>} per child. */
    static RecordingCoapServer start(int port, String parent, List<String> children) {
        Configuration config = new Configuration(CoapConfig.DEFINITIONS, UdpConfig.DEFINITIONS);
        CoapServer server = new CoapServer(config);
        server.addEndpoint(new CoapEndpoint.Builder()
                .setConfiguration(config)
                .setInetSocketAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                .build());
        Queue<Received> received = new ConcurrentLinkedQueue<>();
        CoapResource parentResource = new CoapResource(parent);
        for (String child : children) {
            parentResource.add(new Recording(child, received));
        }
        server.add(parentResource);
        server.start();
        return new RecordingCoapServer(server, received);
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

    /** The payloads received so far by resource path, each in arrival order. */
    Map<String, List<String>> payloadsByPath() {
        Map<String, List<String>> byPath = new HashMap<>();
        for (Received r : received) {
            byPath.computeIfAbsent(r.path(), p -> new ArrayList<>()).add(r.payload());
        }
        return byPath;
    }

    @Override
    public void close() {
        server.destroy();
    }

    private static final class Recording extends CoapResource {
        private final Queue<Received> received;

        Recording(String name, Queue<Received> received) {
            super(name);
            this.received = received;
        }

        @Override
        public void handlePUT(CoapExchange exchange) {
            record(exchange);
            exchange.respond(CoAP.ResponseCode.CHANGED);
        }

        @Override
        public void handlePOST(CoapExchange exchange) {
            record(exchange);
            exchange.respond(CoAP.ResponseCode.CREATED);
        }

        private void record(CoapExchange exchange) {
            received.add(new Received(getURI(), exchange.getRequestCode(),
                    exchange.getRequestOptions().getContentFormat(),
                    new String(exchange.getRequestPayload(), UTF_8)));
        }
    }
}
