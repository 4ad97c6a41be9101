package io.iotgrid.kafka.broker;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The broker JVM: starts, keeps what it was given across a restart, and leaves nothing behind. */
@Timeout(240)
class KafkaBrokerIT {

    @Test
    void when_brokerRestarts_then_topicsAndRecordsKeptAndCloseRemovesEverything() throws Exception {
        Path dataDir;
        long pid;
        try (KafkaBroker broker = KafkaBroker.start(KafkaBrokerSettings.defaults().withMaxHeap("256m"))) {
            dataDir = broker.dataDir();
            broker.createTopic("kept", 2);
            assertThatThrownBy(() -> broker.createTopic("kept", 2))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot create topic 'kept'")
                    .hasMessageContaining("TopicExistsException");
            produce(broker, "kept", List.of("a", "b", "c"));

            String bootstrap = broker.bootstrapServers();
            broker.restart();
            assertThat(broker.bootstrapServers()).isEqualTo(bootstrap);
            produce(broker, "kept", List.of("d"));
            assertThat(consumeAll(broker, "kept", 4)).containsExactlyInAnyOrder("a", "b", "c", "d");
            assertThat(Files.readString(dataDir.resolve("broker.log"))).contains("Kafka Server started");
            pid = broker.pid();
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void when_startedAgainOnGivenDataDir_then_topicsFoundAndDirKept(@TempDir Path dir) {
        KafkaBrokerSettings settings = KafkaBrokerSettings.defaults().withMaxHeap("256m").withDataDir(dir);
        try (KafkaBroker broker = KafkaBroker.start(settings)) {
            broker.createTopic("durable", 1);
        }
        assertThat(dir.resolve("logs")).isDirectory();

        try (KafkaBroker broker = KafkaBroker.start(settings)) {
            assertThatThrownBy(() -> broker.createTopic("durable", 1)).hasMessageContaining("TopicExistsException");
        }
    }

    @Test
    void when_portTaken_then_startFailsAtOnceWithTheBrokersLog() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            KafkaBrokerSettings settings = KafkaBrokerSettings.defaults().withMaxHeap("256m")
                    .withPort(taken.getLocalPort());

            assertThatThrownBy(() -> KafkaBroker.start(settings))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("the Kafka broker exited with code 1 before it could start")
                    .hasMessageContaining("Address already in use");
        }
    }

    @Test
    void when_settingsInvalid_then_rejectedNamingTheKey() {
        assertThatThrownBy(() -> KafkaBrokerSettings.defaults().withMaxHeap("lots"))
                .hasMessage("maxHeap must be a JVM size such as 512m or 1g, was 'lots'");
        assertThatThrownBy(() -> KafkaBrokerSettings.defaults().withPort(70000))
                .hasMessage("port must be between 0 and 65535, was 70000");
        assertThatThrownBy(() -> KafkaBrokerSettings.defaults().withStartTimeout(Duration.ZERO))
                .hasMessage("startTimeout must be positive, was PT0S");
    }

    private static void produce(KafkaBroker broker, String topic, List<String> values) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            for (String v : values) {
                producer.send(new ProducerRecord<>(topic, v, v)).get();
            }
        }
    }

    private static List<String> consumeAll(KafkaBroker broker, String topic, int expected) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "check",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }
}
