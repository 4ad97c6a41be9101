package io.iotgrid.core;

import com.hazelcast.client.config.ClientClasspathYamlConfig;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.topic.TopicOverloadPolicy;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GridConfigsTest {

    @Test
    void when_memberYamlLoaded_then_jetOnAndStructuresTuned() {
        Config config = GridConfigs.member();

        assertThat(config.getClusterName()).isEqualTo("iot-grid");
        assertThat(config.getJetConfig().isEnabled()).isTrue();
        assertThat(config.getJetConfig().isResourceUploadEnabled()).isTrue();
        assertThat(config.getNetworkConfig().getJoin().getMulticastConfig().isEnabled()).isFalse();
        assertThat(config.getMapConfig(GridNames.SENSOR_STATS).getBackupCount()).isEqualTo(1);
        assertThat(config.getMapConfig(GridNames.DEAD_LETTERS).getTimeToLiveSeconds()).isEqualTo(604_800);
        assertThat(config.getMapConfig(GridNames.LATE_READINGS).getTimeToLiveSeconds()).isEqualTo(604_800);
        assertThat(config.getMapConfig(GridNames.LATE_READINGS).getEvictionConfig().getSize()).isEqualTo(1_000_000);
        assertThat(config.getMapConfig(GridNames.PLACE_STATS).getEvictionConfig().getEvictionPolicy())
                .isEqualTo(EvictionPolicy.LRU);
        assertThat(config.getMapConfig(GridNames.SENSOR_STATS).getEvictionConfig().getMaxSizePolicy())
                .isEqualTo(MaxSizePolicy.PER_NODE);
        assertThat(config.getJetConfig().getBackupCount()).isEqualTo(1);
        assertThat(config.getMetricsConfig().getJmxConfig().isEnabled()).isTrue();
        assertThat(config.getRingbufferConfig(GridNames.READINGS).getCapacity()).isEqualTo(100_000);
        assertThat(config.getRingbufferConfig("_hz_rb_" + GridNames.ALERTS).getCapacity()).isEqualTo(10_000);
        assertThat(config.getReliableTopicConfig(GridNames.ALERTS).getTopicOverloadPolicy())
                .isEqualTo(TopicOverloadPolicy.DISCARD_OLDEST);
        assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
    }

    @Test
    void when_joinOverriddenAsInKubernetesManifest_then_kubernetesDiscovery() {
        // k8s/statefulset.yaml sets HZ_NETWORK_JOIN_*; Hazelcast reads hz.network.join.* the same way.
        Map<String, String> overrides = Map.of(
                "hz.network.join.tcp-ip.enabled", "false",
                "hz.network.join.kubernetes.enabled", "true",
                "hz.network.join.kubernetes.service-name", "iot-grid");
        overrides.forEach(System::setProperty);
        try {
            JoinConfig join = GridConfigs.member().getNetworkConfig().getJoin();

            assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
            assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
            assertThat(join.getKubernetesConfig().getProperty("service-name")).isEqualTo("iot-grid");
        } finally {
            overrides.keySet().forEach(System::clearProperty);
        }
    }

    @Test
    void when_kubernetesVariantLoaded_then_sameStructuresAndJobSettingsWithKubernetesJoin() {
        Config local = GridConfigs.member();
        Config k8s = Config.loadFromClasspath(GridConfigs.class.getClassLoader(), "iot-grid-member-k8s.yaml");

        assertThat(k8s.getClusterName()).isEqualTo(local.getClusterName());
        assertThat(k8s.getJetConfig()).isEqualTo(local.getJetConfig());
        assertThat(k8s.getMetricsConfig()).isEqualTo(local.getMetricsConfig());
        assertThat(k8s.getMapConfigs()).isEqualTo(local.getMapConfigs());
        assertThat(k8s.getRingbufferConfigs()).isEqualTo(local.getRingbufferConfigs());
        assertThat(k8s.getReliableTopicConfigs()).isEqualTo(local.getReliableTopicConfigs());
        assertThat(k8s.getProperties()).isEqualTo(local.getProperties());
        JoinConfig join = k8s.getNetworkConfig().getJoin();
        assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
        assertThat(join.getMulticastConfig().isEnabled()).isFalse();
        assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
        assertThat(join.getKubernetesConfig().getProperty("service-name")).isEqualTo("iot-grid");
        assertThat(k8s.getNetworkConfig().getPort()).isEqualTo(5701);
        assertThat(k8s.getNetworkConfig().isPortAutoIncrement()).isFalse();
    }

    @Test
    void when_kubernetesClientLoaded_then_sameClusterThroughTheService() {
        ClientConfig k8s = new ClientClasspathYamlConfig("iot-grid-client-k8s.yaml");

        assertThat(k8s.getClusterName()).isEqualTo(GridConfigs.client().getClusterName());
        assertThat(k8s.getNetworkConfig().getAddresses()).containsExactly("iot-grid:5701");
    }

    @Test
    void when_loopbackMember_then_boundToLoopbackAndJoinsOnlyThere() {
        Config config = GridConfigs.loopbackMember("c1", 6000);

        assertThat(config.getClusterName()).isEqualTo("c1");
        assertThat(config.getNetworkConfig().getPort()).isEqualTo(6000);
        assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
        assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers())
                .containsExactly("127.0.0.1:6000", "127.0.0.1:6001", "127.0.0.1:6002", "127.0.0.1:6003",
                        "127.0.0.1:6004");
        assertThat(config.getRingbufferConfig(GridNames.READINGS).getCapacity()).as("structures kept")
                .isEqualTo(100_000);
    }

    @Test
    void when_clientYamlLoaded_then_pointsAtLocalMember() {
        ClientConfig config = GridConfigs.client();
        ClientConfig loopback = GridConfigs.loopbackClient("c1", 6000);

        assertThat(config.getClusterName()).isEqualTo("iot-grid");
        assertThat(config.getNetworkConfig().getAddresses()).containsExactly("127.0.0.1:5701");
        assertThat(loopback.getClusterName()).isEqualTo("c1");
        assertThat(loopback.getNetworkConfig().getAddresses()).containsExactly("127.0.0.1:6000");
    }
}
