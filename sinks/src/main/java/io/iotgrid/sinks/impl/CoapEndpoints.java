package io.iotgrid.sinks.impl;

import io.iotgrid.sinks.CoapSinkSettings;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.config.DtlsConfig;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledExecutorService;

/** The one place where {@link CoapWriterP} gets the Californium endpoint for the scheme of a URI. */
final class CoapEndpoints {

    private CoapEndpoints() {
    }

    /**
     * A started endpoint for {@code coap://} URIs, bound to an ephemeral port of the settings' bind address, whose
     * work runs on {@code executor}. Other schemes have no endpoint: {@code coaps://} needs DTLS credentials, which
     * {@link CoapSinkSettings} does not carry, and a plain UDP endpoint would send the request unencrypted.
     */
    static Endpoint create(String scheme, CoapSinkSettings settings, ScheduledExecutorService executor)
            throws IOException {
        if (!"coap".equals(scheme)) {
            throw new IllegalArgumentException("coaps".equals(scheme)
                    ? "a coaps:// (DTLS) URI needs DTLS credentials, which CoapSinkSettings does not carry"
                    : "the scheme must be coap, was '" + scheme + "'");
        }
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(settings.bindAddress()), 0);
        CoapEndpoint endpoint = new CoapEndpoint.Builder()
                .setConfiguration(configuration())
                .setInetSocketAddress(address)
                .build();
        endpoint.setExecutors(executor, executor);
        try {
            endpoint.start();
        } catch (IOException e) {
            endpoint.destroy();
            throw new IOException("cannot bind a CoAP endpoint to " + address + ": " + e.getMessage(), e);
        }
        return endpoint;
    }

    /** Built in code: Californium's standard configuration would write Californium3.properties into the cwd. */
    static Configuration configuration() {
        return new Configuration(CoapConfig.DEFINITIONS, UdpConfig.DEFINITIONS, DtlsConfig.DEFINITIONS);
    }
}
