package io.iotgrid.kcql.impl;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.ConnectionRetryConfig;
import com.hazelcast.client.config.XmlClientConfigBuilder;
import com.hazelcast.config.InvalidConfigurationException;
import com.hazelcast.config.RingbufferConfig;
import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.ringbuffer.impl.RingbufferService;
import io.iotgrid.kcql.KcqlStatement;
import io.iotgrid.kcql.StoreAs;
import io.iotgrid.kcql.StoreAsParameters;
import io.iotgrid.sinks.GridSinkSettings;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * What statements need from the target cluster before a job writes to it, done when the job is built rather than
 * found out by the running job: an ICACHE must be configured on the members (Hazelcast creates every other
 * structure on first use), and a RING_BUFFER's {@code capacity} and {@code timeToLive} are configuration, fixed
 * when the Ringbuffer is created, so they are added to the members' configuration as dynamic configuration.
 */
public final class KcqlTargets {

    /**
     * How long the check waits for a remote target cluster whose client configuration sets no limit: its default
     * would wait forever and hold up the build.
     */
    private static final Duration REMOTE_CONNECT_TIMEOUT = Duration.ofSeconds(30);

    private KcqlTargets() {
    }

    /**
     * Checks and prepares the targets of {@code statements} in the cluster they write to: {@code cluster}, or the
     * remote cluster of {@code settings}, reached with a client that is shut down afterwards (only when a
     * statement needs it).
     *
     * @throws IllegalStateException saying which statement the cluster cannot serve and what to configure
     */
    public static void prepare(HazelcastInstance cluster, List<KcqlStatement> statements, GridSinkSettings settings) {
        List<KcqlStatement> needing = statements.stream().filter(KcqlTargets::needsCluster).toList();
        if (needing.isEmpty()) {
            return;
        }
        if (settings.remoteClientXml() == null) {
            needing.forEach(s -> prepare(cluster, s));
            return;
        }
        HazelcastInstance remote;
        try {
            remote = HazelcastClient.newHazelcastClient(remoteClientConfig(settings.remoteClientXml()));
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot reach the target cluster to check \"" + needing.get(0).text()
                    + "\": " + e.getMessage(), e);
        }
        try {
            needing.forEach(s -> prepare(remote, s));
        } finally {
            remote.shutdown();
        }
    }

    private static boolean needsCluster(KcqlStatement statement) {
        return statement.storeAs() == StoreAs.ICACHE
                || statement.storeAs() == StoreAs.RING_BUFFER && !statement.storeAsParameters().isEmpty();
    }

    private static void prepare(HazelcastInstance target, KcqlStatement statement) {
        if (statement.storeAs() == StoreAs.ICACHE) {
            requireCache(target, statement);
        } else {
            configureRingbuffer(target, statement);
        }
    }

    private static void requireCache(HazelcastInstance target, KcqlStatement statement) {
        String name = statement.target();
        try {
            target.getCacheManager().getCache(name);
        } catch (RuntimeException | LinkageError e) {
            throw new IllegalStateException("cannot write \"" + statement.text() + "\": STOREAS ICACHE needs the "
                    + "cache '" + name + "' configured on the members of the target cluster (hazelcast.yaml: "
                    + "cache: {" + name + ": {}}; in Java: config.addCacheConfig(new CacheSimpleConfig().setName(\""
                    + name + "\"))) and javax.cache:cache-api on their classpath; or write STOREAS IMAP. The "
                    + "cluster answered: " + e, e);
        }
    }

    private static void configureRingbuffer(HazelcastInstance target, KcqlStatement statement) {
        String name = statement.target();
        StoreAsParameters parameters = statement.storeAsParameters();
        // A Ringbuffer keeps the configuration it was created with; a new one would not reach it.
        if (parameters.capacity() != null && exists(target, name)) {
            long capacity = target.getRingbuffer(name).capacity();
            if (capacity != parameters.capacity()) {
                throw new IllegalStateException("cannot write \"" + statement.text() + "\": Ringbuffer '" + name
                        + "' exists with capacity " + capacity + ", and a Ringbuffer's capacity is fixed when it is "
                        + "created: destroy it, or give capacity=" + capacity);
            }
        }
        RingbufferConfig config = new RingbufferConfig(name);
        if (parameters.capacity() != null) {
            config.setCapacity(parameters.capacity());
        }
        if (parameters.timeToLive() != null) {
            config.setTimeToLiveSeconds(Math.toIntExact(parameters.timeToLive().toSeconds()));
        }
        try {
            target.getConfig().addRingBufferConfig(config);
        } catch (InvalidConfigurationException e) {
            throw new IllegalStateException("cannot write \"" + statement.text() + "\": the members configure "
                    + "Ringbuffer '" + name + "' otherwise (in their configuration file, or by an earlier statement "
                    + "with other parameters): leave the STOREAS parameters out, or change that configuration. "
                    + e.getMessage(), e);
        }
    }

    private static boolean exists(HazelcastInstance target, String name) {
        for (DistributedObject o : target.getDistributedObjects()) {
            if (RingbufferService.SERVICE_NAME.equals(o.getServiceName()) && name.equals(o.getName())) {
                return true;
            }
        }
        return false;
    }

    private static ClientConfig remoteClientConfig(String xml) {
        ClientConfig config = new XmlClientConfigBuilder(new ByteArrayInputStream(xml.getBytes(UTF_8))).build();
        ConnectionRetryConfig retry = config.getConnectionStrategyConfig().getConnectionRetryConfig();
        if (retry.getClusterConnectTimeoutMillis() < 0) {
            retry.setClusterConnectTimeoutMillis(REMOTE_CONNECT_TIMEOUT.toMillis());
        }
        return config;
    }
}
