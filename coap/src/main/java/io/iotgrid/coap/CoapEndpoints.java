package io.iotgrid.coap;

import io.iotgrid.coap.impl.KeyMaterial;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.auth.RawPublicKeyIdentity;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;
import org.eclipse.californium.scandium.dtls.x509.SingleCertificateProvider;
import org.eclipse.californium.scandium.dtls.x509.StaticNewAdvancedCertificateVerifier;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Builds Californium client endpoints for {@code coap://} (plain UDP) and {@code coaps://} (DTLS 1.2 with
 * Scandium) peers, always with a {@link Configuration} made in code: nothing reads or writes
 * {@code Californium3.properties}.
 * <pre>{@code
 * CoapEndpoint endpoint = CoapEndpoints.client("coaps", CoapSecurity.psk("gw", secret), CoapEndpoints.configuration(),
 *         CoapEndpoints.bindAddress(List.of(URI.create("coaps://10.0.0.5/sensors/s-1"))));
 * endpoint.start();
 * new CoapClient("coaps://10.0.0.5/sensors/s-1").setEndpoint(endpoint).get();
 * }</pre>
 * The endpoint is returned unstarted; the caller starts and destroys it.
 */
public final class CoapEndpoints {

    private CoapEndpoints() {
    }

    /**
     * A fresh configuration with Californium's defaults for CoAP, UDP and DTLS, and the DTLS role
     * {@code CLIENT_ONLY}. Callers may change values before building endpoints with it.
     */
    public static Configuration configuration() {
        Configuration config = new Configuration(CoapConfig.DEFINITIONS, UdpConfig.DEFINITIONS, DtlsConfig.DEFINITIONS);
        config.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY);
        return config;
    }

    /**
     * An unstarted client endpoint for URIs of {@code scheme} ({@code coap} or {@code coaps}), bound to
     * {@code bind}; for {@code coaps} the DTLS connector uses {@code security} and, when
     * {@link CoapSecurity#bindHost()} or {@link CoapSecurity#bindPort()} are set, binds there instead.
     *
     * @throws IllegalArgumentException for another scheme, or {@code coaps} without credentials
     */
    public static CoapEndpoint client(String scheme, CoapSecurity security, Configuration config,
                                      InetSocketAddress bind) {
        String s = scheme.toLowerCase(Locale.ROOT);
        if (s.equals("coap")) {
            return new CoapEndpoint.Builder().setConfiguration(config).setInetSocketAddress(bind).build();
        }
        if (!s.equals("coaps")) {
            throw new IllegalArgumentException("scheme must be coap or coaps, was '" + scheme + "'");
        }
        if (!security.secure()) {
            throw new IllegalArgumentException("coaps:// needs DTLS credentials, but security is " + security);
        }
        DTLSConnector connector = new DTLSConnector(dtlsConfig(security, config, dtlsBind(security, bind)));
        return new CoapEndpoint.Builder().setConfiguration(config).setConnector(connector).build();
    }

    /**
     * Where a client endpoint for {@code peers} should bind: a socket bound to 127.0.0.1 cannot reach other
     * hosts and one bound to the wildcard address accepts datagrams on every interface, so 127.0.0.1 (ephemeral
     * port) only when every peer is on IPv4 loopback, else the wildcard address.
     */
    public static InetSocketAddress bindAddress(Collection<URI> peers) {
        for (URI peer : peers) {
            try {
                InetAddress address = InetAddress.getByName(peer.getHost());
                if (!(address instanceof Inet4Address) || !address.isLoopbackAddress()) {
                    return new InetSocketAddress(0);
                }
            } catch (UnknownHostException e) {
                // The request reports the unknown host with its URI; the endpoint only needs to be usable.
                return new InetSocketAddress(0);
            }
        }
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    private static InetSocketAddress dtlsBind(CoapSecurity security, InetSocketAddress automatic) {
        if (security.bindHost() == null) {
            return security.bindPort() == 0 ? automatic
                    : new InetSocketAddress(automatic.getAddress(), security.bindPort());
        }
        return new InetSocketAddress(security.bindHost(), security.bindPort());
    }

    private static DtlsConnectorConfig dtlsConfig(CoapSecurity security, Configuration config,
                                                  InetSocketAddress bind) {
        DtlsConnectorConfig.Builder builder = DtlsConnectorConfig.builder(config)
                .set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY)
                .setAddress(bind);
        if (!security.cipherSuites().isEmpty()) {
            builder.setAsList(DtlsConfig.DTLS_CIPHER_SUITES, security.cipherSuites().stream()
                    .map(CipherSuite::getTypeByName).toArray(CipherSuite[]::new));
        }
        switch (security.mode()) {
            case PSK -> builder.setAdvancedPskStore(new AdvancedSinglePskStore(security.pskIdentity(),
                    security.pskSecretBytes()));
            case X509 -> {
                builder.setCertificateIdentityProvider(new SingleCertificateProvider(
                        KeyMaterial.privateKey("privateKey", security.privateKey()),
                        KeyMaterial.certificates("certificateChain", security.certificateChain()),
                        CertificateType.X_509));
                builder.setAdvancedCertificateVerifier(StaticNewAdvancedCertificateVerifier.builder()
                        .setTrustedCertificates(KeyMaterial.certificates("trustedCertificates",
                                security.trustedCertificates()))
                        .build());
            }
            case RAW_PUBLIC_KEY -> {
                builder.setCertificateIdentityProvider(new SingleCertificateProvider(
                        KeyMaterial.privateKey("privateKey", security.privateKey()),
                        KeyMaterial.publicKey("publicKey", security.publicKey())));
                List<String> trusted = security.trustedPublicKeys();
                RawPublicKeyIdentity[] identities = new RawPublicKeyIdentity[trusted.size()];
                for (int i = 0; i < identities.length; i++) {
                    identities[i] = new RawPublicKeyIdentity(KeyMaterial.publicKey("trustedPublicKeys[" + i + "]",
                            trusted.get(i)));
                }
                builder.setAdvancedCertificateVerifier(StaticNewAdvancedCertificateVerifier.builder()
                        .setTrustedRPKs(identities).build());
            }
            case NONE -> throw new IllegalArgumentException("coaps:// needs DTLS credentials, security is NONE");
        }
        return builder.build();
    }
}
