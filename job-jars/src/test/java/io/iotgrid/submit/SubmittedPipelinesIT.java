package io.iotgrid.submit;

import io.iotgrid.core.settings.SettingsReader;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.core.JobStatus;
import com.hazelcast.jet.core.metrics.Measurement;
import com.hazelcast.jet.pipeline.test.TestSources;
import com.hazelcast.ringbuffer.Ringbuffer;
import io.iotgrid.core.DeadLetter;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.RawReading;
import io.iotgrid.core.ReadingParser;
import io.iotgrid.core.SqlMappings;
import io.iotgrid.core.testing.Resources;
import io.iotgrid.jobs.AggregationJob;
import io.iotgrid.jobs.AggregationSettings;
import io.iotgrid.jobs.KcqlRoutingJob;
import io.iotgrid.kafka.broker.KafkaBroker;
import io.iotgrid.kafka.broker.KafkaBrokerSettings;
import io.iotgrid.kcql.StreamReactorProperties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static io.iotgrid.core.testing.GridReads.readAll;
import static io.iotgrid.core.testing.SqlRows.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the job jars' mains submit, on an embedded member with SQL: the mappings make the result maps queryable
 * with the column names of the README, and the job counts its input in user metrics. The Kafka jars' pipelines run
 * as their mains submit them ({@code submit(hz, parameters)} from the same arguments) against a real
 * {@link KafkaBroker}.
 */
class SubmittedPipelinesIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    final Resources resources = new Resources();

    private HazelcastInstance member(int port) {
        HazelcastInstance member = Hazelcast.newHazelcastInstance(
                GridConfigs.loopbackMember("job-jars-it-" + port, port));
        resources.onClose(member::shutdown);
        return member;
    }

    @Test
    void when_aggregationRuns_then_sqlFindsHotPlaceAndMetricsCountReadingsAndDeadLetters() {
        HazelcastInstance member = member(6200);
        AggregationSettings settings = AggregationSettings.builder()
                .set(AggregationSettings.WINDOW_SIZE, Duration.ofSeconds(1)).set(AggregationSettings.EARLY_RESULTS_PERIOD, Duration.ZERO).build();
        SqlMappings.create(member, settings.sensorStatsMap(), settings.placeStatsMap(), settings.deadLettersMap());
        // Every 10th item is broken JSON; sensors s-0..s-3, the even ones in the hot place. Parsed in the source, as
        // the job's own sources do.
        ReadingParser parser = new ReadingParser(settings.format());
        Job job = member.getJet().newJob(AggregationJob.build(TestSources.itemStream(50, (ts, seq) -> {
            int sensor = (int) (seq % 4);
            String json = seq % 10 == 9 ? "{\"id\":\"s-" + sensor
                    : "{\"id\":\"s-" + sensor + "\",\"place_id\":\"" + (sensor % 2 == 0 ? "p-hot" : "p-cold")
                      + "\",\"timestamp\":" + System.currentTimeMillis() + ",\"payload\":{\"temperature\":"
                      + (sensor % 2 == 0 ? 30 : 20) + "}}";
            return parser.parse(new RawReading("test:" + seq, System.currentTimeMillis(),
                    json.getBytes(StandardCharsets.UTF_8)));
        }), settings));
        resources.onClose(job::cancel);

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(query(member, "SELECT id FROM place_stats WHERE avg_temperature > 25"))
                    .containsExactly(List.of("p-hot"));
            assertThat(query(member, "SELECT id, readings, count_temperature, min_temperature, max_temperature "
                    + "FROM sensor_stats WHERE id = 's-1'"))
                    .singleElement().satisfies(row -> {
                        assertThat(row.get(1)).isEqualTo(row.get(2));
                        assertThat((long) row.get(1)).isPositive();
                        assertThat(row.subList(3, 5)).containsExactly(20.0, 20.0);
                    });
            assertThat(query(member, "SELECT source, reason FROM dead_letters")).isNotEmpty()
                    .allSatisfy(row -> assertThat((String) row.get(1)).isNotBlank());
        });
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(sum(job, AggregationJob.READINGS_PARSED)).isPositive();
            assertThat(sum(job, AggregationJob.DEAD_LETTERS)).isPositive();
        });
    }

    @Test
    void when_kafkaValuesRouted_then_jsonRecordsStoredAndBrokenOnesDeadLettered() {
        HazelcastInstance member = member(6205);
        Properties props = new Properties();
        props.setProperty("connect.hazelcast.kcql",
                "INSERT INTO routed SELECT sensor_id, temperature FROM readings WITHFORMAT JSON STOREAS RING_BUFFER");
        StreamReactorProperties routing = StreamReactorProperties.of(props);
        SqlMappings.createDeadLetters(member, routing.settings().deadLettersMap());
        Job job = member.getJet().newJob(KcqlRoutingJob.build(member, TestSources.itemStream(20, (ts, seq) -> {
            String value = seq % 2 == 0 ? "{\"sensor_id\":\"s-" + seq + "\",\"temperature\":21.5,\"x\":1}" : "not json";
            return new ConsumerRecord<byte[], byte[]>("readings", 0, seq, null, value.getBytes(StandardCharsets.UTF_8));
        }), KcqlRoutingJob::decode, routing));
        resources.onClose(job::cancel);

        Ringbuffer<Object> routed = member.getRingbuffer("routed");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(readAll(routed)).isNotEmpty().allSatisfy(v ->
                    assertThat(v.toString()).matches("\\{\"sensor_id\":\"s-\\d*[02468]\",\"temperature\":21.5}"));
            assertThat(query(member, "SELECT source FROM dead_letters"))
                    .isNotEmpty()
                    .allSatisfy(row -> assertThat((String) row.get(0)).matches("kafka:readings/0@\\d*[13579]"));
        });
    }

    @Test
    void when_kcqlRoutingJarReadsTwoTopicsOfRealBroker_then_structuresRoutedAndBadValueDeadLetteredWithCoordinates(
            @TempDir Path dir) throws Exception {
        KafkaBroker broker = resources.add(KafkaBroker.start(KafkaBrokerSettings.defaults().withMaxHeap("256m")));
        broker.createTopic("plant_a", 2);
        broker.createTopic("plant_b", 1);
        Path file = dir.resolve("hazelcast-sink.properties");
        Files.writeString(file, String.join("\n",
                "job.name=kafka-routing-it",
                "connector.class=com.datamountaineer.streamreactor.connect.hazelcast.sink.HazelCastSinkConnector",
                "connect.hazelcast.kcql=INSERT INTO routed_a SELECT sensor_id, temperature FROM plant_a "
                        + "WITHFORMAT JSON STOREAS RING_BUFFER;"
                        + "INSERT INTO sensors_b SELECT * FROM plant_b PK sensor_id WITHFORMAT JSON STOREAS IMAP",
                "job.snapshot.interval=1s"));
        HazelcastInstance member = member(6500);
        KcqlRoutingParameters params = KcqlRoutingParameters.of(SettingsReader.arguments(file.toString(),
                "bootstrap.servers=" + broker.bootstrapServers()));
        Job job = KcqlRoutingSubmit.submit(member, params);
        resources.onClose(job::cancel);

        List<String> routedA = new ArrayList<>();
        Map<String, String> sensorsB = new HashMap<>();
        RecordMetadata bad;
        try (KafkaProducer<String, String> producer = PlaceReadings.producer(broker.bootstrapServers())) {
            for (int i = 0; i < 6; i++) {
                producer.send(new ProducerRecord<>("plant_a", "a-" + i,
                        "{\"sensor_id\":\"a-" + i + "\",\"temperature\":" + (20 + i) + ",\"dropped\":true}"));
                routedA.add("{\"sensor_id\":\"a-" + i + "\",\"temperature\":" + (20 + i) + '}');
            }
            for (int i = 0; i < 3; i++) {
                String json = "{\"sensor_id\":\"b-" + i + "\",\"humidity\":" + (40 + i) + '}';
                producer.send(new ProducerRecord<>("plant_b", "b-" + i, json));
                sensorsB.put("b-" + i, json);
            }
            bad = producer.send(new ProducerRecord<>("plant_b", "bad-key", "{\"sensor_id\":")).get();
        }

        Ringbuffer<Object> ring = member.getRingbuffer("routed_a");
        Map<String, Object> deadLetters = member.getMap(params.routing().settings().deadLettersMap());
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(readAll(ring)).extracting(Object::toString).containsExactlyInAnyOrderElementsOf(routedA);
            assertThat(member.getMap("sensors_b").size()).isEqualTo(sensorsB.size());
            assertThat(deadLetters).hasSize(1);
        });
        sensorsB.forEach((id, json) -> assertThat(member.getMap("sensors_b").get(id)).hasToString(json));
        DeadLetter dl = (DeadLetter) deadLetters.values().iterator().next();
        assertThat(dl.source()).isEqualTo("kafka:plant_b/0@" + bad.offset());
        assertThat(dl.topic()).isEqualTo("plant_b");
        assertThat(dl.partition()).isZero();
        assertThat(dl.offset()).isEqualTo(bad.offset());
        assertThat(dl.key()).isEqualTo("bad-key".getBytes(StandardCharsets.UTF_8));
        assertThat(dl.payload()).isEqualTo("{\"sensor_id\":".getBytes(StandardCharsets.UTF_8));
        assertThat(dl.reason()).contains("plant_b");
        assertThat(query(member, "SELECT source, topic, kafka_partition, kafka_offset FROM dead_letters"))
                .containsExactly(List.of(dl.source(), "plant_b", 0, bad.offset()));
        assertThat(job.getName()).isEqualTo("kafka-routing-it");
        assertThat(job.getStatus()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void when_kafkaAggregationJarReadsRealBroker_then_placeStatsAggregateEveryReadingAndBadOneDeadLettered()
            throws Exception {
        KafkaBroker broker = resources.add(KafkaBroker.start(KafkaBrokerSettings.defaults().withMaxHeap("256m")));
        broker.createTopic("readings", 2);
        HazelcastInstance member = member(6505);
        List<String> args = new ArrayList<>(List.of("kafka.bootstrap.servers=" + broker.bootstrapServers(),
                "kafka.topics=readings", "job.name=kafka-aggregation-it"));
        args.addAll(PlaceReadings.JOB_ARGUMENTS);
        KafkaAggregationParameters params = KafkaAggregationParameters.of(SettingsReader.arguments(
                args.toArray(String[]::new)));
        Job job = KafkaAggregationSubmit.submit(member, params);
        resources.onClose(job::cancel);

        PlaceReadings readings = new PlaceReadings();
        RecordMetadata bad = readings.produce(broker.bootstrapServers(), "readings");

        await().atMost(WAIT).untilAsserted(() -> assertThat(query(member,
                "SELECT id, readings, avg_temperature, min_temperature, max_temperature FROM place_stats ORDER BY id"))
                .isEqualTo(readings.expectedPlaceRows()));
        Map<Object, DeadLetter> deadLetters = member.getMap(params.settings().deadLettersMap());
        await().atMost(WAIT).untilAsserted(() -> assertThat(deadLetters).hasSize(1));
        DeadLetter dl = deadLetters.values().iterator().next();
        assertThat(dl.topic()).isEqualTo("readings");
        assertThat(dl.partition()).isEqualTo(1);
        assertThat(dl.offset()).isEqualTo(bad.offset());
        assertThat(dl.key()).isEqualTo(PlaceReadings.BAD_KEY.getBytes(StandardCharsets.UTF_8));
        assertThat(dl.reason()).startsWith("malformed JSON");
        assertThat(query(member, "SELECT source, topic, kafka_partition, kafka_offset FROM dead_letters"))
                .containsExactly(List.of("kafka:readings/1@" + bad.offset(), "readings", 1, bad.offset()));
        assertThat(job.getName()).isEqualTo("kafka-aggregation-it");
        assertThat(job.getStatus()).isEqualTo(JobStatus.RUNNING);
    }

    private static long sum(Job job, String metric) {
        return job.getMetrics().get(metric).stream().mapToLong(Measurement::value).sum();
    }
}
