package io.iotgrid.jobs;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.core.JobStatus;
import io.iotgrid.core.DeadLetter;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.PayloadLimit;
import io.iotgrid.core.SensorReading;
import io.iotgrid.core.testing.Resources;
import io.iotgrid.kafka.broker.KafkaBroker;
import io.iotgrid.kafka.broker.KafkaBrokerSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.iotgrid.core.testing.LargePayloads.paddedJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An 8 MiB record (the topic and producer raised to take it) reaches the Kafka job as a dead letter with its first
 * bytes, its size and its coordinates, while the readings around it are read; before the limit it was parsed.
 */
@Timeout(180)
class KafkaPayloadLimitIT {

    private static final String TOPIC = "large";
    private static final int SIZE = 8 * 1024 * 1024;
    private static final int RECORD_LIMIT = 16 * 1024 * 1024;
    private static final Duration LONG = Duration.ofSeconds(90);

    @RegisterExtension
    final Resources resources = new Resources();

    @Test
    void when_8MiBRecord_then_deadLetterWithFirstBytesSizeAndCoordinates() throws Exception {
        KafkaBroker broker = resources.add(KafkaBroker.start(KafkaBrokerSettings.defaults().withMaxHeap("256m")));
        broker.createTopic(TOPIC, 1);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, TOPIC), List.of(
                    new AlterConfigOp(new ConfigEntry("max.message.bytes", Integer.toString(RECORD_LIMIT)),
                            AlterConfigOp.OpType.SET)))).all().get();
        }
        HazelcastInstance member = Hazelcast.newHazelcastInstance(
                GridConfigs.loopbackMember("kafka-limit-" + UUID.randomUUID(), freePort()));
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

        byte[] big = paddedJson("{\"id\":\"s-big\",\"place_id\":\"p-1\",\"timestamp\":" + KafkaReadings.T
                + ",\"payload\":{\"temperature\":1}", SIZE);
        RecordMetadata bigAt;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, RECORD_LIMIT,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, "s-1", reading("s-1", 1))).get();
            bigAt = producer.send(new ProducerRecord<>(TOPIC, "s-big", big)).get();
            producer.send(new ProducerRecord<>(TOPIC, "s-2", reading("s-2", 2))).get();
        }

        Map<Object, DeadLetter> deadLetters = member.getMap(settings.deadLettersMap());
        await().atMost(LONG).untilAsserted(() -> assertThat(deadLetters).hasSize(1));
        DeadLetter dl = deadLetters.values().iterator().next();
        assertThat(dl.reason()).isEqualTo(PayloadLimit.reason(SIZE, PayloadLimit.DEFAULT_MAX_BYTES));
        assertThat(dl.payload()).isEqualTo(Arrays.copyOf(big, PayloadLimit.KEPT_BYTES));
        assertThat(dl.topic()).isEqualTo(TOPIC);
        assertThat(dl.partition()).isEqualTo(bigAt.partition());
        assertThat(dl.offset()).isEqualTo(bigAt.offset());
        assertThat(dl.key()).isEqualTo("s-big".getBytes(StandardCharsets.UTF_8));

        var readings = member.<SensorReading>getRingbuffer(settings.readingsRingbuffer());
        await().atMost(LONG).until(() -> readings.size() == 2);
        assertThat(List.of(readings.readOne(0).sensorId(), readings.readOne(1).sensorId()))
                .containsExactly("s-1", "s-2");
        assertThat(job.getStatus()).isEqualTo(JobStatus.RUNNING);
    }

    private static byte[] reading(String id, long offsetMillis) {
        return ("{\"id\":\"" + id + "\",\"place_id\":\"p-1\",\"timestamp\":" + (KafkaReadings.T + offsetMillis)
                + ",\"payload\":{\"temperature\":20}}").getBytes(StandardCharsets.UTF_8);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
