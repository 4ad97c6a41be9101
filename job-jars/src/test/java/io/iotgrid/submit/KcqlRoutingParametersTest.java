package io.iotgrid.submit;

import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.config.ProcessingGuarantee;
import io.iotgrid.core.DeadLetter;
import io.iotgrid.jobs.JobSerializers;
import io.iotgrid.kcql.TopicRecord;
import io.iotgrid.sinks.ErrorPolicy;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

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

        KcqlRoutingParameters p = KcqlRoutingParameters.of(JobArguments.parse(file.toString(),
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
        KcqlRoutingParameters p = KcqlRoutingParameters.of(JobArguments.parse(KCQL,
                "bootstrap.servers=127.0.0.1:9092", "topics=a, b"));

        assertThat(p.topics()).containsExactly("a", "b");
    }

    @Test
    void when_requiredKeysMissing_then_messageNamesThem() {
        assertThatThrownBy(() -> KcqlRoutingParameters.of(JobArguments.parse("bootstrap.servers=127.0.0.1:9092")))
                .hasMessageStartingWith("connect.hazelcast.kcql is required");
        assertThatThrownBy(() -> KcqlRoutingParameters.of(JobArguments.parse(KCQL)))
                .hasMessageStartingWith("bootstrap.servers is required");
        assertThatThrownBy(() -> KcqlRoutingParameters.of(JobArguments.parse(KCQL, "bootstrap.servers=h:1",
                "iotgrid.snapshot.interval=often")))
                .hasMessageContaining("iotgrid.snapshot.interval must be a duration")
                .hasMessageContaining("'often'");
    }

    @Test
    void when_valueIsJsonObject_then_recordWithTextKey() {
        var decoded = KcqlRoutingSubmit.decode(new ConsumerRecord<>("t", 2, 7L,
                "k-1".getBytes(StandardCharsets.UTF_8),
                "{\"sensor_id\":\"s-1\",\"t\":21.5}".getBytes(StandardCharsets.UTF_8)));

        assertThat(decoded.f1()).isNull();
        TopicRecord r = decoded.f0();
        assertThat(r.topic()).isEqualTo("t");
        assertThat(r.key()).isEqualTo("k-1");
        assertThat(r.value()).isEqualTo(Map.of("sensor_id", "s-1", "t", 21.5));
    }

    @Test
    void when_valueIsNotJsonObject_then_deadLetterWithCoordinatesReasonAndBytes() {
        byte[] bad = "{\"sensor_id\":".getBytes(StandardCharsets.UTF_8);

        byte[] key = "k-1".getBytes(StandardCharsets.UTF_8);

        var decoded = KcqlRoutingSubmit.decode(new ConsumerRecord<>("t", 2, 7L, key, bad));

        assertThat(decoded.f0()).isNull();
        DeadLetter d = decoded.f1();
        assertThat(d.source()).isEqualTo("kafka:t/2@7");
        assertThat(d.topic()).isEqualTo("t");
        assertThat(d.partition()).isEqualTo(2);
        assertThat(d.offset()).isEqualTo(7L);
        assertThat(d.key()).isEqualTo(key);
        assertThat(d.reason()).contains("record from topic t");
        assertThat(d.payload()).isEqualTo(bad);
    }
}
