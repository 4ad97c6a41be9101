package io.iotgrid.sinks;

import com.hazelcast.jet.Job;
import com.hazelcast.jet.core.JobStatus;
import com.hazelcast.jet.core.metrics.Measurement;
import com.hazelcast.map.IMap;
import io.iotgrid.coap.CoapEndpoints;
import io.iotgrid.coap.CoapSecurity;
import io.iotgrid.coap.testing.TestPki;
import io.iotgrid.core.DeadLetter;
import io.iotgrid.core.testing.Resources;
import io.iotgrid.sources.LibcoapServer;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.iotgrid.sinks.CoapSinkSettings.BIND_ADDRESS;
import static io.iotgrid.sinks.CoapSinkSettings.DEAD_LETTERS_MAP;
import static io.iotgrid.sinks.CoapSinkSettings.ERROR_POLICY;
import static io.iotgrid.sinks.CoapSinkSettings.MAX_RETRIES;
import static io.iotgrid.sinks.CoapSinkSettings.REQUEST_TIMEOUT;
import static io.iotgrid.sinks.CoapSinkSettings.RETRY_INTERVAL;
import static io.iotgrid.sinks.CoapSinkSettings.SECURITY;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link CoapSinks#json} to {@code coaps://} resources of libcoap's DTLS servers ({@code -d 10}: a PUT creates the
 * resource, later ones replace its value), OpenSSL for PSK and X.509, GnuTLS for raw public keys, with keys and
 * certificates made by {@code openssl} for the test. What the sink PUT is read back with a GET over DTLS. A refused
 * handshake is a failed request under the error policy, and its dead letter or the job's failure says so.
 */
@Timeout(90)
class LibcoapDtlsSinkIT {

    private static final int PORT = 6450;
    private static final List<String> SENSORS = List.of("dtls-1", "dtls-2");
    private static final byte[] SECRET = "secret".getBytes(UTF_8);
    /** Loopback only; failures show within a second or two. */
    private static final CoapSinkSettings LOCAL = CoapSinkSettings.builder()
            .set(BIND_ADDRESS, "127.0.0.1").set(REQUEST_TIMEOUT, Duration.ofSeconds(2)).build();

    @TempDir
    static Path keys;
    private static TestPki pki;
    private static TestCluster cluster;

    @RegisterExtension
    final Resources resources = new Resources();

    @BeforeAll
    static void start() throws IOException {
        pki = TestPki.create(keys);
        // Job metrics show the retries within a second instead of the configured five.
        cluster = TestCluster.start("libcoap-dtls-sink-it", PORT,
                config -> config.getMetricsConfig().setCollectionFrequencySeconds(1));
    }

    @AfterAll
    static void stop() {
        cluster.close();
        assertThat(Path.of("Californium3.properties")).doesNotExist();
    }

    @Test
    void when_itemsPutOverDtlsWithPsk_then_eachResourceHoldsItsLastItem() throws Exception {
        LibcoapServer server = resources.add(LibcoapServer.start(LibcoapServer.freeUdpPortPair(), "-d", "10",
                "-k", "secret", "-h", "hint"));

        assertDelivered(server, CoapSecurity.psk("iot-grid", SECRET));
    }

    @Test
    void when_itemsPutOverDtlsWithX509_then_eachResourceHoldsItsLastItem() throws Exception {
        LibcoapServer server = resources.add(LibcoapServer.start(LibcoapServer.freeUdpPortPair(), "-d", "10",
                "-c", pki.serverCertificate().toString(), "-j", pki.serverKey().toString(),
                "-C", pki.ca().toString()));

        assertDelivered(server, CoapSecurity.x509Pem(pki.clientKey(), pki.clientCertificate(), pki.ca()));
    }

    @Test
    void when_itemsPutOverDtlsWithRawPublicKey_then_eachResourceHoldsItsLastItem() throws Exception {
        LibcoapServer server = resources.add(LibcoapServer.start(LibcoapServer.GNUTLS_EXECUTABLE,
                LibcoapServer.freeUdpPortPair(), "-d", "10", "-M", pki.serverRpk().toString()));

        assertDelivered(server, CoapSecurity.rawPublicKey(pki.clientRpk(), List.of(pki.serverRpkPublic())));
    }

    @Test
    void when_pskWrongUnderNoop_then_deadLettersNameTheUriAndTheHandshake() throws Exception {
        LibcoapServer server = resources.add(LibcoapServer.start(LibcoapServer.freeUdpPortPair(), "-d", "10",
                "-k", "secret", "-h", "hint"));
        List<Reading> input = Reading.sequence(2, SENSORS);
        String sensors = server.secureUri("/sensors/");

        Job job = cluster.submit(input, CoapSinks.json(r -> sensors + r.sensorId(),
                LOCAL.toBuilder().set(SECURITY, CoapSecurity.psk("iot-grid", "not-the-secret".getBytes(UTF_8)))
                     .set(ERROR_POLICY, ErrorPolicy.NOOP).set(DEAD_LETTERS_MAP, "dead-dtls-psk").build()));
        job.join();

        IMap<String, DeadLetter> deadLetters = cluster.client().getMap("dead-dtls-psk");
        assertThat(deadLetters.values()).extracting(d -> Reading.parse(new String(d.payload(), UTF_8)))
                                        .containsExactlyInAnyOrderElementsOf(input);
        assertThat(deadLetters.values()).allSatisfy(d -> {
            assertThat(d.source()).startsWith(sensors);
            assertThat(d.reason()).startsWith("PUT " + d.source() + " failed in the DTLS handshake: ");
        });
    }

    @Test
    void when_serverCertificateUntrustedUnderRetry_then_retriedAndThenDeadLettered() throws Exception {
        LibcoapServer server = resources.add(LibcoapServer.start(LibcoapServer.freeUdpPortPair(), "-d", "10",
                "-c", pki.serverCertificate().toString(), "-j", pki.serverKey().toString(),
                "-C", pki.ca().toString()));
        List<Reading> input = Reading.sequence(2, SENSORS);
        String sensors = server.secureUri("/sensors/");

        Job job = cluster.submit(input, CoapSinks.json(r -> sensors + r.sensorId(),
                LOCAL.toBuilder()
                     .set(SECURITY, CoapSecurity.x509Pem(pki.clientKey(), pki.clientCertificate(), pki.otherCa()))
                     .set(ERROR_POLICY, ErrorPolicy.RETRY).set(MAX_RETRIES, 1)
                     .set(RETRY_INTERVAL, Duration.ofMillis(100))
                     .set(DEAD_LETTERS_MAP, "dead-dtls-x509").build()));
        job.join();

        IMap<String, DeadLetter> deadLetters = cluster.client().getMap("dead-dtls-x509");
        assertThat(deadLetters.values()).extracting(d -> Reading.parse(new String(d.payload(), UTF_8)))
                                        .containsExactlyInAnyOrderElementsOf(input);
        assertThat(deadLetters.values()).allSatisfy(d -> assertThat(d.reason())
                .startsWith("PUT " + d.source() + " failed in the DTLS handshake: ")
                .endsWith(", given up after 1 retries"));
        assertThat(job.getMetrics().get("retriedRequests").stream().mapToLong(Measurement::value).sum())
                .isEqualTo(input.size());
    }

    @Test
    void when_serverKeyNotTrustedUnderThrow_then_jobFailsNamingTheUriAndTheHandshake() throws Exception {
        LibcoapServer server = resources.add(LibcoapServer.start(LibcoapServer.GNUTLS_EXECUTABLE,
                LibcoapServer.freeUdpPortPair(), "-d", "10", "-M", pki.serverRpk().toString()));
        String uri = server.secureUri("/sensors/dtls-1");

        Job job = cluster.submit(Reading.sequence(1, SENSORS), CoapSinks.json(r -> uri,
                LOCAL.toBuilder().set(SECURITY, CoapSecurity.rawPublicKey(pki.clientRpk(),
                        List.of(pki.otherRpkPublic()))).build()));

        assertThatThrownBy(job::join).hasStackTraceContaining("coapSink(PUT CON) failed to send an item: PUT " + uri
                + " failed in the DTLS handshake: ");
        assertThat(job.getStatus()).isEqualTo(JobStatus.FAILED);
    }

    /** PUTs readings over DTLS under THROW, then reads each resource back with a GET over DTLS. */
    private void assertDelivered(LibcoapServer server, CoapSecurity security) throws Exception {
        List<Reading> input = Reading.sequence(12, SENSORS);
        String sensors = server.secureUri("/sensors/");

        // Under THROW the job completes only if libcoap answered every PUT with 2.xx (2.01, then 2.04).
        cluster.submit(input, CoapSinks.json(r -> sensors + r.sensorId(),
                LOCAL.toBuilder().set(SECURITY, security).build())).join();

        CoapEndpoint endpoint = CoapEndpoints.client("coaps", security, CoapEndpoints.configuration(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        resources.onClose(endpoint::destroy);
        endpoint.start();
        LastItems.assertEachResourceHoldsItsLastItem(endpoint, sensors, input);
    }
}
