package io.iotgrid.core;

import com.hazelcast.client.config.ClientClasspathYamlConfig;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;

import java.util.List;
import java.util.stream.IntStream;

/**
 * The member and client configurations of {@code cluster-config/}, which this jar carries as
 * {@value #MEMBER_YAML} and {@value #CLIENT_YAML}, so the embedded default, the tests and a real cluster all
 * run with the same structure settings.
 */
public final class GridConfigs {

    /** Classpath name of {@code cluster-config/iot-grid-member.yaml}. */
    public static final String MEMBER_YAML = "iot-grid-member.yaml";
    /** Classpath name of {@code cluster-config/iot-grid-client.yaml}. */
    public static final String CLIENT_YAML = "iot-grid-client.yaml";

    /** How many members on consecutive ports a loopback cluster can have. */
    public static final int LOOPBACK_MEMBERS = 5;

    private GridConfigs() {
    }

    /**
     * A fresh member configuration read from {@value #MEMBER_YAML}: Jet and resource upload on, and the
     * {@link SensorReadingSerializer}, {@link WindowStatsSerializer}, {@link SensorStatusSerializer} and
     * {@link HistoryBlockSerializer}. Hazelcast's
     * overrides apply, as on the distribution: {@code HZ_CLUSTERNAME=plant-7} or
     * {@code -Dhz.cluster-name=plant-7} change the cluster name without editing the file.
     */
    public static Config member() {
        Config config = Config.loadFromClasspath(GridConfigs.class.getClassLoader(), MEMBER_YAML);
        // In code, not in the YAML: the YAML also configures members of the distribution, which have no
        // iot-grid classes. The schema is the zero-config one, so such members and this one interoperate.
        config.getSerializationConfig().getCompactSerializationConfig()
              .addSerializer(new SensorReadingSerializer())
              .addSerializer(new WindowStatsSerializer())
              .addSerializer(new SensorStatusSerializer())
              .addSerializer(new HistoryBlockSerializer());
        return config;
    }

    /**
     * A fresh client configuration read from {@value #CLIENT_YAML}, with the {@link HistoryBlockSerializer} (a
     * client without it reads history blocks too, by zero-config reflection).
     */
    public static ClientConfig client() {
        ClientConfig config = new ClientClasspathYamlConfig(CLIENT_YAML);
        config.getSerializationConfig().getCompactSerializationConfig().addSerializer(new HistoryBlockSerializer());
        return config;
    }

    /**
     * {@link #member()} bound to 127.0.0.1 only, joining members of {@code clusterName} on ports
     * {@code port} to {@code port + }{@value #LOOPBACK_MEMBERS}{@code - 1}: for the embedded default and for
     * tests, which must never reach past the loopback interface.
     */
    public static Config loopbackMember(String clusterName, int port) {
        Config config = member().setClusterName(clusterName);
        config.getNetworkConfig().setPort(port).setPortAutoIncrement(true).setPortCount(LOOPBACK_MEMBERS);
        config.getNetworkConfig().getInterfaces().setEnabled(true).setInterfaces(List.of("127.0.0.1"));
        JoinConfig join = config.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getKubernetesConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(IntStream.range(port, port + LOOPBACK_MEMBERS)
                .mapToObj(p -> "127.0.0.1:" + p).toList());
        // Without this the member listens on every interface even with `interfaces` set.
        config.setProperty("hazelcast.socket.bind.any", "false");
        return config;
    }

    /** {@link #client()} connecting to a {@link #loopbackMember} cluster. */
    public static ClientConfig loopbackClient(String clusterName, int port) {
        ClientConfig config = client().setClusterName(clusterName);
        config.getNetworkConfig().getKubernetesConfig().setEnabled(false);
        config.getNetworkConfig().setAddresses(List.of("127.0.0.1:" + port));
        return config;
    }
}
