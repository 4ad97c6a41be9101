package io.iotgrid.jobs;

import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.config.ProcessingGuarantee;
import com.hazelcast.jet.core.Vertex;
import com.hazelcast.jet.pipeline.Pipeline;
import io.iotgrid.core.ReadingFormat;
import io.iotgrid.core.WindowStats;
import io.iotgrid.core.testing.JavaSerialization;
import io.iotgrid.sources.kafka.PayloadFormat;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaJobSettingsTest {

    @Test
    void when_onlyRequiredKeys_then_documentedDefaults() {
        Properties props = new Properties();
        props.setProperty("kafka.bootstrap.servers", "127.0.0.1:9092");
        props.setProperty("kafka.topics", "readings, more-readings");

        KafkaJobSettings s = KafkaJobSettings.fromProperties(props);

        assertThat(s.topics()).containsExactly("readings", "more-readings");
        assertThat(s.payload().format()).isEqualTo(PayloadFormat.JSON);
        assertThat(s.guarantee()).isEqualTo(ProcessingGuarantee.EXACTLY_ONCE);
        assertThat(s.snapshotInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.transactionTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.sensorResultsTopic()).isNull();
        assertThat(s.placeResultsTopic()).isNull();
        assertThat(s.jobName()).isEqualTo("iot-grid-kafka-aggregation");
        assertThat(s.consumer()).containsEntry("auto.offset.reset", "earliest")
                                .containsEntry("isolation.level", "read_committed")
                                .containsEntry("bootstrap.servers", "127.0.0.1:9092");
        assertThat(s.producer()).containsEntry("transaction.timeout.ms", "60000");
        JobConfig config = s.jobConfig();
        assertThat(config.getProcessingGuarantee()).isEqualTo(ProcessingGuarantee.EXACTLY_ONCE);
        assertThat(config.getSnapshotIntervalMillis()).isEqualTo(10_000);
        assertThat(config.getName()).isEqualTo("iot-grid-kafka-aggregation");
    }

    @Test
    void when_everyKindOfKey_then_readAndPrefixedClientPropertiesPassed() {
        Properties props = new Properties();
        props.setProperty("kafka.bootstrap.servers", "127.0.0.1:9093");
        props.setProperty("kafka.topics", "readings");
        props.setProperty("kafka.payload.format", "connect-json");
        props.setProperty("kafka.consumer.group.id", "plant-7");
        props.setProperty("kafka.producer.compression.type", "lz4");
        props.setProperty("results.sensor.topic", "sensor-windows");
        props.setProperty("job.name", "plant-7");
        props.setProperty("job.processing.guarantee", "at_least_once");
        props.setProperty("job.snapshot.interval", "2s");
        props.setProperty("window.size", "5m");
        props.setProperty("quiet.close.after", "none");
        props.setProperty("alert.rules", "temperature>30;humidity<15");

        KafkaJobSettings kafka = KafkaJobSettings.fromProperties(props);
        AggregationSettings settings = AggregationSettings.fromProperties(props);

        assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:9093");
        assertThat(kafka.jobName()).isEqualTo("plant-7");
        assertThat(kafka.payload().format()).isEqualTo(PayloadFormat.CONNECT_JSON);
        assertThat(kafka.consumer()).containsEntry("group.id", "plant-7");
        assertThat(kafka.producer()).containsEntry("compression.type", "lz4");
        assertThat(kafka.sensorResultsTopic()).isEqualTo("sensor-windows");
        assertThat(kafka.guarantee()).isEqualTo(ProcessingGuarantee.AT_LEAST_ONCE);
        assertThat(kafka.snapshotInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.windowSize()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.quietCloseAfter()).isNull();
        assertThat(settings.alertRules()).hasSize(2);
        assertThat(settings.format()).isEqualTo(ReadingFormat.nested());
    }

    @Test
    void when_payloadLimitKey_then_thePayloadSettingsTakeIt() {
        Properties props = new Properties();
        props.setProperty("kafka.bootstrap.servers", "127.0.0.1:9092");
        props.setProperty("kafka.topics", "readings");
        props.setProperty("payload.max.bytes", "4096");

        assertThat(KafkaJobSettings.fromProperties(props).payload().maxBytes()).isEqualTo(4096);
        assertThat(KafkaJobSettings.of("127.0.0.1:9092", "readings").payload().maxBytes()).isEqualTo(65_536);
    }

    @Test
    void when_valuesInvalid_then_messageNamesKeyAndValue() {
        assertThatThrownBy(() -> KafkaJobSettings.of(" ", "t"))
                .hasMessage("kafka.bootstrap.servers must be non-blank, was ' '");
        assertThatThrownBy(() -> KafkaJobSettings.of("h:1"))
                .hasMessage("kafka.topics must be at least one topic, was ''");
        assertThatThrownBy(() -> KafkaJobSettings.of("h:1", "t").toBuilder()
                .set(KafkaJobSettings.SENSOR_RESULTS_TOPIC, "t").build())
                .hasMessage("results.sensor.topic 't' is also an input topic in kafka.topics: the job would read its "
                        + "own results");
        assertThatThrownBy(() -> KafkaJobSettings.of("h:1", "t").toBuilder()
                .set(JobSettings.SNAPSHOT_INTERVAL, Duration.ofMinutes(2)).build())
                .hasMessageStartingWith("results.transaction.timeout must be longer than job.snapshot.interval (2m)");
        Properties props = new Properties();
        props.setProperty("kafka.bootstrap.servers", "h:1");
        props.setProperty("kafka.topics", "t");
        props.setProperty("job.processing.guarantee", "twice");
        assertThatThrownBy(() -> KafkaJobSettings.fromProperties(props))
                .hasMessage("job.processing.guarantee must be one of none, at_least_once, exactly_once, was 'twice'");
        props.setProperty("job.processing.guarantee", "none");
        props.setProperty("job.snapshot.interval", "soon");
        assertThatThrownBy(() -> KafkaJobSettings.fromProperties(props))
                .hasMessage("job.snapshot.interval must be a duration such as 500ms, 90s, 5m or 1h, was 'soon'");
    }

    @Test
    void when_pipelineBuilt_then_everythingCapturedSerializable() {
        KafkaJobSettings kafka = KafkaJobSettings.of("127.0.0.1:9092", "readings").toBuilder()
                .set(KafkaJobSettings.SENSOR_RESULTS_TOPIC, "s").set(KafkaJobSettings.PLACE_RESULTS_TOPIC, "p").build();
        AggregationSettings settings = AggregationSettings.defaults();

        Pipeline p = KafkaAggregationJob.build(KafkaAggregationJob.source(kafka, settings), settings, kafka);

        assertThat(JavaSerialization.roundTrip(kafka)).isEqualTo(kafka);
        assertThat(p.toDag().vertices()).extracting(Vertex::getName)
                .anyMatch(n -> n.startsWith("kafkaSource"))
                .anyMatch(n -> n.contains("kafkaSink"));
        // Jet serializes every vertex's processor supplier when the job is submitted: this fails on anything
        // captured that is not serializable.
        p.toDag().forEach(v -> JavaSerialization.roundTrip(v.getMetaSupplier()));
    }

    @Test
    void when_windowJson_then_recordComponentsAsFields() {
        String json = KafkaAggregationJob.toJson(new WindowStats("s-1", 0, 10, false, 2,
                2, 1.0, 3.0, 2.0, 1.0, 0, null, null, null, null, 0, null, null, null, null,
                0, null, null, null, null, null));

        assertThat(json).startsWith("{\"id\":\"s-1\",\"windowStart\":0,\"windowEnd\":10,\"early\":false,\"count\":2,")
                        .contains("\"temperatureAvg\":2.0", "\"humidityMin\":null");
    }
}
