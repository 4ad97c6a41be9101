package io.iotgrid.sources;

import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process Californium server on an ephemeral loopback port whose observable resources the test changes by
 * hand: {@link Resource#publish} notifies, {@code resource.delete()} ends the relations with 4.04. Counts DELETE requests, which the source must never send.
 */
public final class TestCoapServer implements AutoCloseable {

    private final CoapServer server;
    private final int port;

    public TestCoapServer(CoapResource... resources) {
        this(0, resources);
    }

    /** A server on loopback port {@code port} (0 for an ephemeral one), e.g. the port of one that was stopped. */
    public TestCoapServer(int port, CoapResource... resources) {
        Configuration config = new Configuration(CoapConfig.DEFINITIONS, UdpConfig.DEFINITIONS);
        server = new CoapServer(config);
        server.addEndpoint(new CoapEndpoint.Builder().setConfiguration(config)
                .setInetSocketAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)).build());
        for (CoapResource r : resources) {
            server.add(r);
        }
        server.start();
        this.port = server.getEndpoints().get(0).getAddress().getPort();
    }

    public int port() {
        return port;
    }

    public String uri(String path) {
        return "coap://127.0.0.1:" + port + path;
    }

    public void add(Resource resource) {
        server.add(resource);
    }

    @Override
    public void close() {
        server.destroy();
    }

    /**
     * An observable resource at {@code /<name>} answering the last published text as JSON, with Max-Age
     * {@code maxAgeSeconds}, or without the option when it is {@link #NO_MAX_AGE}.
     */
    public static final class Resource extends CoapResource {
        /** {@code maxAgeSeconds} of a resource whose answers carry no Max-Age, as many devices send them. */
        public static final long NO_MAX_AGE = -1;
        private final long maxAgeSeconds;
        private final AtomicInteger deletes = new AtomicInteger();
        private volatile String value;

        public Resource(String name, long maxAgeSeconds, String initial) {
            this(name, maxAgeSeconds, initial, true);
        }

        /** A resource that is observable or not, and says so in {@code /.well-known/core}. */
        public Resource(String name, long maxAgeSeconds, String initial, boolean observable) {
            super(name);
            this.maxAgeSeconds = maxAgeSeconds;
            this.value = initial;
            setObservable(observable);
            setObserveType(CoAP.Type.CON);
            if (observable) {
                getAttributes().setObservable();
            }
        }

        public void publish(String json) {
            value = json;
            changed();
        }

        public int deletes() {
            return deletes.get();
        }

        @Override
        public void handleGET(CoapExchange exchange) {
            if (maxAgeSeconds != NO_MAX_AGE) {
                exchange.setMaxAge(maxAgeSeconds);
            }
            exchange.respond(CoAP.ResponseCode.CONTENT, value, MediaTypeRegistry.APPLICATION_JSON);
        }

        @Override
        public void handleDELETE(CoapExchange exchange) {
            deletes.incrementAndGet();
            exchange.respond(CoAP.ResponseCode.METHOD_NOT_ALLOWED);
        }
    }
}
