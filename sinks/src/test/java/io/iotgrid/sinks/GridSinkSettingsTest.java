package io.iotgrid.sinks;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.XmlClientConfigBuilder;
import io.iotgrid.core.GridConfigs;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.time.Duration;

import static com.hazelcast.internal.serialization.impl.SerializationUtil.checkSerializable;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GridSinkSettingsTest {

    private static final GridSinkSettings DEFAULTS = GridSinkSettings.defaults();

    @Test
    void when_defaults_then_componentsHaveTheDocumentedValues() {
        assertThat(DEFAULTS).isEqualTo(new GridSinkSettings(ErrorPolicy.THROW, 20, Duration.ofSeconds(1), 4, 1000,
                "dead_letters", null));
    }

    @Test
    void when_withMethods_then_copiesChangeOneComponent() {
        assertThat(DEFAULTS.withErrorPolicy(ErrorPolicy.RETRY).errorPolicy()).isEqualTo(ErrorPolicy.RETRY);
        assertThat(DEFAULTS.withMaxRetries(0).maxRetries()).isZero();
        assertThat(DEFAULTS.withRetryInterval(Duration.ofMillis(1)).retryInterval()).isEqualTo(Duration.ofMillis(1));
        assertThat(DEFAULTS.withMaxInFlight(1).maxInFlight()).isEqualTo(1);
        assertThat(DEFAULTS.withBatchSize(1).batchSize()).isEqualTo(1);
        assertThat(DEFAULTS.withDeadLettersMap("failed").deadLettersMap()).isEqualTo("failed");
        assertThat(DEFAULTS.withBatchSize(7).withBatchSize(1000)).isEqualTo(DEFAULTS);
    }

    @Test
    void when_withRemoteCluster_then_xmlBuildsTheSameClientConfig() {
        ClientConfig config = GridConfigs.loopbackClient("plant-7", 5999);

        String xml = DEFAULTS.withRemoteCluster(config).remoteClientXml();

        ClientConfig rebuilt = new XmlClientConfigBuilder(new ByteArrayInputStream(xml.getBytes(UTF_8))).build();
        assertThat(rebuilt.getClusterName()).isEqualTo("plant-7");
        assertThat(rebuilt.getNetworkConfig().getAddresses()).containsExactly("127.0.0.1:5999");
    }

    @Test
    void when_settingsCapturedByJobLambdas_then_serializable() {
        checkSerializable(DEFAULTS.withErrorPolicy(ErrorPolicy.NOOP)
                                  .withRemoteCluster(GridConfigs.loopbackClient("plant-7", 5999)), "settings");
    }

    @Test
    void when_valueInvalid_then_messageNamesKeyAndValue() {
        assertThatThrownBy(() -> DEFAULTS.withErrorPolicy(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("errorPolicy must not be null");
        assertThatThrownBy(() -> DEFAULTS.withMaxRetries(-1))
                .hasMessage("maxRetries must be at least 0, was -1");
        assertThatThrownBy(() -> DEFAULTS.withRetryInterval(Duration.ofNanos(999_999)))
                .hasMessage("retryInterval must be at least 1 ms, was PT0.000999999S");
        assertThatThrownBy(() -> DEFAULTS.withRetryInterval(null))
                .hasMessage("retryInterval must be at least 1 ms, was null");
        assertThatThrownBy(() -> DEFAULTS.withMaxInFlight(0))
                .hasMessage("maxInFlight must be at least 1, was 0");
        assertThatThrownBy(() -> DEFAULTS.withBatchSize(0))
                .hasMessage("batchSize must be between 1 and 1000, was 0");
        assertThatThrownBy(() -> DEFAULTS.withBatchSize(1001))
                .hasMessage("batchSize must be between 1 and 1000, was 1001");
        assertThatThrownBy(() -> DEFAULTS.withDeadLettersMap(" "))
                .hasMessage("deadLettersMap must be a structure name, was ' '");
        assertThatThrownBy(() -> new GridSinkSettings(ErrorPolicy.THROW, 20, Duration.ofSeconds(1), 4, 1000,
                "dead_letters", ""))
                .hasMessage("remoteClientXml must be null or a client configuration, was ''");
        assertThatThrownBy(() -> DEFAULTS.withRemoteCluster(null))
                .hasMessage("clientConfig must not be null");
    }
}
