package io.iotgrid.submit;

import io.iotgrid.core.settings.SettingsReader;
import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.config.ProcessingGuarantee;
import io.iotgrid.jobs.JobSerializers;
import io.iotgrid.sources.kafka.PayloadFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaAggregationParametersTest {

    @Test
    void when_fileAndLaterOverrides_then_overridesWinAndPrefixedClientPropertiesPassed(@TempDir Path dir)
            throws IOException {
        Path file = dir.resolve("kafka-job.properties");
        Files.writeString(file, String.join("\n",
                "kafka.bootstrap.servers=10.0.0.5:9092",
                "kafka.topics=readings",
                "kafka.payload.format=connect-json",
                "kafka.consumer.group.id=plant-7",
                "results.place.topic=place-windows",
                "job.processing.guarantee=at_least_once",
                "window.size=5m"));

        KafkaAggregationParameters p = KafkaAggregationParameters.of(SettingsReader.arguments(file.toString(),
                "kafka.bootstrap.servers=127.0.0.1:9093", "job.name=plant-7", "place.stats.map=plant_places"));

        assertThat(p.kafka().bootstrapServers()).isEqualTo("127.0.0.1:9093");
        assertThat(p.kafka().topics()).containsExactly("readings");
        assertThat(p.kafka().payload().format()).isEqualTo(PayloadFormat.CONNECT_JSON);
        assertThat(p.kafka().consumer()).containsEntry("group.id", "plant-7");
        assertThat(p.kafka().placeResultsTopic()).isEqualTo("place-windows");
        assertThat(p.kafka().jobConfig().getName()).isEqualTo("plant-7");
        assertThat(p.kafka().jobConfig().getProcessingGuarantee()).isEqualTo(ProcessingGuarantee.AT_LEAST_ONCE);
        assertThat(p.settings().windowSize()).isEqualTo(Duration.ofMinutes(5));
        assertThat(p.settings().placeStatsMap()).isEqualTo("plant_places");
        assertThat(p.settings().sensorStatsMap()).isEqualTo("sensor_stats");
    }

    @Test
    void when_onlyRequiredKeys_then_exactlyOnceWithDocumentedDefaults() {
        KafkaAggregationParameters p = KafkaAggregationParameters.of(SettingsReader.arguments(
                "kafka.bootstrap.servers=127.0.0.1:9092", "kafka.topics=a,b"));

        assertThat(p.kafka().jobConfig().getName()).isEqualTo("iot-grid-kafka-aggregation");
        assertThat(p.kafka().guarantee()).isEqualTo(ProcessingGuarantee.EXACTLY_ONCE);
        assertThat(p.kafka().jobConfig().getSnapshotIntervalMillis()).isEqualTo(10_000);
        assertThat(p.kafka().jobConfig().getSerializerConfigs()).as("job-level serializers")
                .isEqualTo(JobSerializers.register(new JobConfig()).getSerializerConfigs());
        assertThat(p.settings().windowSize()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void when_keyUnknownOrMissingOrBad_then_messageNamesIt() {
        assertThatThrownBy(() -> KafkaAggregationParameters.of(SettingsReader.arguments(
                "kafka.bootstrap.servers=h:1", "kafka.topics=t", "windowSize=5m")))
                .hasMessageStartingWith("unknown keys [windowSize]; known keys are [alert.rules,")
                .hasMessageEndingWith(" and those starting with [kafka.consumer., kafka.producer.]");
        assertThatThrownBy(() -> KafkaAggregationParameters.of(SettingsReader.arguments("kafka.topics=t")))
                .hasMessage("kafka.bootstrap.servers is required: the brokers, `host:port` comma-separated");
        assertThatThrownBy(() -> KafkaAggregationParameters.of(SettingsReader.arguments(
                "kafka.bootstrap.servers=h:1", "kafka.topics=t", "window.size=long")))
                .hasMessageContaining("window.size must be a duration")
                .hasMessageContaining("'long'");
    }
}
