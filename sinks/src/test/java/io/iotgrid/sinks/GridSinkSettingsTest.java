package io.iotgrid.sinks;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.XmlClientConfigBuilder;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.settings.SettingsReader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Map;

import static com.hazelcast.internal.serialization.impl.SerializationUtil.checkSerializable;
import static io.iotgrid.sinks.GridSinkSettings.BATCH_SIZE;
import static io.iotgrid.sinks.GridSinkSettings.DEAD_LETTERS_MAP;
import static io.iotgrid.sinks.GridSinkSettings.ERROR_POLICY;
import static io.iotgrid.sinks.GridSinkSettings.MAX_IN_FLIGHT;
import static io.iotgrid.sinks.GridSinkSettings.MAX_RETRIES;
import static io.iotgrid.sinks.GridSinkSettings.REMOTE_CLIENT_XML;
import static io.iotgrid.sinks.GridSinkSettings.RETRY_INTERVAL;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GridSinkSettingsTest {

    private static final GridSinkSettings DEFAULTS = GridSinkSettings.defaults();

    @Test
    void when_defaults_then_documentedValues() {
        assertThat(DEFAULTS.errorPolicy()).isEqualTo(ErrorPolicy.THROW);
        assertThat(DEFAULTS.maxRetries()).isEqualTo(20);
        assertThat(DEFAULTS.retryInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(DEFAULTS.maxInFlight()).isEqualTo(4);
        assertThat(DEFAULTS.batchSize()).isEqualTo(1000);
        assertThat(DEFAULTS.deadLettersMap()).isEqualTo("dead_letters");
        assertThat(DEFAULTS.remoteClientXml()).isNull();
    }

    @Test
    void when_builderSetsOne_then_onlyThatOneChanges() {
        assertThat(DEFAULTS.toBuilder().set(ERROR_POLICY, ErrorPolicy.RETRY).build().errorPolicy())
                .isEqualTo(ErrorPolicy.RETRY);
        assertThat(DEFAULTS.toBuilder().set(MAX_RETRIES, 0).build().maxRetries()).isZero();
        assertThat(DEFAULTS.toBuilder().set(RETRY_INTERVAL, Duration.ofMillis(1)).build().retryInterval())
                .isEqualTo(Duration.ofMillis(1));
        assertThat(DEFAULTS.toBuilder().set(MAX_IN_FLIGHT, 1).build().maxInFlight()).isEqualTo(1);
        assertThat(DEFAULTS.toBuilder().set(BATCH_SIZE, 1).build().batchSize()).isEqualTo(1);
        assertThat(DEFAULTS.toBuilder().set(DEAD_LETTERS_MAP, "failed").build().deadLettersMap()).isEqualTo("failed");
        assertThat(DEFAULTS.toBuilder().set(BATCH_SIZE, 7).build().toBuilder().set(BATCH_SIZE, 1000).build())
                .isEqualTo(DEFAULTS);
    }

    @Test
    void when_remoteCluster_then_xmlBuildsTheSameClientConfig() {
        ClientConfig config = GridConfigs.loopbackClient("plant-7", 5999);

        String xml = GridSinkSettings.builder().remoteCluster(config).build().remoteClientXml();

        ClientConfig rebuilt = new XmlClientConfigBuilder(new ByteArrayInputStream(xml.getBytes(UTF_8))).build();
        assertThat(rebuilt.getClusterName()).isEqualTo("plant-7");
        assertThat(rebuilt.getNetworkConfig().getAddresses()).containsExactly("127.0.0.1:5999");
    }

    @Test
    void when_settingsCapturedByJobLambdas_then_serializable() {
        checkSerializable(GridSinkSettings.builder().set(ERROR_POLICY, ErrorPolicy.NOOP)
                                          .remoteCluster(GridConfigs.loopbackClient("plant-7", 5999)).build(),
                "settings");
    }

    @Test
    void when_valueInvalid_then_messageNamesKeyAndValue() {
        GridSinkSettings.Builder b = GridSinkSettings.builder();

        assertThatThrownBy(() -> b.set(ERROR_POLICY, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("error.policy is required: " + ERROR_POLICY.doc());
        assertThatThrownBy(() -> b.set(MAX_RETRIES, -1))
                .hasMessage("max.retries must be at least 0, was '-1'");
        assertThatThrownBy(() -> b.set(RETRY_INTERVAL, Duration.ofNanos(999_999)))
                .hasMessage("retry.interval must be at least 1ms, was 'PT0.000999999S'");
        assertThatThrownBy(() -> b.set(RETRY_INTERVAL, null))
                .hasMessage("retry.interval is required: " + RETRY_INTERVAL.doc());
        assertThatThrownBy(() -> b.set(MAX_IN_FLIGHT, 0))
                .hasMessage("max.in.flight must be at least 1, was '0'");
        assertThatThrownBy(() -> b.set(BATCH_SIZE, 0))
                .hasMessage("batch.size must be between 1 and 1000, was '0'");
        assertThatThrownBy(() -> b.set(BATCH_SIZE, 1001))
                .hasMessage("batch.size must be between 1 and 1000, was '1001'");
        assertThatThrownBy(() -> b.set(DEAD_LETTERS_MAP, " "))
                .hasMessage("dead.letters.map must be non-blank, was ' '");
        assertThatThrownBy(() -> b.set(REMOTE_CLIENT_XML, ""))
                .hasMessage("remote.client.xml must be non-blank, was ''");
        assertThatThrownBy(() -> b.remoteCluster(null))
                .hasMessage("clientConfig must not be null");
    }

    @Test
    void when_readFromKeys_then_valuesParsedAndABadOneNamedByItsKey() {
        GridSinkSettings read = GridSinkSettings.builder().read(SettingsReader.of(Map.of("error.policy", "RETRY",
                "max.retries", "3", "retry.interval", "250ms", "max.in.flight", "2", "batch.size", "10",
                "dead.letters.map", "failed"))).build();

        assertThat(read).isEqualTo(GridSinkSettings.builder().set(ERROR_POLICY, ErrorPolicy.RETRY).set(MAX_RETRIES, 3)
                .set(RETRY_INTERVAL, Duration.ofMillis(250)).set(MAX_IN_FLIGHT, 2).set(BATCH_SIZE, 10)
                .set(DEAD_LETTERS_MAP, "failed").build());
        assertThatThrownBy(() -> GridSinkSettings.builder().read(SettingsReader.of(Map.of("error.policy", "ignore"))))
                .hasMessage("error.policy must be one of throw, noop, retry, was 'ignore'");
        assertThatThrownBy(() -> GridSinkSettings.builder().read(SettingsReader.of(Map.of("batch.size", "5000"))))
                .hasMessage("batch.size must be between 1 and 1000, was '5000'");
    }
}
