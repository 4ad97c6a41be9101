package io.iotgrid.jobs;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.core.JobStatus;
import io.iotgrid.core.DeadLetter;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.WindowStats;
import io.iotgrid.core.testing.Resources;
import io.iotgrid.kafka.broker.KafkaBroker;
import io.iotgrid.kafka.broker.KafkaBrokerSettings;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static io.iotgrid.jobs.KafkaReadings.actualAll;
import static io.iotgrid.jobs.KafkaReadings.asLists;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Malformed records between good ones: each becomes a dead letter with its coordinates, and the job goes on. */
@Timeout(180)
class KafkaBadInputIT {

    private static final int PORT = 6100;
    private static final String TOPIC = "mixed";
    private static final Duration LONG = Duration.ofSeconds(90);

    @RegisterExtension
    final Resources resources = new Resources();

    @Test
    void when_malformedRecordsAmongGoodOnes_then_deadLettersWithCoordinatesAndJobKeepsAggregating() throws Exception {
        KafkaBroker broker = resources.add(KafkaBroker.start(KafkaBrokerSettings.defaults().withMaxHeap("256m")));
        broker.createTopic(TOPIC, 2);
        HazelcastInstance member = Hazelcast.newHazelcastInstance(
                GridConfigs.loopbackMember("kafka-bad-" + UUID.randomUUID(), PORT));
        resources.onClose(() -> member.getLifecycleService().terminate());
        KafkaJobSettings kafka = KafkaReadings.kafka(broker.bootstrapServers(), TOPIC);
        AggregationSettings settings = KafkaReadings.settings();
        Job job = member.getJet().newJob(
                KafkaAggregationJob.build(KafkaAggregationJob.source(kafka, settings), settings, kafka),
                kafka.jobConfig());
        resources.onClose(() -> {
            if (!job.getStatus().isTerminal()) {
                job.cancel();
            }
        });
        KafkaReadings data = new KafkaReadings(6, 2, 10);

        Map<Long, String> reasons = new HashMap<>();
        Map<Long, byte[]> values = new HashMap<>();
        Map<Long, Integer> partitions = new HashMap<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<String, byte[]> r : data.records(TOPIC, 0, 5)) {
                producer.send(r);
            }
            Map<String, byte[]> bad = new LinkedHashMap<>();
            bad.put("malformed JSON", utf8("{\"id\":\"s-1\",\"timestamp\":"));
            bad.put("record has no value (a tombstone)", null);
            bad.put("field 'timestamp' must be an integer of epoch milliseconds but was a string",
                    utf8("{\"id\":\"s-1\",\"place_id\":\"p-1\",\"timestamp\":\"yesterday\",\"payload\":{\"temperature\":1}}"));
            bad.put("payload is not a JSON object", utf8("[\"not\",\"an\",\"object\"]"));
            bad.put("malformed JSON: Illegal character", new byte[]{0, 0, 0, 0, 7, 2, 4});
            int partition = 0;
            for (Map.Entry<String, byte[]> e : bad.entrySet()) {
                RecordMetadata m = producer.send(new ProducerRecord<>(TOPIC, partition, "bad-key", e.getValue())).get();
                // Offsets are per partition: key the expectations by both.
                long id = m.offset() * 2 + m.partition();
                reasons.put(id, e.getKey());
                values.put(id, e.getValue() == null ? new byte[0] : e.getValue());
                partitions.put(id, m.partition());
                partition = 1 - partition;
            }
            for (ProducerRecord<String, byte[]> r : data.records(TOPIC, 5, data.perSensor)) {
                producer.send(r);
            }
            producer.flush();
        }

        Map<Object, DeadLetter> deadLetters = member.getMap(settings.deadLettersMap());
        await().atMost(LONG).untilAsserted(() -> assertThat(deadLetters).hasSize(reasons.size()));
        for (DeadLetter dl : deadLetters.values()) {
            long id = dl.offset() * 2 + dl.partition();
            assertThat(reasons).as("dead letter at %s", dl.source()).containsKey(id);
            assertThat(dl.reason()).startsWith(reasons.get(id));
            assertThat(dl.topic()).isEqualTo(TOPIC);
            assertThat(dl.partition()).isEqualTo(partitions.get(id));
            assertThat(dl.key()).isEqualTo(utf8("bad-key"));
            assertThat(dl.payload()).isEqualTo(values.get(id));
        }

        Map<String, WindowStats> sensors = member.getMap(settings.sensorStatsMap());
        await().atMost(LONG).untilAsserted(() ->
                assertThat(actualAll(sensors)).isEqualTo(asLists(data.expectedBySensor())));
        assertThat(job.getStatus()).isEqualTo(JobStatus.RUNNING);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
