package io.iotgrid.kcql;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.SocketOptions;
import io.iotgrid.sinks.ErrorPolicy;
import io.iotgrid.sinks.GridSinkSettings;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * The {@code connect.hazelcast.*} properties of stream-reactor's Hazelcast sink, turned into what
 * {@link KcqlSinks} needs: the statements and the sink settings. Keys keep their old meaning and defaults;
 * where the old sink did something else than it said, the README's "Coming from stream-reactor" section says
 * what changes.
 *
 * @param statements the parsed {@code connect.hazelcast.kcql}
 * @param settings   error policy, retries and target cluster for every statement's sink
 * @param warnings   one sentence per key that is accepted but has no effect, to log at job start
 */
public record StreamReactorProperties(List<KcqlStatement> statements, GridSinkSettings settings,
                                      List<String> warnings) {

    static final String PREFIX = "connect.hazelcast.";
    static final String KCQL = PREFIX + "kcql";
    static final String CLUSTER_MEMBERS = PREFIX + "cluster.members";
    static final String CLUSTER_NAME = PREFIX + "cluster.name";
    static final String ERROR_POLICY = PREFIX + "error.policy";
    static final String MAX_RETRIES = PREFIX + "max.retries";
    static final String RETRY_INTERVAL = PREFIX + "retry.interval";
    static final String PARALLEL_WRITE = PREFIX + "parallel.write";
    static final String THREAD_POOL_SIZE = PREFIX + "threadpool.size";
    static final String SSL_ENABLED = PREFIX + "ssl.enabled";

    /** Defaults of the old sink, kept so an old file means the same thing. */
    static final int DEFAULT_MAX_RETRIES = 20;
    static final long DEFAULT_RETRY_INTERVAL_MS = 60_000;

    /** Keys the old sink defined and documented but never applied to its client. */
    private static final Set<String> NEVER_APPLIED = Set.of(PREFIX + "timeout", PREFIX + "retries");
    /** Socket options the old sink applied to its client, applied here the same way. */
    private static final Set<String> SOCKET_OPTIONS = Set.of(PREFIX + "keep.alive", PREFIX + "tcp.no.delay",
            PREFIX + "reuse.address", PREFIX + "linger.seconds", PREFIX + "buffer.size");
    private static final Set<String> KNOWN = Set.of(KCQL, CLUSTER_MEMBERS, CLUSTER_NAME, ERROR_POLICY, MAX_RETRIES,
            RETRY_INTERVAL, PARALLEL_WRITE, THREAD_POOL_SIZE, SSL_ENABLED);

    public StreamReactorProperties {
        statements = List.copyOf(statements);
        warnings = List.copyOf(warnings);
    }

    /** Reads a properties file in the old format. */
    public static StreamReactorProperties load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return of(p);
    }

    /**
     * Maps old keys to settings; fails with a message naming the key for a missing {@code kcql}, a bad number,
     * an unknown error policy, {@code ssl.enabled=true} (TLS needs Hazelcast Enterprise) or a
     * {@code cluster.members} without {@code cluster.name}.
     */
    public static StreamReactorProperties of(Properties p) {
        List<String> warnings = new ArrayList<>();
        String kcql = p.getProperty(KCQL);
        if (kcql == null || kcql.isBlank()) {
            throw new IllegalArgumentException(KCQL + " is required: the KCQL statements that route records");
        }
        List<KcqlStatement> statements = KcqlStatement.parseAll(kcql);

        GridSinkSettings settings = GridSinkSettings.defaults()
                .withErrorPolicy(errorPolicy(p.getProperty(ERROR_POLICY, "THROW")))
                .withMaxRetries(intValue(p, MAX_RETRIES, DEFAULT_MAX_RETRIES))
                .withRetryInterval(Duration.ofMillis(longValue(p, RETRY_INTERVAL, DEFAULT_RETRY_INTERVAL_MS)));
        if (Boolean.parseBoolean(p.getProperty(PARALLEL_WRITE, "false"))) {
            int pool = intValue(p, THREAD_POOL_SIZE, 0);
            // The old pool wrote records concurrently; here that is batches in flight, with order kept per key.
            settings = settings.withMaxInFlight(pool > 0 ? pool : 4 * Runtime.getRuntime().availableProcessors());
        }
        if (Boolean.parseBoolean(p.getProperty(SSL_ENABLED, "false"))) {
            throw new IllegalArgumentException(SSL_ENABLED + "=true is not supported: TLS between clients and "
                    + "members needs Hazelcast Enterprise; fence the cluster's network instead (see k8s/)");
        }
        String members = p.getProperty(CLUSTER_MEMBERS);
        if (members != null && !members.isBlank()) {
            settings = settings.withRemoteCluster(clientConfig(p, members, warnings));
        }
        for (String key : p.stringPropertyNames()) {
            if (NEVER_APPLIED.contains(key)) {
                warnings.add(key + " is accepted but has no effect: stream-reactor's Hazelcast sink defined it "
                        + "and never applied it either");
            } else if (key.startsWith(PREFIX) && !KNOWN.contains(key) && !SOCKET_OPTIONS.contains(key)) {
                warnings.add(key + " is not a key of stream-reactor's Hazelcast sink and is ignored");
            } else if (key.equals("connect.progress.enabled")) {
                warnings.add(key + " is accepted but has no effect: Jet's job metrics count the items of every "
                        + "stage");
            }
        }
        return new StreamReactorProperties(statements, settings, warnings);
    }

    private static ClientConfig clientConfig(Properties p, String members, List<String> warnings) {
        String clusterName = p.getProperty(CLUSTER_NAME);
        if (clusterName == null || clusterName.isBlank()) {
            throw new IllegalArgumentException(CLUSTER_NAME + " is required with " + CLUSTER_MEMBERS
                    + ": the name of the cluster at " + members);
        }
        ClientConfig config = new ClientConfig().setClusterName(clusterName.trim());
        config.getNetworkConfig().setAddresses(Arrays.stream(members.split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList());
        SocketOptions socket = config.getNetworkConfig().getSocketOptions();
        socket.setKeepAlive(booleanValue(p, PREFIX + "keep.alive", true));
        socket.setTcpNoDelay(booleanValue(p, PREFIX + "tcp.no.delay", true));
        socket.setReuseAddress(booleanValue(p, PREFIX + "reuse.address", true));
        socket.setLingerSeconds(intValue(p, PREFIX + "linger.seconds", 3));
        socket.setBufferSize(intValue(p, PREFIX + "buffer.size", 32));
        return config;
    }

    private static ErrorPolicy errorPolicy(String value) {
        try {
            return ErrorPolicy.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ERROR_POLICY + " must be THROW, NOOP or RETRY, was '" + value + "'");
        }
    }

    private static int intValue(Properties p, String key, int defaultValue) {
        long value = longValue(p, key, defaultValue);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + " must be at most " + Integer.MAX_VALUE + ", was " + value);
        }
        return (int) value;
    }

    private static long longValue(Properties p, String key, long defaultValue) {
        String v = p.getProperty(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, was '" + v + "'");
        }
    }

    private static boolean booleanValue(Properties p, String key, boolean defaultValue) {
        String v = p.getProperty(key);
        if (v == null) {
            return defaultValue;
        }
        if (!v.trim().equalsIgnoreCase("true") && !v.trim().equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(key + " must be true or false, was '" + v + "'");
        }
        return Boolean.parseBoolean(v.trim());
    }
}
