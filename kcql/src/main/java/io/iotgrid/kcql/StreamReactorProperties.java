package io.iotgrid.kcql;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.SocketOptions;
import io.iotgrid.core.settings.Setting;
import io.iotgrid.core.settings.SettingGroup;
import io.iotgrid.core.settings.SettingsReader;
import io.iotgrid.sinks.ErrorPolicy;
import io.iotgrid.sinks.GridSinkSettings;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The {@code connect.hazelcast.*} properties of stream-reactor's Hazelcast sink, turned into what
 * {@link KcqlSinks} needs: the statements and the sink settings. Each key is declared once below with its old
 * default; those that are {@link GridSinkSettings}' own are the same definitions under the old keys, so an error
 * names the key the user wrote. Where the old sink did something else than it said, the README's "Coming from
 * stream-reactor" section says what changes.
 *
 * @param statements the parsed {@code connect.hazelcast.kcql}
 * @param settings   error policy, retries and target cluster for every statement's sink
 * @param warnings   one sentence per key that is accepted but has no effect, to log at job start
 */
public record StreamReactorProperties(List<KcqlStatement> statements, GridSinkSettings settings,
                                      List<String> warnings) {

    static final String PREFIX = "connect.hazelcast.";

    /** Every key of stream-reactor's Hazelcast sink that is read here. */
    public static final SettingGroup GROUP = new SettingGroup("stream-reactor Hazelcast sink");

    public static final Setting<String> KCQL = GROUP.add(Setting.string(PREFIX + "kcql", null,
            "the KCQL statements that route records, `;`-separated; several may read the same topic (the old sink "
                    + "kept only the last one per topic)"));
    public static final Setting<List<String>> CLUSTER_MEMBERS = GROUP.add(Setting.list(PREFIX + "cluster.members",
            List.of(), "client addresses of the target cluster; none: the cluster the job runs in"));
    public static final Setting<String> CLUSTER_NAME = GROUP.add(Setting.string(PREFIX + "cluster.name", null,
            "the target cluster's name, required with `connect.hazelcast.cluster.members`").optional());
    public static final Setting<ErrorPolicy> ERROR_POLICY = GROUP.add(GridSinkSettings.ERROR_POLICY
            .withKey(PREFIX + "error.policy"));
    public static final Setting<Integer> MAX_RETRIES = GROUP.add(GridSinkSettings.MAX_RETRIES
            .withKey(PREFIX + "max.retries"));
    public static final Setting<Duration> RETRY_INTERVAL = GROUP.add(GridSinkSettings.RETRY_INTERVAL
            .withKey(PREFIX + "retry.interval").withDefault(Duration.ofSeconds(60))
            .writtenAs("a number of milliseconds", text -> Duration.ofMillis(Long.parseLong(text)),
                    interval -> String.valueOf(interval.toMillis())));
    public static final Setting<Boolean> PARALLEL_WRITE = GROUP.add(Setting.bool(PREFIX + "parallel.write", false,
            "`true`: `connect.hazelcast.threadpool.size` batches in flight per processor (the old sink wrote the "
                    + "records of a poll on a thread pool, order not kept); `false`: grid sinks' default"));
    public static final Setting<Integer> THREAD_POOL_SIZE = GROUP.add(Setting.integer(PREFIX + "threadpool.size", 0,
            "batches in flight per processor with `parallel.write=true`; 0: 4 × cores")
            .require(n -> n >= 0, "at least 0"));
    public static final Setting<Boolean> SSL_ENABLED = GROUP.add(Setting.bool(PREFIX + "ssl.enabled", false,
            "TLS to the cluster: not supported").require(enabled -> !enabled, "false: TLS between clients and "
            + "members needs Hazelcast Enterprise; fence the cluster's network instead (see k8s/)"));
    public static final Setting<Boolean> KEEP_ALIVE = GROUP.add(Setting.bool(PREFIX + "keep.alive", true,
            "client socket option, applied as before"));
    public static final Setting<Boolean> TCP_NO_DELAY = GROUP.add(Setting.bool(PREFIX + "tcp.no.delay", true,
            "client socket option, applied as before"));
    public static final Setting<Boolean> REUSE_ADDRESS = GROUP.add(Setting.bool(PREFIX + "reuse.address", true,
            "client socket option, applied as before"));
    public static final Setting<Integer> LINGER_SECONDS = GROUP.add(Setting.integer(PREFIX + "linger.seconds", 3,
            "client socket option, applied as before"));
    public static final Setting<Integer> BUFFER_SIZE = GROUP.add(Setting.integer(PREFIX + "buffer.size", 32,
            "client socket buffer in KiB, applied as before"));
    public static final Setting<String> TIMEOUT = GROUP.add(neverApplied(PREFIX + "timeout",
            "stream-reactor's Hazelcast sink defined it and never applied it either"));
    public static final Setting<String> RETRIES = GROUP.add(neverApplied(PREFIX + "retries",
            "stream-reactor's Hazelcast sink defined it and never applied it either"));
    public static final Setting<String> PROGRESS_ENABLED = GROUP.add(neverApplied("connect.progress.enabled",
            "Jet's job metrics count the items of every stage"));

    private static final List<Setting<String>> NEVER_APPLIED = List.of(TIMEOUT, RETRIES, PROGRESS_ENABLED);

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

    /** {@link #of(SettingsReader)} of {@code p}. */
    public static StreamReactorProperties of(Properties p) {
        return of(SettingsReader.of(p));
    }

    /**
     * Maps old keys to settings; fails with a message naming the key for a missing {@code kcql}, a bad value,
     * {@code ssl.enabled=true} (TLS needs Hazelcast Enterprise) or a {@code cluster.members} without
     * {@code cluster.name}. A {@code connect.hazelcast.*} key not in {@link #GROUP} is warned about and ignored, as
     * an old file may carry keys of other versions; keys of other prefixes belong to the Connect worker.
     */
    public static StreamReactorProperties of(SettingsReader reader) {
        // Every value given is checked, also those used only with cluster.members, and ssl.enabled, which only fails.
        GROUP.settings().forEach(reader::get);
        List<KcqlStatement> statements = KcqlStatement.parseAll(KCQL.check(reader.get(KCQL)));

        GridSinkSettings.Builder settings = GridSinkSettings.builder()
                .set(GridSinkSettings.ERROR_POLICY, reader.get(ERROR_POLICY))
                .set(GridSinkSettings.MAX_RETRIES, reader.get(MAX_RETRIES))
                .set(GridSinkSettings.RETRY_INTERVAL, reader.get(RETRY_INTERVAL));
        if (reader.get(PARALLEL_WRITE)) {
            int pool = reader.get(THREAD_POOL_SIZE);
            // The old pool wrote records concurrently; here that is batches in flight, with order kept per key.
            settings.set(GridSinkSettings.MAX_IN_FLIGHT,
                    pool > 0 ? pool : 4 * Runtime.getRuntime().availableProcessors());
        }
        List<String> members = reader.get(CLUSTER_MEMBERS);
        if (!members.isEmpty()) {
            settings.remoteCluster(clientConfig(reader, members));
        }

        List<String> warnings = new ArrayList<>();
        for (Setting<String> s : NEVER_APPLIED) {
            if (reader.has(s)) {
                warnings.add(s.key() + " is " + s.doc());
            }
        }
        for (String key : reader.asProperties().stringPropertyNames()) {
            if (key.startsWith(PREFIX) && GROUP.find(key) == null) {
                warnings.add(key + " is not a key of stream-reactor's Hazelcast sink and is ignored");
            }
        }
        return new StreamReactorProperties(statements, settings.build(), warnings);
    }

    private static ClientConfig clientConfig(SettingsReader reader, List<String> members) {
        String clusterName = reader.get(CLUSTER_NAME);
        if (clusterName == null) {
            throw new IllegalArgumentException(CLUSTER_NAME.key() + " is required with " + CLUSTER_MEMBERS.key()
                    + ": the name of the cluster at " + CLUSTER_MEMBERS.format(members));
        }
        ClientConfig config = new ClientConfig().setClusterName(clusterName);
        config.getNetworkConfig().setAddresses(members);
        SocketOptions socket = config.getNetworkConfig().getSocketOptions();
        socket.setKeepAlive(reader.get(KEEP_ALIVE));
        socket.setTcpNoDelay(reader.get(TCP_NO_DELAY));
        socket.setReuseAddress(reader.get(REUSE_ADDRESS));
        socket.setLingerSeconds(reader.get(LINGER_SECONDS));
        socket.setBufferSize(reader.get(BUFFER_SIZE));
        return config;
    }

    private static Setting<String> neverApplied(String key, String why) {
        return Setting.string(key, null, "accepted but has no effect: " + why).optional();
    }
}
