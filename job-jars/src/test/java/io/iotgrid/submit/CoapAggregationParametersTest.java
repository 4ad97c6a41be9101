package io.iotgrid.submit;

import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.config.ProcessingGuarantee;
import io.iotgrid.coap.CoapSecurity;
import io.iotgrid.coap.testing.TestPki;
import io.iotgrid.core.AlertRule;
import io.iotgrid.core.settings.SettingsReader;
import io.iotgrid.core.ReadingFormat;
import io.iotgrid.core.testing.JavaSerialization;
import io.iotgrid.jobs.AggregationSettings;
import io.iotgrid.sources.CoapDiscovery;
import io.iotgrid.sources.CoapObserveSettings;
import org.junit.jupiter.api.BeforeAll;
import io.iotgrid.jobs.JobSerializers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CoapAggregationParametersTest {

    private static final String URI = "coap.uris=coap://127.0.0.1:5683/sensors/s-1";
    private static final String SECURE_URI = "coap.uris=coaps://127.0.0.1:5684/sensors/s-1";

    @TempDir
    static Path pkiDir;
    private static TestPki pki;

    @BeforeAll
    static void makeKeys() throws IOException {
        pki = TestPki.create(pkiDir);
    }

    private static CoapAggregationParameters parse(String... args) {
        return CoapAggregationParameters.of(SettingsReader.arguments(args));
    }

    @Test
    void when_onlyUrisGiven_then_defaultsOfTheSettings() {
        CoapAggregationParameters p = parse(URI);

        assertThat(p.coap()).isEqualTo(CoapObserveSettings.of("coap://127.0.0.1:5683/sensors/s-1"));
        assertThat(p.coap().security()).isEqualTo(CoapSecurity.none());
        assertThat(p.settings()).isEqualTo(AggregationSettings.defaults());
        assertThat(p.job().jobName()).isEqualTo("iot-grid-coap-aggregation");
        assertThat(p.jobConfig().getProcessingGuarantee()).isEqualTo(ProcessingGuarantee.AT_LEAST_ONCE);
        assertThat(p.jobConfig().getSnapshotIntervalMillis()).isEqualTo(10_000);
        assertThat(p.jobConfig().getSerializerConfigs()).as("job-level serializers")
                .isEqualTo(JobSerializers.register(new JobConfig()).getSerializerConfigs());
    }

    @Test
    void when_fileThenOverrides_then_laterArgumentWinsWithTheKafkaJarsKeys(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("plant.properties");
        Files.writeString(file, """
                coap.uris = coap://127.0.0.1:5683/a, coap://127.0.0.1:5683/b
                window.size = 5m
                alert.rules = temperature>30;humidity<15
                reading.format = flat
                quiet.close.after = none
                job.processing.guarantee = exactly_once
                """);

        CoapAggregationParameters p = parse(file.toString(), "window.size=2m", "job.name=plant-7",
                "coap.confirmable=false", "place.stats.map=plant_places", "job.snapshot.interval=3s");

        assertThat(p.coap().resources()).containsExactly("coap://127.0.0.1:5683/a", "coap://127.0.0.1:5683/b");
        assertThat(p.coap().confirmable()).isFalse();
        assertThat(p.settings().windowSize()).isEqualTo(Duration.ofMinutes(2));
        assertThat(p.settings().alertRules())
                .containsExactly(AlertRule.parse("temperature>30"), AlertRule.parse("humidity<15"));
        assertThat(p.settings().format()).isEqualTo(ReadingFormat.flat());
        assertThat(p.settings().quietCloseAfter()).isNull();
        assertThat(p.settings().placeStatsMap()).isEqualTo("plant_places");
        assertThat(p.jobConfig().getName()).isEqualTo("plant-7");
        assertThat(p.job().guarantee()).isEqualTo(ProcessingGuarantee.EXACTLY_ONCE);
        assertThat(p.jobConfig().getSnapshotIntervalMillis()).isEqualTo(3_000);
    }

    @Test
    void when_everyObserveKeyGiven_then_settingsCarryEach() {
        CoapAggregationParameters p = parse("coap.discover=coap://127.0.0.1:5683,coap://127.0.0.2:5700/",
                "coap.discover.glob=/sensors/*", "coap.discover.observable.only=false",
                "coap.discover.resource.type=temperature", "coap.queue.capacity=50",
                "coap.reobserve.initial.backoff=200ms", "coap.reobserve.max.backoff=20s", "coap.max.age.margin=7s",
                "coap.registration.timeout=12s", "coap.ack.timeout=3s", "coap.max.retransmit=6",
                "coap.distributed=true", "coap.local.parallelism=2");

        assertThat(p.coap()).isEqualTo(CoapObserveSettings.builder()
                .set(CoapObserveSettings.DISCOVERIES, List.of(
                        new CoapDiscovery("coap://127.0.0.1:5683", "/sensors/*", false, "temperature"),
                        new CoapDiscovery("coap://127.0.0.2:5700", "/sensors/*", false, "temperature")))
                .set(CoapObserveSettings.SECURITY, CoapSecurity.none())
                .set(CoapObserveSettings.QUEUE_CAPACITY, 50)
                .set(CoapObserveSettings.CONFIRMABLE, true)
                .set(CoapObserveSettings.REOBSERVE_INITIAL_BACKOFF, Duration.ofMillis(200))
                .set(CoapObserveSettings.REOBSERVE_MAX_BACKOFF, Duration.ofSeconds(20))
                .set(CoapObserveSettings.MAX_AGE_MARGIN, Duration.ofSeconds(7))
                .set(CoapObserveSettings.REGISTRATION_TIMEOUT, Duration.ofSeconds(12))
                .set(CoapObserveSettings.ACK_TIMEOUT, Duration.ofSeconds(3))
                .set(CoapObserveSettings.MAX_RETRANSMIT, 6)
                .set(CoapObserveSettings.DISTRIBUTED, true)
                .set(CoapObserveSettings.LOCAL_PARALLELISM, 2)
                .build());
        assertThat(parse("coap.discover=coap://127.0.0.1", URI).coap().discoveries())
                .containsExactly(CoapDiscovery.of("coap://127.0.0.1"));
    }

    @Test
    void when_pskSecretInlineOrInFile_then_sameCredentials(@TempDir Path dir) throws IOException {
        Path secretFile = Files.writeString(dir.resolve("psk"), "s3cret\n");

        CoapAggregationParameters inline = parse(SECURE_URI, "coap.security=psk", "coap.psk.identity=gw-1",
                "coap.psk.secret=s3cret", "coap.cipher.suites=TLS_PSK_WITH_AES_128_CCM_8",
                "coap.bind.host=127.0.0.1", "coap.bind.port=0");
        CoapAggregationParameters fromFile = parse(SECURE_URI, "coap.security=PSK", "coap.psk.identity=gw-1",
                "coap.psk.secret.file=" + secretFile, "coap.cipher.suites=TLS_PSK_WITH_AES_128_CCM_8",
                "coap.bind.host=127.0.0.1");

        CoapSecurity expected = CoapSecurity.psk("gw-1", "s3cret".getBytes(StandardCharsets.UTF_8))
                .withCipherSuites(List.of("TLS_PSK_WITH_AES_128_CCM_8")).withBindAddress("127.0.0.1", 0);
        assertThat(inline.coap().security()).isEqualTo(expected);
        assertThat(fromFile.coap().security()).isEqualTo(expected);
        assertThat(fromFile.coap().resources()).containsExactly("coaps://127.0.0.1:5684/sensors/s-1");
    }

    @Test
    void when_x509PemFiles_then_readWhenParsedAndCarriedWithoutTheFiles(@TempDir Path dir) throws IOException {
        Path key = Files.copy(pki.clientKey(), dir.resolve("client.key"));
        Path chain = Files.copy(pki.clientCertificate(), dir.resolve("client.crt"));
        Path trusted = Files.copy(pki.ca(), dir.resolve("ca.pem"));

        CoapAggregationParameters p = parse(SECURE_URI, "coap.security=x509", "coap.x509.key=" + key,
                "coap.x509.chain=" + chain, "coap.x509.trusted=" + trusted);
        Files.delete(key);
        Files.delete(chain);
        Files.delete(trusted);

        assertThat(p.coap().security())
                .isEqualTo(CoapSecurity.x509Pem(pki.clientKey(), pki.clientCertificate(), pki.ca()));
        // What a member receives: the key material itself, the files are gone.
        assertThat(JavaSerialization.roundTrip(p.coap())).isEqualTo(p.coap());
        assertThat(JavaSerialization.roundTrip(p.settings())).isEqualTo(p.settings());
    }

    @Test
    void when_keyStores_then_x509CredentialsOfTheEntry() {
        char[] password = TestPki.PASSWORD.toCharArray();
        CoapAggregationParameters p = parse(SECURE_URI, "coap.security=keystore",
                "coap.keystore.path=" + pki.clientKeyStore(), "coap.keystore.password=" + TestPki.PASSWORD,
                "coap.keystore.alias=client", "coap.truststore.path=" + pki.trustStore(),
                "coap.truststore.password=" + TestPki.PASSWORD);

        assertThat(p.coap().security()).isEqualTo(
                CoapSecurity.keyStore(pki.clientKeyStore(), password, "client", pki.trustStore(), password));
        assertThat(p.coap().security().mode()).isEqualTo(CoapSecurity.Mode.X509);
    }

    @Test
    void when_rawPublicKeys_then_onlyTheListedServerKeysTrusted() {
        CoapAggregationParameters p = parse(SECURE_URI, "coap.security=rpk", "coap.rpk.keypair=" + pki.clientRpk(),
                "coap.rpk.trusted=" + pki.serverRpkPublic() + "," + pki.otherRpkPublic(),
                "coap.cipher.suites=TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8");

        assertThat(p.coap().security()).isEqualTo(CoapSecurity.rawPublicKey(pki.clientRpk(),
                        List.of(pki.serverRpkPublic(), pki.otherRpkPublic()))
                .withCipherSuites(List.of("TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8")));
        assertThat(p.coap().security().trustedPublicKeys()).hasSize(2);
    }

    @Test
    void when_badValues_then_messageNamesKeyAndValue() {
        String psk = "coap.security=psk";
        String identity = "coap.psk.identity=gw-1";
        String x509 = "coap.security=x509";
        String keyStore = "coap.security=keystore";
        String rpk = "coap.security=rpk";
        List<Case> cases = List.of(
                new Case(List.of(URI, "window.size=soon"), "window.size must be a duration", "'soon'"),
                new Case(List.of(URI, "window.size=0s"), "window.size must be at least 1ms", "'0s'"),
                new Case(List.of(URI, "window.size=5s"),
                        "early.results.period must be shorter than window.size", "was 5s"),
                new Case(List.of(URI, "alert.rules=temperature>>3"), "alert.rules must be ", "'temperature>>3'"),
                new Case(List.of(URI, "reading.format=xml"), "reading.format must be flat or nested", "'xml'"),
                new Case(List.of(URI, "sensor.stats.map=a", "place.stats.map=a"),
                        "sensor.stats.map and place.stats.map must differ", "'a'"),
                new Case(List.of(URI, "coap.queue.capacity=many"), "coap.queue.capacity must be a whole number",
                        "'many'"),
                new Case(List.of(URI, "coap.queue.capacity=0"), "coap.queue.capacity must be positive", "was '0'"),
                new Case(List.of(URI, "coap.confirmable=yes"), "coap.confirmable must be true or false", "'yes'"),
                new Case(List.of(URI, "coap.ack.timeout=0s"), "coap.ack.timeout must be positive", "'0s'"),
                new Case(List.of(URI, "coap.max.age.margin=later"), "coap.max.age.margin must be a duration",
                        "'later'"),
                new Case(List.of(URI, "coap.registration.timeout=0s"), "coap.registration.timeout must be positive",
                        "'0s'"),
                new Case(List.of(URI, "coap.max.retransmit=21"), "coap.max.retransmit must be 0 to 20", "'21'"),
                new Case(List.of(URI, "coap.reobserve.initial.backoff=2s", "coap.reobserve.max.backoff=1s"),
                        "coap.reobserve.max.backoff must be at least coap.reobserve.initial.backoff (2s)",
                        "was '1s'"),
                new Case(List.of(URI, "coap.local.parallelism=2"),
                        "coap.local.parallelism must be 1 unless coap.distributed=true", "was '2'"),
                new Case(List.of(URI, "coap.distributed=true", "coap.local.parallelism=0"),
                        "coap.local.parallelism must be at least 1", "was '0'"),
                new Case(List.of("coap.uris=http://127.0.0.1/a"), "coap.uris must be coap:// or coaps:// URIs",
                        "'http://127.0.0.1/a'"),
                new Case(List.of("coap.uris=coap://127.0.0.1/a,coap://127.0.0.1/a"),
                        "coap.uris must be URIs listed once each", "'coap://127.0.0.1/a,coap://127.0.0.1/a'"),
                new Case(List.of(SECURE_URI), "coap.uris has coaps:// URI 'coaps://127.0.0.1:5684/sensors/s-1' but "
                        + "coap.security is none", "psk"),
                new Case(List.of("coap.discover=coaps://127.0.0.1"), "coap.discover has coaps:// URI", "none"),
                new Case(List.of("coap.discover=coap://127.0.0.1/sensors"), "coap.discover must be URIs without path, "
                        + "query or fragment", "'coap://127.0.0.1/sensors'"),
                new Case(List.of("coap.discover=coap://127.0.0.1", "coap.discover.glob=sensors/*"),
                        "coap.discover.glob must be a path pattern starting with /", "'sensors/*'"),
                new Case(List.of(URI, "coap.discover.glob=/s/*"), "coap.discover.glob applies only with coap.discover",
                        "coap.discover"),
                new Case(List.of(URI, "coap.security=tls"), "coap.security must be none, psk, x509, keystore or rpk",
                        "'tls'"),
                new Case(List.of(URI, identity), "coap.psk.identity does not apply to coap.security=none", "none"),
                new Case(List.of(URI, "coap.cipher.suites=TLS_PSK_WITH_AES_128_CCM_8"),
                        "coap.cipher.suites applies only to DTLS", "coap.security"),
                new Case(List.of(SECURE_URI, psk, "coap.psk.secret=s"), "coap.psk.identity is required", "psk"),
                new Case(List.of(SECURE_URI, psk, identity), "coap.security=psk needs exactly one of coap.psk.secret "
                        + "and coap.psk.secret.file", "file"),
                new Case(List.of(SECURE_URI, psk, identity, "coap.psk.secret.file=no-such-psk"),
                        "coap.psk.secret.file must be a readable file", "'no-such-psk'"),
                new Case(List.of(SECURE_URI, psk, identity, "coap.psk.secret=s", "coap.x509.key=k.pem"),
                        "coap.x509.key does not apply to coap.security=psk", "psk"),
                new Case(List.of(SECURE_URI, psk, identity, "coap.psk.secret=s",
                        "coap.cipher.suites=TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8"),
                        "coap.cipher.suites must be cipher suites for coap.security=psk",
                        "'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8'"),
                new Case(List.of(SECURE_URI, psk, identity, "coap.psk.secret=s", "coap.cipher.suites=TLS_NOPE"),
                        "coap.cipher.suites must be cipher suites Scandium can negotiate", "'TLS_NOPE'"),
                new Case(List.of(SECURE_URI, psk, identity, "coap.psk.secret=s", "coap.bind.port=70000"),
                        "coap.bind.port must be 0 (ephemeral) to 65535", "'70000'"),
                new Case(List.of(SECURE_URI, x509, "coap.x509.key=" + pki.clientCertificate(),
                        "coap.x509.chain=" + pki.clientCertificate(), "coap.x509.trusted=" + pki.ca()),
                        "coap.x509.key '", "'" + pki.clientCertificate() + "' holds no PRIVATE KEY"),
                new Case(List.of(SECURE_URI, x509, "coap.x509.key=" + pki.serverKey(),
                        "coap.x509.chain=" + pki.clientCertificate(), "coap.x509.trusted=" + pki.ca()),
                        "coap.x509.key must be the private key of the first certificate of coap.x509.chain (CN=",
                        "was '" + pki.serverKey() + "'"),
                new Case(List.of(SECURE_URI, x509, "coap.x509.key=" + pki.clientKey(),
                        "coap.x509.chain=" + pki.clientKey(), "coap.x509.trusted=" + pki.ca()),
                        "coap.x509.chain '", "'" + pki.clientKey() + "' holds no CERTIFICATE"),
                new Case(List.of(SECURE_URI, x509, "coap.x509.key=" + pki.clientKey(),
                        "coap.x509.chain=" + pki.clientCertificate()), "coap.x509.trusted is required", "PEM"),
                new Case(List.of(SECURE_URI, keyStore, "coap.keystore.path=" + pki.clientKeyStore(),
                        "coap.keystore.password=wrong", "coap.truststore.path=" + pki.trustStore(),
                        "coap.truststore.password=" + TestPki.PASSWORD), "coap.keystore.path '" + pki.clientKeyStore(),
                        "wrong password"),
                new Case(List.of(SECURE_URI, keyStore, "coap.keystore.path=" + pki.clientKeyStore(),
                        "coap.keystore.password=" + TestPki.PASSWORD, "coap.keystore.alias=nobody",
                        "coap.truststore.path=" + pki.trustStore(), "coap.truststore.password=" + TestPki.PASSWORD),
                        "coap.keystore.path '" + pki.clientKeyStore(), "no key entry 'nobody'"),
                new Case(List.of(SECURE_URI, keyStore, "coap.keystore.path=" + pki.clientKeyStore(),
                        "coap.keystore.password=" + TestPki.PASSWORD, "coap.truststore.path=" + pki.trustStore(),
                        "coap.truststore.password=wrong"), "coap.truststore.path '" + pki.trustStore(),
                        "wrong password"),
                new Case(List.of(SECURE_URI, keyStore, "coap.keystore.path=" + pki.clientKeyStore(),
                        "coap.truststore.path=" + pki.trustStore()), "coap.keystore.password is required", "password"),
                new Case(List.of(SECURE_URI, rpk, "coap.rpk.keypair=" + pki.clientRpk(), "coap.rpk.trusted=" + pki.ca()),
                        "coap.rpk.trusted[0] '", "'" + pki.ca() + "' holds no PUBLIC KEY"),
                new Case(List.of(SECURE_URI, rpk, "coap.rpk.keypair=" + pki.ca(),
                        "coap.rpk.trusted=" + pki.serverRpkPublic()), "coap.rpk.keypair '", "'" + pki.ca() + "'"),
                new Case(List.of(SECURE_URI, rpk, "coap.rpk.keypair=" + pki.clientRpk()), "coap.rpk.trusted is required",
                        "PUBLIC KEY"),
                new Case(List.of(URI, "job.processing.guarantee=ALWAYS"), "job.processing.guarantee must be one of",
                        "'ALWAYS'"),
                new Case(List.of(URI, "job.snapshot.interval=0ms"), "job.snapshot.interval must be at least 1ms",
                        "'0ms'"));

        cases.forEach(c -> assertThatThrownBy(() -> parse(c.args().toArray(String[]::new)),
                        String.join(" ", c.args()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(c.messageStart())
                .hasMessageContaining(c.value()));
    }

    @Test
    void when_kubernetesExampleProperties_then_parsed() {
        // The file k8s/submit-job.yaml hands to this main: it must not drift from the keys.
        CoapAggregationParameters p = parse(Path.of("..", "k8s", "coap-aggregation.properties").toString());

        assertThat(p.coap().resources()).hasSize(2);
        assertThat(p.settings().windowSize()).isEqualTo(Duration.ofMinutes(1));
        assertThat(p.job().guarantee()).isEqualTo(ProcessingGuarantee.AT_LEAST_ONCE);
    }

    @Test
    void when_noResourceAndNoDiscovery_then_messageNamesBothKeys() {
        assertThatThrownBy(() -> parse("window.size=1m"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("coap.uris or coap.discover is required");
    }

    @Test
    void when_unknownKeyOrOldKeyOrStrayArgument_then_rejectedNamingIt() {
        assertThatThrownBy(() -> parse(URI, "coapUris=coap://127.0.0.1/a", "windowSize=1m", "coap.psk.key=x"))
                .hasMessageStartingWith("unknown keys [coap.psk.key, coapUris, windowSize]; known keys are [")
                .hasMessageContaining("coap.psk.secret.file")
                .hasMessageContaining("window.size");
        assertThatThrownBy(() -> parse(URI, "no-such-file.properties"))
                .hasMessageContaining("'no-such-file.properties' is neither key=value nor a properties file");
    }

    @Test
    void when_secretsParsed_then_toStringHidesThem() {
        CoapAggregationParameters p = parse(SECURE_URI, "coap.security=psk", "coap.psk.identity=gw-1",
                "coap.psk.secret=do-not-print");

        assertThat(p.toString()).doesNotContain("do-not-print")
                .doesNotContain(Base64.getEncoder().encodeToString(
                        "do-not-print".getBytes(StandardCharsets.UTF_8)));
        assertThat(Arrays.equals(p.coap().security().pskSecretBytes(),
                "do-not-print".getBytes(StandardCharsets.UTF_8))).isTrue();
    }

    private record Case(List<String> args, String messageStart, String value) {
    }
}
