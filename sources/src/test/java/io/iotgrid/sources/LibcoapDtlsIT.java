package io.iotgrid.sources;

import com.hazelcast.collection.IList;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import io.iotgrid.coap.CoapSecurity;
import io.iotgrid.coap.testing.TestPki;
import io.iotgrid.core.testing.Resources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * coaps:// observation against libcoap's DTLS servers (OpenSSL for PSK and X.509, GnuTLS for raw public keys),
 * with keys and certificates made by {@code openssl} for the test. A refused handshake fails only its resource:
 * the error is counted and the same job keeps observing the server's plain coap:// resource.
 */
@Timeout(90)
class LibcoapDtlsIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** libcoap's example resource: observable, a notification every second (Max-Age 1). */
    private static final String TIME = "/time";

    @TempDir
    static Path keys;
    private static TestPki pki;
    @AutoClose("shutdown")
    private static HazelcastInstance member;

    @RegisterExtension
    final Resources resources = new Resources();

    @BeforeAll
    static void start() throws IOException {
        pki = TestPki.create(keys);
        member = Hazelcast.newHazelcastInstance(SourceJobs.member("libcoap-dtls-it-" + UUID.randomUUID(), 6000));
    }

    @AfterAll
    static void noCaliforniumPropertiesWritten() {
        assertThat(Path.of("Californium3.properties")).doesNotExist();
    }

    @Test
    void when_pskMatches_then_notificationsArriveOverDtls() throws IOException {
        LibcoapServer server = resources.add(LibcoapServer.start(LibcoapServer.freeUdpPortPair(), "-k", "secret",
                "-h", "hint"));

        assertObserved(CoapSecurity.psk("iot-grid", bytes("secret")), server.secureUri(TIME));
    }

    @Test
    void when_pskWrong_then_resourceFailsVisiblyAndPlainResourceFlows() throws IOException {
        LibcoapServer server = resources.add(LibcoapServer.start(LibcoapServer.freeUdpPortPair(), "-k", "secret",
                "-h", "hint"));

        assertRefusedWhileOtherFlows(CoapSecurity.psk("iot-grid", bytes("not-the-secret")), server);
    }

    @Test
    void when_x509ChainTrusted_then_notificationsArriveOverDtls() throws IOException {
        LibcoapServer server = resources.add(LibcoapServer.start(LibcoapServer.freeUdpPortPair(), "-c",
                pki.serverCertificate().toString(), "-j", pki.serverKey().toString(), "-C", pki.ca().toString()));

        assertObserved(CoapSecurity.x509Pem(pki.clientKey(), pki.clientCertificate(), pki.ca()),
                server.secureUri(TIME));
    }

    @Test
    void when_x509FromKeyStores_then_notificationsArriveOverDtls() throws IOException {
        LibcoapServer server = resources.add(LibcoapServer.start(LibcoapServer.freeUdpPortPair(), "-c",
                pki.serverCertificate().toString(), "-j", pki.serverKey().toString(), "-C", pki.ca().toString()));

        assertObserved(CoapSecurity.keyStore(pki.clientKeyStore(), TestPki.PASSWORD.toCharArray(), pki.trustStore(),
                TestPki.PASSWORD.toCharArray()), server.secureUri(TIME));
    }

    @Test
    void when_serverCertificateUntrusted_then_resourceFailsVisiblyAndPlainResourceFlows() throws IOException {
        LibcoapServer server = resources.add(LibcoapServer.start(LibcoapServer.freeUdpPortPair(), "-c",
                pki.serverCertificate().toString(), "-j", pki.serverKey().toString(), "-C", pki.ca().toString()));

        assertRefusedWhileOtherFlows(CoapSecurity.x509Pem(pki.clientKey(), pki.clientCertificate(), pki.otherCa()),
                server);
    }

    @Test
    void when_rawPublicKeyTrusted_then_notificationsArriveOverDtls() throws IOException {
        LibcoapServer server = resources.add(LibcoapServer.start(LibcoapServer.GNUTLS_EXECUTABLE,
                LibcoapServer.freeUdpPortPair(), "-M", pki.serverRpk().toString()));

        assertObserved(CoapSecurity.rawPublicKey(pki.clientRpk(), List.of(pki.serverRpkPublic())),
                server.secureUri(TIME));
    }

    @Test
    void when_rawPublicKeyNotInTrustedList_then_resourceFailsVisiblyAndPlainResourceFlows() throws IOException {
        LibcoapServer server = resources.add(LibcoapServer.start(LibcoapServer.GNUTLS_EXECUTABLE,
                LibcoapServer.freeUdpPortPair(), "-M", pki.serverRpk().toString()));

        assertRefusedWhileOtherFlows(CoapSecurity.rawPublicKey(pki.clientRpk(), List.of(pki.otherRpkPublic())),
                server);
    }

    private void assertObserved(CoapSecurity security, String uri) {
        IList<CoapNotification> received = member.getList("dtls-" + UUID.randomUUID());
        Job job = run(CoapObserveSettings.of(security, uri), received);

        await().atMost(WAIT).untilAsserted(() -> assertThat(List.copyOf(received))
                .filteredOn(n -> n.resource().equals(uri)).hasSizeGreaterThanOrEqualTo(3));
        CoapNotification n = List.copyOf(received).get(0);
        assertThat(n.code()).isEqualTo("2.05");
        assertThat(n.observe()).isNotEqualTo(CoapNotification.NO_OBSERVE);
        assertThat(n.uriPath()).isEqualTo(TIME);
        assertThat(n.sourceHost()).isEqualTo("127.0.0.1");
        assertThat(n.payload()).isNotEmpty();
        assertThat(SourceJobs.value(job, "coapErrors", uri)).isZero();
    }

    private void assertRefusedWhileOtherFlows(CoapSecurity security, LibcoapServer server) {
        String secure = server.secureUri(TIME);
        String plain = server.uri(TIME);
        IList<CoapNotification> received = member.getList("dtls-" + UUID.randomUUID());
        Job job = run(CoapObserveSettings.of(security, secure, plain).toBuilder()
                .set(CoapObserveSettings.REOBSERVE_INITIAL_BACKOFF, Duration.ofMillis(200))
                .set(CoapObserveSettings.REOBSERVE_MAX_BACKOFF, Duration.ofSeconds(1))
                // libcoap drops a handshake with a wrong PSK without an alert: short flights notice it sooner.
                .set(CoapObserveSettings.ACK_TIMEOUT, Duration.ofMillis(300))
                .set(CoapObserveSettings.MAX_RETRANSMIT, 2).build(), received);

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(SourceJobs.value(job, "coapErrors", secure)).as("errors of %s", secure).isPositive();
            assertThat(SourceJobs.value(job, "coapReobservations", secure)).isPositive();
            assertThat(List.copyOf(received)).filteredOn(n -> n.resource().equals(plain))
                    .hasSizeGreaterThanOrEqualTo(3);
        });
        assertThat(List.copyOf(received)).noneMatch(n -> n.resource().equals(secure));
        assertThat(SourceJobs.value(job, "coapErrors", plain)).isZero();
    }


    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private Job run(CoapObserveSettings settings, IList<CoapNotification> into) {
        return SourceJobs.run(member, resources, CoapSources.observeNotifications(settings), into);
    }
}
