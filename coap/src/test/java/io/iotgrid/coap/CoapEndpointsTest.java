package io.iotgrid.coap;

import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CoapEndpointsTest {

    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

    @Test
    void when_configuration_then_clientOnlyDtlsRole() {
        assertThat(CoapEndpoints.configuration().get(DtlsConfig.DTLS_ROLE)).isEqualTo(DtlsConfig.DtlsRole.CLIENT_ONLY);
    }

    @Test
    void when_coapsWithoutCredentials_then_rejected() {
        assertThatThrownBy(() -> CoapEndpoints.client("coaps", CoapSecurity.none(), CoapEndpoints.configuration(),
                LOOPBACK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("coaps:// needs DTLS credentials, but security is CoapSecurity[mode=NONE]");
        assertThatThrownBy(() -> CoapEndpoints.client("http", CoapSecurity.none(), CoapEndpoints.configuration(),
                LOOPBACK))
                .hasMessageContaining("scheme must be coap or coaps, was 'http'");
    }

    @Test
    void when_coapsWithPsk_then_endpointUsesDtlsUri() {
        CoapEndpoint endpoint = CoapEndpoints.client("COAPS", CoapSecurity.psk("gw", "s".getBytes(StandardCharsets.UTF_8)),
                CoapEndpoints.configuration(), LOOPBACK);

        assertThat(endpoint.getUri().getScheme()).isEqualTo("coaps");
        endpoint.destroy();
    }

    @Test
    void when_everyPeerOnLoopback_then_bindLoopbackElseWildcard() {
        assertThat(CoapEndpoints.bindAddress(List.of(URI.create("coap://127.0.0.1:5683/a"),
                URI.create("coaps://localhost/b"))).getAddress().isLoopbackAddress()).isTrue();
        assertThat(CoapEndpoints.bindAddress(List.of(URI.create("coap://127.0.0.1:5683/a"),
                URI.create("coap://192.0.2.7/b"))).getAddress().isAnyLocalAddress()).isTrue();
    }
}
