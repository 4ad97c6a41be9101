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
                + "name=plant-routing\n"
                + "connector.class=com.datamountaineer.streamreactor.connect.hazelcast.sink.HazelCastSinkConnector\n"
                + "connect.hazelcast.error.policy=NOOP\n"
                + "consumer.group.id=routing\n"
                + "consumer.max.poll.records=100\n");

        KcqlRoutingParameters p = KcqlRoutingParameters.of(SettingsReader.arguments(file.toString(),
                "bootstrap.servers=127.0.0.1:9092", "iotgrid.processing.guarantee=EXACTLY_ONCE"));

        assertThat(p.topics()).containsExactly("coap_sensor_topic", "other_topic");
        assertThat(p.kafka()).containsEntry("bootstrap.servers", "127.0.0.1:9092")
                             .containsEntry("group.id", "routing")
                             .containsEntry("max.poll.records", "100")
                             .containsEntry("auto.offset.reset", "earliest");
        assertThat(p.routing().settings().errorPolicy()).isEqualTo(ErrorPolicy.NOOP);
        assertThat(p.jobConfig().getName()).isEqualTo("plant-routing");
        assertThat(p.jobConfig().getSerializerConfigs()).as("job-level serializers")
                .isEqualTo(JobSerializers.register(new JobConfig()).getSerializerConfigs());
        assertThat(p.guarantee()).isEqualTo(ProcessingGuarantee.EXACTLY_ONCE);
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
                "iotgrid.snapshot.interval=often")))
                .hasMessageContaining("iotgrid.snapshot.interval must be a duration")
                .hasMessageContaining("'often'");
    }
}
