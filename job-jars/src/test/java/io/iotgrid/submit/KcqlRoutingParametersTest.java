package io.iotgrid.submit;

import io.iotgrid.core.settings.SettingsReader;

import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.config.ProcessingGuarantee;
import io.iotgrid.jobs.JobSerializers;
import io.iotgrid.sinks.ErrorPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KcqlRoutingParametersTest {

    private static final String KCQL = "connect.hazelcast.kcql=INSERT INTO sensor_ring SELECT * FROM coap_sensor_topic "
            + "WITHFORMAT JSON STOREAS RING_BUFFER;INSERT INTO sensors SELECT * FROM other_topic PK sensor_id "
            + "WITHFORMAT JSON STOREAS IMAP";

    @Test
    void when_connectorFile_then_topicsFromStatementsAndConsumerKeysPassedOn(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("hazelcast-sink.properties");
        Files.writeString(file, KCQL + "\n"
                + "job.name=plant-routing\n"
                + "connector.class=com.datamountaineer.streamreactor.connect.hazelcast.sink.HazelCastSinkConnector\n"
                + "connect.hazelcast.error.policy=NOOP\n"
                + "consumer.group.id=routing\n"
                + "consumer.max.poll.records=100\n");

        KcqlRoutingParameters p = KcqlRoutingParameters.of(SettingsReader.arguments(file.toString(),
                "bootstrap.servers=127.0.0.1:9092", "job.processing.guarantee=exactly_once"));

        assertThat(p.topics()).containsExactly("coap_sensor_topic", "other_topic");
        assertThat(p.kafka()).containsEntry("bootstrap.servers", "127.0.0.1:9092")
                             .containsEntry("group.id", "routing")
                             .containsEntry("max.poll.records", "100")
                             .containsEntry("auto.offset.reset", "earliest");
        assertThat(p.routing().settings().errorPolicy()).isEqualTo(ErrorPolicy.NOOP);
        assertThat(p.jobConfig().getName()).isEqualTo("plant-routing");
        assertThat(p.jobConfig().getSerializerConfigs()).as("job-level serializers")
                .isEqualTo(JobSerializers.register(new JobConfig()).getSerializerConfigs());
        assertThat(p.job().guarantee()).isEqualTo(ProcessingGuarantee.EXACTLY_ONCE);
        assertThat(p.warnings()).singleElement().asString().startsWith("connector.class is ignored");
    }

    @Test
    void when_topicsGiven_then_theyAreRead() {
        KcqlRoutingParameters p = KcqlRoutingParameters.of(SettingsReader.arguments(KCQL,
                "bootstrap.servers=127.0.0.1:9092", "topics=a, b"));

        assertThat(p.topics()).containsExactly("a", "b");
    }

    @Test
    void when_requiredKeysMissing_then_messageNamesThem() {
        assertThatThrownBy(() -> KcqlRoutingParameters.of(SettingsReader.arguments("bootstrap.servers=127.0.0.1:9092")))
                .hasMessageStartingWith("connect.hazelcast.kcql is required");
        assertThatThrownBy(() -> KcqlRoutingParameters.of(SettingsReader.arguments(KCQL)))
                .hasMessageStartingWith("bootstrap.servers is required");
        assertThatThrownBy(() -> KcqlRoutingParameters.of(SettingsReader.arguments(KCQL, "bootstrap.servers=h:1",
                "job.snapshot.interval=often")))
                .hasMessageContaining("job.snapshot.interval must be a duration")
                .hasMessageContaining("'often'");
    }

    @Test
    void when_nothingGiven_then_jobKeysDefaultsAndNoWarning() {
        KcqlRoutingParameters p = KcqlRoutingParameters.of(SettingsReader.arguments(KCQL,
                "bootstrap.servers=127.0.0.1:9092"));

        assertThat(p.jobConfig().getName()).isEqualTo("iot-grid-kcql-routing");
        assertThat(p.job().guarantee()).isEqualTo(ProcessingGuarantee.AT_LEAST_ONCE);
        assertThat(p.job().snapshotInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.warnings()).isEmpty();
    }

    @Test
    void when_oldKeysGiven_then_readWithWarningNamingTheNewKey() {
        KcqlRoutingParameters p = KcqlRoutingParameters.of(SettingsReader.arguments(KCQL,
                "bootstrap.servers=127.0.0.1:9092", "name=plant-routing",
                "iotgrid.processing.guarantee=EXACTLY_ONCE", "iotgrid.snapshot.interval=2s"));

        assertThat(p.jobConfig().getName()).isEqualTo("plant-routing");
        assertThat(p.job().guarantee()).isEqualTo(ProcessingGuarantee.EXACTLY_ONCE);
        assertThat(p.job().snapshotInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.warnings()).containsExactlyInAnyOrder(
                "name is deprecated: use job.name",
                "iotgrid.processing.guarantee is deprecated: use job.processing.guarantee",
                "iotgrid.snapshot.interval is deprecated: use job.snapshot.interval");
    }

    @Test
    void when_oldAndNewKeyGiven_then_newOneWinsAndOldOneIsReportedIgnored() {
        KcqlRoutingParameters p = KcqlRoutingParameters.of(SettingsReader.arguments(KCQL,
                "bootstrap.servers=127.0.0.1:9092", "name=mqtt-connector", "job.name=plant-routing",
                "iotgrid.snapshot.interval=2s", "job.snapshot.interval=3s"));

        assertThat(p.jobConfig().getName()).isEqualTo("plant-routing");
        assertThat(p.job().snapshotInterval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(p.warnings()).containsExactlyInAnyOrder(
                "name is deprecated and ignored: job.name is given too",
                "iotgrid.snapshot.interval is deprecated and ignored: job.snapshot.interval is given too");
    }

    @Test
    void when_oldKeyHasBadValue_then_messageNamesTheOldKey() {
        assertThatThrownBy(() -> KcqlRoutingParameters.of(SettingsReader.arguments(KCQL, "bootstrap.servers=h:1",
                "iotgrid.processing.guarantee=twice")))
                .hasMessageContaining("iotgrid.processing.guarantee")
                .hasMessageContaining("'twice'");
    }
}
