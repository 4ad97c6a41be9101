package io.iotgrid.sinks;

import com.hazelcast.config.EventJournalConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.config.ProcessingGuarantee;
import com.hazelcast.jet.core.JobStatus;
import com.hazelcast.jet.core.metrics.Measurement;
import com.hazelcast.jet.pipeline.JournalInitialPosition;
import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.Sources;
import com.hazelcast.map.IMap;
import io.iotgrid.core.DeadLetter;
import io.iotgrid.core.testing.Resources;
import io.iotgrid.sources.MosquittoBroker;
import io.iotgrid.sources.MosquittoSub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.iotgrid.sinks.MqttSinkSettings.BROKER;
import static io.iotgrid.sinks.MqttSinkSettings.DEAD_LETTERS_MAP;
import static io.iotgrid.sinks.MqttSinkSettings.ERROR_POLICY;
import static io.iotgrid.sinks.MqttSinkSettings.MAX_RETRIES;
import static io.iotgrid.sinks.MqttSinkSettings.PASSWORD;
import static io.iotgrid.sinks.MqttSinkSettings.QOS;
import static io.iotgrid.sinks.MqttSinkSettings.RECONNECT_INITIAL_BACKOFF;
import static io.iotgrid.sinks.MqttSinkSettings.RECONNECT_MAX_BACKOFF;
import static io.iotgrid.sinks.MqttSinkSettings.RETAIN;
import static io.iotgrid.sinks.MqttSinkSettings.USERNAME;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link MqttSinks#json} against Debian's Mosquitto, read back with its own {@code mosquitto_sub}: delivery at each
 * QoS, retain, a broker killed and restarted under RETRY, dead letters and refused credentials.
 */
@Timeout(120)
class MqttSinksIT {

    private static final int PORT = 6460;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> SENSORS = List.of("s-1", "s-2", "s-3");

    private static TestCluster cluster;

    @RegisterExtension
    final Resources resources = new Resources();

    @BeforeAll
    static void start() {
        cluster = TestCluster.start("mqtt-sinks-it", PORT, config -> {
            // Job metrics show reconnects within a second instead of the configured five.
            config.getMetricsConfig().setCollectionFrequencySeconds(1);
            config.addMapConfig(new MapConfig("mqtt-journal*")
                    .setEventJournalConfig(new EventJournalConfig().setEnabled(true).setCapacity(100_000)));
        });
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void when_itemsPublishedAtEachQos_then_mosquittoSubReceivesEachAsJsonInOrderPerTopic() throws Exception {
        MosquittoBroker broker = resources.add(MosquittoBroker.start(MosquittoBroker.options()));
        for (int qos = 0; qos <= 2; qos++) {
            String prefix = "qos" + qos + "/sensors/";
            MosquittoSub sub = resources.add(MosquittoSub.start(broker, "sub-qos" + qos, prefix + "+", qos));
            List<Reading> input = Reading.sequence(300, SENSORS);

            cluster.submit(input, MqttSinks.json(r -> prefix + r.sensorId(), settings(broker).toBuilder()
                    .set(QOS, qos).build())).join();

            await().atMost(WAIT).until(() -> sub.lines().size() >= input.size());
            for (String sensor : SENSORS) {
                assertThat(sub.payloads(prefix + sensor).stream().map(Reading::parse))
                        .as("what %s%s received at QoS %d, in order", prefix, sensor, qos)
                        .containsExactlyElementsOf(input.stream().filter(r -> r.sensorId().equals(sensor)).toList());
            }
        }
    }

    @Test
    void when_retained_then_aLateSubscriberGetsTheLastItemPerTopic() throws Exception {
        MosquittoBroker broker = resources.add(MosquittoBroker.start(MosquittoBroker.options()));
        List<Reading> input = Reading.sequence(90, SENSORS);

        cluster.submit(input, MqttSinks.json(r -> "stats/" + r.sensorId(), settings(broker).toBuilder()
                .set(RETAIN, true).build())).join();
        MosquittoSub late = resources.add(MosquittoSub.start(broker, "late", "stats/#", 1));

        await().atMost(WAIT).until(() -> late.lines().size() >= SENSORS.size());
        Map<String, Reading> last = input.stream().collect(Collectors.toMap(Reading::sensorId, r -> r,
                (earlier, later) -> later));
        for (String sensor : SENSORS) {
            assertThat(late.payloads("stats/" + sensor)).map(Reading::parse).containsExactly(last.get(sensor));
        }
    }

    @Test
    void when_brokerKilledAndRestartedUnderRetry_then_everyItemArrives() throws Exception {
        MosquittoBroker broker = resources.add(MosquittoBroker.start(MosquittoBroker.options().withPersistence()));
        // A persistent session: the broker queues for it what arrives while it reconnects after the restart.
        MosquittoSub sub = resources.add(MosquittoSub.persistent(broker, "sub-restart", "restart/+", 1));
        IMap<Long, Reading> journal = cluster.member().getMap("mqtt-journal-restart");
        Pipeline p = Pipeline.create();
        p.readFrom(Sources.<Long, Reading>mapJournal(journal.getName(), JournalInitialPosition.START_FROM_OLDEST))
         .withoutTimestamps()
         .map(Map.Entry::getValue)
         .writeTo(MqttSinks.json(r -> "restart/" + r.sensorId(), settings(broker).toBuilder()
                 .set(ERROR_POLICY, ErrorPolicy.RETRY).set(MAX_RETRIES, 100)
                 .set(RECONNECT_INITIAL_BACKOFF, Duration.ofMillis(100))
                 .set(RECONNECT_MAX_BACKOFF, Duration.ofMillis(500)).set(DEAD_LETTERS_MAP, "dead-mqtt-restart")
                 .build()));
        Job job = cluster.member().getJet().newJob(p, new JobConfig()
                .setProcessingGuarantee(ProcessingGuarantee.AT_LEAST_ONCE).setSnapshotIntervalMillis(500));
        resources.onClose(job::cancel);
        List<Reading> input = Reading.sequence(900, SENSORS);

        input.subList(0, 300).forEach(r -> journal.set(r.seq(), r));
        await().atMost(WAIT).until(() -> sub.lines().size() >= 300);
        // The subscriber's session and subscription must be on disk, or the restarted broker drops what the sink
        // sends before the subscriber is back (no matching subscriber).
        broker.awaitSaved(WAIT);
        broker.kill();
        input.subList(300, 600).forEach(r -> journal.set(r.seq(), r));
        await().atMost(WAIT).until(() -> metric(job, "reconnects") > 0);
        broker.restart();
        input.subList(600, 900).forEach(r -> journal.set(r.seq(), r));

        await().atMost(WAIT).untilAsserted(() -> assertThat(SENSORS.stream()
                .flatMap(s -> payloads(sub, "restart/" + s).stream()).map(Reading::parse).distinct())
                .containsExactlyInAnyOrderElementsOf(input));
        assertThat(job.getStatus()).isEqualTo(JobStatus.RUNNING);
        assertThat(cluster.client().getMap("dead-mqtt-restart").size()).as("dead letters").isZero();
    }

    @Test
    void when_topicCannotBeUsedUnderNoop_then_deadLetteredAndTheRestPublished() throws Exception {
        MosquittoBroker broker = resources.add(MosquittoBroker.start(MosquittoBroker.options()));
        MosquittoSub sub = resources.add(MosquittoSub.start(broker, "sub-noop", "noop/#", 1));
        List<Reading> input = Reading.sequence(6, SENSORS);

        Job job = cluster.submit(input, MqttSinks.json(r -> r.sensorId().equals("s-2") ? "noop/+/wildcard"
                : "noop/" + r.sensorId(), settings(broker).toBuilder().set(ERROR_POLICY, ErrorPolicy.NOOP)
                .set(DEAD_LETTERS_MAP, "dead-mqtt-noop").build()));
        job.join();

        await().atMost(WAIT).until(() -> sub.lines().size() >= 4);
        assertThat(sub.lines()).hasSize(4);
        IMap<String, DeadLetter> deadLetters = cluster.client().getMap("dead-mqtt-noop");
        assertThat(deadLetters.values()).extracting(d -> Reading.parse(new String(d.payload(), UTF_8)))
                                        .containsExactlyInAnyOrderElementsOf(input.stream()
                                                .filter(r -> r.sensorId().equals("s-2")).toList());
        assertThat(deadLetters.values()).allSatisfy(d -> {
            assertThat(d.source()).isEqualTo("noop/+/wildcard");
            assertThat(d.reason()).startsWith("cannot publish to topic 'noop/+/wildcard': ");
        });
        assertThat(metric(job, "deadLetters")).isEqualTo(2);
    }

    @Test
    void when_passwordWrong_then_jobFailsNamingBrokerAndReasonCode() throws Exception {
        Path dir = Path.of("target", "mqtt-sinks-it-passwords");
        MosquittoBroker broker = resources.add(MosquittoBroker.start(MosquittoBroker.options()
                .withPasswordFile(MosquittoBroker.passwordFile(dir, "grid", "right"))));

        Job job = cluster.submit(Reading.sequence(3, SENSORS), MqttSinks.json(r -> "auth/" + r.sensorId(),
                settings(broker).toBuilder().set(USERNAME, "grid").set(PASSWORD, "wrong").build()));

        assertThatThrownBy(job::join)
                .hasStackTraceContaining("cannot connect to mqtt://" + broker.hostAndPort())
                // Mosquitto 2.0 answers a wrong password with this code, not BAD_USER_NAME_OR_PASSWORD.
                .hasStackTraceContaining("the broker refused the connection with NOT_AUTHORIZED")
                .hasStackTraceContaining("mqttSink(mqtt://" + broker.hostAndPort());
        assertThat(job.getStatus()).isEqualTo(JobStatus.FAILED);
    }

    private static MqttSinkSettings settings(MosquittoBroker broker) {
        return MqttSinkSettings.builder().set(BROKER, "mqtt://" + broker.hostAndPort()).build();
    }

    private static List<String> payloads(MosquittoSub sub, String topic) {
        try {
            return sub.payloads(topic);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long metric(Job job, String name) {
        return job.getMetrics().get(name).stream().mapToLong(Measurement::value).sum();
    }
}
