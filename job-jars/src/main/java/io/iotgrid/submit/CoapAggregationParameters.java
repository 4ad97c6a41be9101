package io.iotgrid.submit;

import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.config.ProcessingGuarantee;
import io.iotgrid.coap.CoapSecurity;
import io.iotgrid.jobs.AggregationSettings;
import io.iotgrid.sources.CoapDiscovery;
import io.iotgrid.sources.CoapObserveSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What {@link CoapAggregationSubmit} submits, read from {@link JobArguments}: {@code coap.*} keys for the source
 * ({@link CoapObserveSettings}, {@link CoapSecurity}, {@link CoapDiscovery}), the keys of
 * {@link AggregationSettings#fromProperties} for the aggregation and {@code job.*} for the job, as the Kafka
 * aggregation jar takes them. Defaults are those of the settings (the README's "Run on your own cluster" lists every
 * key):
 * <pre>
 * coap.uris                 coap:// or coaps:// resources, comma-separated; required unless coap.discover is given
 * coap.discover             coap:// or coaps:// servers whose /.well-known/core lists resources, comma-separated
 * coap.discover.glob /**, coap.discover.observable.only true, coap.discover.resource.type any
 * coap.confirmable true, coap.queue.capacity 10000, coap.reobserve.initial.backoff 1s,
 * coap.reobserve.max.backoff 60s, coap.max.age.margin 5s, coap.registration.timeout 30s, coap.ack.timeout 2s,
 * coap.max.retransmit 4, coap.distributed false, coap.local.parallelism 1
 * coap.security             none (psk, x509, keystore, rpk) with its keys:
 *   psk       coap.psk.identity, coap.psk.secret or coap.psk.secret.file
 *   x509      coap.x509.key, coap.x509.chain, coap.x509.trusted             (PEM files)
 *   keystore  coap.keystore.path, coap.keystore.password, coap.keystore.alias (optional),
 *             coap.truststore.path, coap.truststore.password
 *   rpk       coap.rpk.keypair, coap.rpk.trusted (comma-separated PEM files)
 * coap.cipher.suites        Scandium's choice      coap.bind.host, coap.bind.port   automatic, 0 (DTLS socket)
 * reading.format nested, window.size 1m, allowed.lateness 5s, early.results.period 5s, quiet.close.after 30s,
 * alert.rules none (;-separated), sensor.stats.map sensor_stats, place.stats.map place_stats,
 * readings.ringbuffer sensor_readings, alerts.topic sensor_alerts, dead.letters.map dead_letters
 * job.name iot-grid-coap-aggregation, job.processing.guarantee at_least_once (none, exactly_once),
 * job.snapshot.interval 10s
 * </pre>
 * Key files are read here, on the machine that parses the parameters (where {@code hz-cli} runs); their content
 * travels with the job, so the members need none.
 *
 * @param coap              the CoAP resources, how to observe them and the DTLS credentials
 * @param settings          the aggregation job's settings
 * @param jobName           the job's name: a cluster runs one job of a name at a time
 * @param guarantee         the job's processing guarantee
 * @param snapshotInterval  how often a snapshot is taken, when the guarantee is not NONE
 */
public record CoapAggregationParameters(CoapObserveSettings coap, AggregationSettings settings, String jobName,
                                        ProcessingGuarantee guarantee, Duration snapshotInterval) {

    public static final String DEFAULT_JOB_NAME = "iot-grid-coap-aggregation";

    static final String URIS = "coap.uris";
    static final String DISCOVER = "coap.discover";
    static final String DISCOVER_GLOB = "coap.discover.glob";
    static final String DISCOVER_OBSERVABLE_ONLY = "coap.discover.observable.only";
    static final String DISCOVER_RESOURCE_TYPE = "coap.discover.resource.type";
    static final String CONFIRMABLE = "coap.confirmable";
    static final String QUEUE_CAPACITY = "coap.queue.capacity";
    static final String REOBSERVE_INITIAL_BACKOFF = "coap.reobserve.initial.backoff";
    static final String REOBSERVE_MAX_BACKOFF = "coap.reobserve.max.backoff";
    static final String MAX_AGE_MARGIN = "coap.max.age.margin";
    static final String REGISTRATION_TIMEOUT = "coap.registration.timeout";
    static final String ACK_TIMEOUT = "coap.ack.timeout";
    static final String MAX_RETRANSMIT = "coap.max.retransmit";
    static final String DISTRIBUTED = "coap.distributed";
    static final String LOCAL_PARALLELISM = "coap.local.parallelism";
    static final String SECURITY = "coap.security";
    static final String PSK_IDENTITY = "coap.psk.identity";
    static final String PSK_SECRET = "coap.psk.secret";
    static final String PSK_SECRET_FILE = "coap.psk.secret.file";
    static final String X509_KEY = "coap.x509.key";
    static final String X509_CHAIN = "coap.x509.chain";
    static final String X509_TRUSTED = "coap.x509.trusted";
    static final String KEYSTORE_PATH = "coap.keystore.path";
    static final String KEYSTORE_PASSWORD = "coap.keystore.password";
    static final String KEYSTORE_ALIAS = "coap.keystore.alias";
    static final String TRUSTSTORE_PATH = "coap.truststore.path";
    static final String TRUSTSTORE_PASSWORD = "coap.truststore.password";
    static final String RPK_KEYPAIR = "coap.rpk.keypair";
    static final String RPK_TRUSTED = "coap.rpk.trusted";
    static final String CIPHER_SUITES = "coap.cipher.suites";
    static final String BIND_HOST = "coap.bind.host";
    static final String BIND_PORT = "coap.bind.port";
    static final String JOB_NAME = "job.name";
    static final String GUARANTEE = "job.processing.guarantee";
    static final String SNAPSHOT_INTERVAL = "job.snapshot.interval";

    /** The credentials' keys per {@code coap.security} value, each valid only with its mode. */
    private static final Map<String, List<String>> SECURITY_KEYS = Map.of(
            "none", List.of(),
            "psk", List.of(PSK_IDENTITY, PSK_SECRET, PSK_SECRET_FILE),
            "x509", List.of(X509_KEY, X509_CHAIN, X509_TRUSTED),
            "keystore", List.of(KEYSTORE_PATH, KEYSTORE_PASSWORD, KEYSTORE_ALIAS, TRUSTSTORE_PATH,
                    TRUSTSTORE_PASSWORD),
            "rpk", List.of(RPK_KEYPAIR, RPK_TRUSTED));

    /** Keys of {@link AggregationSettings#fromProperties}. */
    static final Set<String> AGGREGATION_KEYS = Set.of("reading.format", "window.size", "allowed.lateness",
            "early.results.period", "quiet.close.after", "alert.rules", "sensor.stats.map", "place.stats.map",
            "readings.ringbuffer", "alerts.topic", "dead.letters.map");

    static final Set<String> KEYS = Stream.of(
            Stream.of(URIS, DISCOVER, DISCOVER_GLOB, DISCOVER_OBSERVABLE_ONLY, DISCOVER_RESOURCE_TYPE, CONFIRMABLE,
                    QUEUE_CAPACITY, REOBSERVE_INITIAL_BACKOFF, REOBSERVE_MAX_BACKOFF, MAX_AGE_MARGIN,
                    REGISTRATION_TIMEOUT, ACK_TIMEOUT, MAX_RETRANSMIT, DISTRIBUTED, LOCAL_PARALLELISM, SECURITY,
                    CIPHER_SUITES, BIND_HOST, BIND_PORT, JOB_NAME, GUARANTEE, SNAPSHOT_INTERVAL),
            SECURITY_KEYS.values().stream().flatMap(List::stream),
            AGGREGATION_KEYS.stream()).flatMap(s -> s).collect(Collectors.toUnmodifiableSet());

    /**
     * The keys of the values that the settings' own checks name by their Java names (at the start of their
     * messages), so a message names the key the user wrote.
     */
    private static final Map<String, String> AGGREGATION_NAMES = Map.of(
            "unknown reading format", "reading.format", "windowSize", "window.size",
            "allowedLateness", "allowed.lateness", "earlyResultsPeriod", "early.results.period",
            "quietCloseAfter", "quiet.close.after", "alert rule", "alert.rules",
            "sensorStatsMap", "sensor.stats.map", "placeStatsMap", "place.stats.map",
            "readingsRingbuffer", "readings.ringbuffer", "alertsTopic", "alerts.topic");
    private static final Map<String, String> OBSERVE_NAMES = Map.ofEntries(
            Map.entry("resources", URIS), Map.entry("discovery server", DISCOVER),
            Map.entry("discovery pathGlob", DISCOVER_GLOB), Map.entry("discovery resourceType", DISCOVER_RESOURCE_TYPE),
            Map.entry("queueCapacity", QUEUE_CAPACITY), Map.entry("reobserveInitialBackoff", REOBSERVE_INITIAL_BACKOFF),
            Map.entry("reobserveMaxBackoff", REOBSERVE_MAX_BACKOFF), Map.entry("maxAgeMargin", MAX_AGE_MARGIN),
            Map.entry("registrationTimeout", REGISTRATION_TIMEOUT), Map.entry("ackTimeout", ACK_TIMEOUT),
            Map.entry("maxRetransmit", MAX_RETRANSMIT), Map.entry("localParallelism", LOCAL_PARALLELISM));
    private static final Map<String, String> SECURITY_NAMES = Map.ofEntries(
            Map.entry("pskIdentity", PSK_IDENTITY), Map.entry("pskSecret", PSK_SECRET),
            Map.entry("privateKeyPem", X509_KEY), Map.entry("certificateChainPem", X509_CHAIN),
            Map.entry("trustedCertificatesPem", X509_TRUSTED), Map.entry("keyStore", KEYSTORE_PATH),
            Map.entry("trustStore", TRUSTSTORE_PATH), Map.entry("ownKeyPairPem", RPK_KEYPAIR),
            Map.entry("trustedServerKeysPem", RPK_TRUSTED), Map.entry("cipherSuites", CIPHER_SUITES),
            Map.entry("bindHost", BIND_HOST), Map.entry("bindPort", BIND_PORT));

    public CoapAggregationParameters {
        if (jobName == null || jobName.isBlank()) {
            throw new IllegalArgumentException(JOB_NAME + " must not be blank, was '" + jobName + "'");
        }
        if (snapshotInterval == null || snapshotInterval.toMillis() < 1) {
            throw new IllegalArgumentException(SNAPSHOT_INTERVAL + " must be at least 1 ms, was " + snapshotInterval);
        }
    }

    /**
     * Reads and validates the parameters, reading the key files of {@code coap.security}; a bad, unknown or
     * misplaced key fails with a message that names it.
     */
    public static CoapAggregationParameters of(JobArguments args) {
        args.rejectUnknown(KEYS);
        AggregationSettings settings = named(AGGREGATION_NAMES,
                () -> AggregationSettings.fromProperties(args.asProperties()));
        return new CoapAggregationParameters(observeSettings(args), settings, args.string(JOB_NAME, DEFAULT_JOB_NAME),
                args.guarantee(GUARANTEE, ProcessingGuarantee.AT_LEAST_ONCE),
                args.duration(SNAPSHOT_INTERVAL, Duration.ofSeconds(10)));
    }

    /** The job's configuration: name, processing guarantee and snapshot interval. */
    public JobConfig jobConfig() {
        return Submission.jobConfig(jobName, guarantee, snapshotInterval);
    }

    private static CoapObserveSettings observeSettings(JobArguments args) {
        List<String> uris = args.list(URIS);
        List<CoapDiscovery> discoveries = discoveries(args);
        if (uris.isEmpty() && discoveries.isEmpty()) {
            throw new IllegalArgumentException(URIS + " or " + DISCOVER + " is required: the coap:// or coaps:// "
                    + "resources to observe, or servers that list them, comma-separated");
        }
        CoapSecurity security = security(args);
        if (!security.secure()) {
            Stream.concat(uris.stream().map(u -> Map.entry(URIS, u)),
                            discoveries.stream().map(d -> Map.entry(DISCOVER, d.server())))
                  .filter(e -> e.getValue().toLowerCase(Locale.ROOT).startsWith("coaps:"))
                  .findFirst()
                  .ifPresent(e -> {
                      throw new IllegalArgumentException(e.getKey() + " has coaps:// URI '" + e.getValue()
                              + "' but " + SECURITY + " is none: set it to psk, x509, keystore or rpk");
                  });
        }
        boolean distributed = args.bool(DISTRIBUTED, false);
        int localParallelism = args.integer(LOCAL_PARALLELISM, 1);
        if (!distributed && localParallelism != 1) {
            throw new IllegalArgumentException(LOCAL_PARALLELISM + " applies only with " + DISTRIBUTED
                    + "=true, was " + localParallelism);
        }
        return named(OBSERVE_NAMES, () -> new CoapObserveSettings(uris, discoveries, security,
                args.integer(QUEUE_CAPACITY, CoapObserveSettings.DEFAULT_QUEUE_CAPACITY),
                args.bool(CONFIRMABLE, true),
                args.duration(REOBSERVE_INITIAL_BACKOFF, CoapObserveSettings.DEFAULT_REOBSERVE_INITIAL_BACKOFF),
                args.duration(REOBSERVE_MAX_BACKOFF, CoapObserveSettings.DEFAULT_REOBSERVE_MAX_BACKOFF),
                args.duration(MAX_AGE_MARGIN, CoapObserveSettings.DEFAULT_MAX_AGE_MARGIN),
                args.duration(REGISTRATION_TIMEOUT, CoapObserveSettings.DEFAULT_REGISTRATION_TIMEOUT),
                args.duration(ACK_TIMEOUT, CoapObserveSettings.DEFAULT_ACK_TIMEOUT),
                args.integer(MAX_RETRANSMIT, CoapObserveSettings.DEFAULT_MAX_RETRANSMIT),
                distributed, localParallelism));
    }

    private static List<CoapDiscovery> discoveries(JobArguments args) {
        List<String> servers = args.list(DISCOVER);
        if (servers.isEmpty()) {
            for (String key : List.of(DISCOVER_GLOB, DISCOVER_OBSERVABLE_ONLY, DISCOVER_RESOURCE_TYPE)) {
                if (args.string(key, null) != null) {
                    throw new IllegalArgumentException(key + " applies only with " + DISCOVER);
                }
            }
            return List.of();
        }
        String glob = args.string(DISCOVER_GLOB, CoapDiscovery.DEFAULT_PATH_GLOB);
        boolean observableOnly = args.bool(DISCOVER_OBSERVABLE_ONLY, true);
        String resourceType = args.string(DISCOVER_RESOURCE_TYPE, null);
        return named(OBSERVE_NAMES, () -> servers.stream()
                .map(server -> new CoapDiscovery(server, glob, observableOnly, resourceType)).toList());
    }

    private static CoapSecurity security(JobArguments args) {
        String mode = args.string(SECURITY, "none").toLowerCase(Locale.ROOT);
        List<String> modeKeys = SECURITY_KEYS.get(mode);
        if (modeKeys == null) {
            throw new IllegalArgumentException(SECURITY + " must be none, psk, x509, keystore or rpk, was '"
                    + args.string(SECURITY, "") + "'");
        }
        SECURITY_KEYS.values().stream().flatMap(List::stream)
                     .filter(key -> !modeKeys.contains(key) && args.string(key, null) != null)
                     .findFirst()
                     .ifPresent(key -> {
                         throw new IllegalArgumentException(key + " does not apply to " + SECURITY + "=" + mode);
                     });
        if (mode.equals("none")) {
            for (String key : List.of(CIPHER_SUITES, BIND_HOST, BIND_PORT)) {
                if (args.string(key, null) != null) {
                    throw new IllegalArgumentException(key + " applies only to DTLS: set " + SECURITY);
                }
            }
            return CoapSecurity.none();
        }
        // The credentials' own checks call the private key "privateKey", whichever file it came from.
        Map<String, String> names = new HashMap<>(SECURITY_NAMES);
        names.put("privateKey", switch (mode) {
            case "rpk" -> RPK_KEYPAIR;
            case "keystore" -> KEYSTORE_PATH;
            default -> X509_KEY;
        });
        CoapSecurity credentials = named(names, () -> switch (mode) {
            case "psk" -> CoapSecurity.psk(args.required(PSK_IDENTITY, "the PSK identity for " + SECURITY + "=psk"),
                    pskSecret(args));
            case "x509" -> CoapSecurity.x509Pem(file(args, X509_KEY, "the client's private key, PEM"),
                    file(args, X509_CHAIN, "the client's certificate chain, PEM, leaf first"),
                    file(args, X509_TRUSTED, "the certificates the server's chain must lead to, PEM"));
            case "keystore" -> CoapSecurity.keyStore(
                    file(args, KEYSTORE_PATH, "the PKCS12 or JKS key store with the client's key entry"),
                    args.required(KEYSTORE_PASSWORD, "the key store's password").toCharArray(),
                    args.string(KEYSTORE_ALIAS, null),
                    file(args, TRUSTSTORE_PATH, "the PKCS12 or JKS store of trusted certificates"),
                    args.required(TRUSTSTORE_PASSWORD, "the trust store's password").toCharArray());
            case "rpk" -> CoapSecurity.rawPublicKey(file(args, RPK_KEYPAIR, "the client's PEM key pair"),
                    files(args, RPK_TRUSTED, "the PEM public keys of the servers to trust, comma-separated"));
            default -> throw new IllegalStateException("no credentials for " + SECURITY + "=" + mode);
        });
        int bindPort = args.integer(BIND_PORT, 0);
        return named(names, () -> credentials.withCipherSuites(args.list(CIPHER_SUITES))
                                             .withBindAddress(args.string(BIND_HOST, null), bindPort));
    }

    private static byte[] pskSecret(JobArguments args) {
        String secret = args.string(PSK_SECRET, null);
        String file = args.string(PSK_SECRET_FILE, null);
        if ((secret == null) == (file == null)) {
            throw new IllegalArgumentException(SECURITY + "=psk needs exactly one of " + PSK_SECRET + " and "
                    + PSK_SECRET_FILE);
        }
        if (secret != null) {
            return secret.getBytes(StandardCharsets.UTF_8);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(Path.of(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(PSK_SECRET_FILE + " '" + file + "' cannot be read: " + e);
        }
        // Editors and `echo` end the file with a line break that is not part of the secret.
        int length = bytes.length;
        while (length > 0 && (bytes[length - 1] == '\n' || bytes[length - 1] == '\r')) {
            length--;
        }
        if (length == 0) {
            throw new IllegalArgumentException(PSK_SECRET_FILE + " '" + file + "' is empty");
        }
        return Arrays.copyOf(bytes, length);
    }

    private static Path file(JobArguments args, String key, String what) {
        return Path.of(args.required(key, what));
    }

    private static List<Path> files(JobArguments args, String key, String what) {
        args.required(key, what);
        return args.list(key).stream().map(Path::of).toList();
    }

    /**
     * {@code build.get()}, with the key put before the message of an {@link IllegalArgumentException} that starts
     * with one of {@code keyByName}'s names (the longest that matches).
     */
    private static <T> T named(Map<String, String> keyByName, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            String matched = null;
            for (String name : keyByName.keySet()) {
                if (message.startsWith(name) && (matched == null || name.length() > matched.length())) {
                    matched = name;
                }
            }
            if (matched == null) {
                throw e;
            }
            throw new IllegalArgumentException(keyByName.get(matched) + ": " + message, e);
        }
    }
}
