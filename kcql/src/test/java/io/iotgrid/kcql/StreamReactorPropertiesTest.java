package io.iotgrid.kcql;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.XmlClientConfigBuilder;
import io.iotgrid.sinks.ErrorPolicy;
import io.iotgrid.sinks.GridSinkSettings;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamReactorPropertiesTest {

    private static final String KCQL = "INSERT INTO dev SELECT * FROM coap_sensor_topic WITHFORMAT JSON STOREAS QUEUE";

    @Test
    void when_onlyKcql_then_oldDefaultsAndLocalCluster() {
        StreamReactorProperties p = StreamReactorProperties.of(props("connect.hazelcast.kcql", KCQL));

        assertThat(p.statements()).singleElement().satisfies(s -> {
            assertThat(s.target()).isEqualTo("dev");
            assertThat(s.storeAs()).isEqualTo(StoreAs.QUEUE);
        });
        GridSinkSettings s = p.settings();
        assertThat(s.errorPolicy()).isEqualTo(ErrorPolicy.THROW);
        assertThat(s.maxRetries()).isEqualTo(20);
        assertThat(s.retryInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.remoteClientXml()).as("no cluster.members: the job's own cluster").isNull();
        assertThat(p.warnings()).isEmpty();
    }

    @Test
    void when_everyOldKeyGiven_then_mappedAndNeverAppliedOnesWarned() {
        StreamReactorProperties p = StreamReactorProperties.of(props(
                "connect.hazelcast.kcql", KCQL + ";INSERT INTO s SELECT * FROM other PK id STOREAS IMAP",
                "connect.hazelcast.cluster.members", "127.0.0.1:5801, 127.0.0.1:5802",
                "connect.hazelcast.cluster.name", "plant",
                "connect.hazelcast.error.policy", "retry",
                "connect.hazelcast.max.retries", "7",
                "connect.hazelcast.retry.interval", "1500",
                "connect.hazelcast.parallel.write", "true",
                "connect.hazelcast.threadpool.size", "6",
                "connect.hazelcast.timeout", "5000",
                "connect.hazelcast.retries", "2",
                "connect.hazelcast.tcp.no.delay", "false",
                "connect.hazelcast.buffer.size", "64",
                "connect.progress.enabled", "true"));

        assertThat(p.statements()).extracting(KcqlStatement::target).containsExactly("dev", "s");
        GridSinkSettings s = p.settings();
        assertThat(s.errorPolicy()).isEqualTo(ErrorPolicy.RETRY);
        assertThat(s.maxRetries()).isEqualTo(7);
        assertThat(s.retryInterval()).isEqualTo(Duration.ofMillis(1500));
        assertThat(s.maxInFlight()).isEqualTo(6);
        ClientConfig client = new XmlClientConfigBuilder(
                new ByteArrayInputStream(s.remoteClientXml().getBytes(StandardCharsets.UTF_8))).build();
        assertThat(client.getClusterName()).isEqualTo("plant");
        assertThat(client.getNetworkConfig().getAddresses()).containsExactly("127.0.0.1:5801", "127.0.0.1:5802");
        assertThat(client.getNetworkConfig().getSocketOptions().isTcpNoDelay()).isFalse();
        assertThat(client.getNetworkConfig().getSocketOptions().getBufferSize()).isEqualTo(64);
        assertThat(p.warnings()).containsExactlyInAnyOrder(
                "connect.hazelcast.timeout is accepted but has no effect: stream-reactor's Hazelcast sink defined "
                        + "it and never applied it either",
                "connect.hazelcast.retries is accepted but has no effect: stream-reactor's Hazelcast sink defined "
                        + "it and never applied it either",
                "connect.progress.enabled is accepted but has no effect: Jet's job metrics count the items of "
                        + "every stage");
    }

    @Test
    void when_keyUnknownToOldSink_then_warned() {
        StreamReactorProperties p = StreamReactorProperties.of(props("connect.hazelcast.kcql", KCQL,
                "connect.hazelcast.colour", "blue"));

        assertThat(p.warnings()).containsExactly(
                "connect.hazelcast.colour is not a key of stream-reactor's Hazelcast sink and is ignored");
    }

    @Test
    void when_valueBad_then_messageNamesKey() {
        assertThatThrownBy(() -> StreamReactorProperties.of(props()))
                .hasMessage("connect.hazelcast.kcql is required: " + StreamReactorProperties.KCQL.doc());
        assertThatThrownBy(() -> StreamReactorProperties.of(props("connect.hazelcast.kcql", KCQL,
                "connect.hazelcast.error.policy", "IGNORE")))
                .hasMessage("connect.hazelcast.error.policy must be one of throw, noop, retry, was 'IGNORE'");
        assertThatThrownBy(() -> StreamReactorProperties.of(props("connect.hazelcast.kcql", KCQL,
                "connect.hazelcast.max.retries", "many")))
                .hasMessage("connect.hazelcast.max.retries must be a whole number, was 'many'");
        assertThatThrownBy(() -> StreamReactorProperties.of(props("connect.hazelcast.kcql", KCQL,
                "connect.hazelcast.max.retries", "4294967297")))
                .hasMessage("connect.hazelcast.max.retries must be a whole number, was '4294967297'");
        assertThatThrownBy(() -> StreamReactorProperties.of(props("connect.hazelcast.kcql", KCQL,
                "connect.hazelcast.max.retries", "-1")))
                .hasMessage("connect.hazelcast.max.retries must be at least 0, was '-1'");
        assertThatThrownBy(() -> StreamReactorProperties.of(props("connect.hazelcast.kcql", KCQL,
                "connect.hazelcast.retry.interval", "1s")))
                .hasMessage("connect.hazelcast.retry.interval must be a number of milliseconds, was '1s'");
        assertThatThrownBy(() -> StreamReactorProperties.of(props("connect.hazelcast.kcql", KCQL,
                "connect.hazelcast.retry.interval", "0")))
                .hasMessage("connect.hazelcast.retry.interval must be at least 1ms, was '0'");
        assertThatThrownBy(() -> StreamReactorProperties.of(props("connect.hazelcast.kcql", KCQL,
                "connect.hazelcast.cluster.members", "127.0.0.1")))
                .hasMessage("connect.hazelcast.cluster.name is required with connect.hazelcast.cluster.members: "
                        + "the name of the cluster at 127.0.0.1");
        assertThatThrownBy(() -> StreamReactorProperties.of(props("connect.hazelcast.kcql", KCQL,
                "connect.hazelcast.ssl.enabled", "true")))
                .hasMessage("connect.hazelcast.ssl.enabled must be false: TLS between clients and members needs "
                        + "Hazelcast Enterprise; fence the cluster's network instead (see k8s/), was 'true'");
        assertThatThrownBy(() -> StreamReactorProperties.of(props("connect.hazelcast.kcql", KCQL,
                "connect.hazelcast.tcp.no.delay", "maybe")))
                .hasMessage("connect.hazelcast.tcp.no.delay must be true or false, was 'maybe'");
        assertThatThrownBy(() -> StreamReactorProperties.of(props("connect.hazelcast.kcql",
                "INSERT INTO x SELECT * FROM t STOREAS TREE")))
                .hasMessageContaining("expected one of RELIABLE_TOPIC, RING_BUFFER, QUEUE, SET, LIST, IMAP, "
                        + "MULTI_MAP, ICACHE");
    }

    @Test
    void when_sharedSettingReadUnderOldKey_then_sameDefinitionAsGridSinkSettings() {
        assertThat(StreamReactorProperties.ERROR_POLICY.defaultValue())
                .isEqualTo(GridSinkSettings.ERROR_POLICY.defaultValue());
        assertThat(StreamReactorProperties.MAX_RETRIES.doc()).isEqualTo(GridSinkSettings.MAX_RETRIES.doc());
        assertThat(StreamReactorProperties.RETRY_INTERVAL.defaultText()).isEqualTo("60000");
    }

    private static Properties props(String... keysAndValues) {
        Properties p = new Properties();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            p.setProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
        return p;
    }
}
