package io.iotgrid.sources;

import com.hazelcast.collection.IList;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.config.ProcessingGuarantee;
import com.hazelcast.jet.core.metrics.Measurement;
import com.hazelcast.jet.core.metrics.MeasurementPredicates;
import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.Sinks;
import com.hazelcast.jet.pipeline.StreamSource;
import com.hazelcast.jet.pipeline.StreamStage;
import io.iotgrid.coap.testing.TestPki;
import io.iotgrid.core.testing.Resources;
import io.iotgrid.sources.impl.SessionCounters;
import io.iotgrid.sources.impl.StreamMqttP;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The MQTT source against Mosquitto from Debian, with {@code mosquitto_pub} as the devices: a broker killed and
 * restarted, a subscription shared by two members, TLS and credentials that the broker refuses.
 */
@Timeout(240)
class MqttSourcesIT {

    private static final int PORT = 6810;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    final Resources resources = new Resources();

    @Test
    void when_brokerKilledAndRestarted_then_sourceReconnectsAndNothingPublishedWithQos1IsMissing() throws Exception {
        MosquittoBroker broker = resources.add(MosquittoBroker.start(MosquittoBroker.options().withPersistence()));
        HazelcastInstance member = member();
        MqttSourceSettings settings = MqttSourceSettings.builder()
                .set(MqttSourceSettings.BROKER, "mqtt://" + broker.hostAndPort())
                .set(MqttSourceSettings.TOPICS, List.of("numbers/#"))
                .set(MqttSourceSettings.CLIENT_ID, "restart-it")
                // Mosquitto 2.0 restores sessions from its file without their shared subscriptions: what is
                // published before the source subscribes again would not be queued for a shared group.
                .set(MqttSourceSettings.SHARED_GROUP, null)
                .set(MqttSourceSettings.SESSIONS, 1)
                .set(MqttSourceSettings.RECONNECT_INITIAL_BACKOFF, Duration.ofMillis(200))
                .set(MqttSourceSettings.RECONNECT_MAX_BACKOFF, Duration.ofSeconds(1))
                .build();
        IList<String> received = member.getList("received");
        Job job = run(member, MqttSources.subscribe(settings), received, ProcessingGuarantee.AT_LEAST_ONCE);
        broker.awaitLog("Sending SUBACK to restart-it-0", 1, TIMEOUT);
        // The session and its subscription must be on disk before the kill, as they are in production.
        Path db = broker.log().resolveSibling("mosquitto.db");
        FileTime subscribed = FileTime.from(Instant.now());
        await().atMost(TIMEOUT).until(() -> Files.exists(db) && Files.getLastModifiedTime(db).compareTo(subscribed) > 0);

        broker.publish("numbers/before", 1, numbers(0, 100));
        await().atMost(TIMEOUT).until(() -> received.size() >= 100);
        broker.kill();
        broker.restart();
        // Published while the source is still away (its backoff runs): the broker queues them in the session.
        broker.publish("numbers/during", 1, numbers(100, 200));
        await().atMost(TIMEOUT).until(() -> metric(job, SessionCounters.RECONNECTS, "restart-it-0") >= 1);
        broker.publish("numbers/after", 1, numbers(200, 300));

        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(new HashSet<>(received))
                .containsAll(numbers(0, 300)));
    }

    @Test
    void when_twoMembersShareTheSubscription_then_eachGetsAShareAndTogetherEveryMessageOnce() throws Exception {
        MosquittoBroker broker = resources.add(MosquittoBroker.start(MosquittoBroker.options()));
        HazelcastInstance first = member();
        member();
        MqttSourceSettings settings = MqttSourceSettings.builder()
                .set(MqttSourceSettings.BROKER, "mqtt://" + broker.hostAndPort())
                .set(MqttSourceSettings.TOPICS, List.of("shared/+"))
                .set(MqttSourceSettings.CLIENT_ID, "shared-it")
                .build();
        IList<String> received = first.getList("received");
        Job job = run(first, MqttSources.subscribe(settings), received, ProcessingGuarantee.NONE);
        broker.awaitLog("Sending SUBACK to shared-it-", 2, TIMEOUT);

        broker.publish("shared/a", 1, numbers(0, 200));

        await().atMost(TIMEOUT).until(() -> received.size() >= 200);
        assertThat(received).containsExactlyInAnyOrderElementsOf(numbers(0, 200));
        // Session n runs on processor n, and the two processors are on different members.
        await().atMost(TIMEOUT).untilAsserted(() -> {
            long zero = metric(job, SessionCounters.RECEIVED, "shared-it-0");
            long one = metric(job, SessionCounters.RECEIVED, "shared-it-1");
            assertThat(zero).as("first member's share").isPositive();
            assertThat(one).as("second member's share").isPositive();
            assertThat(zero + one).isEqualTo(200);
        });
    }

    @Test
    void when_passwordWrongOrCertificateUntrusted_then_thatSourceStopsWithClearErrorAndTheOthersRun(
            @TempDir Path dir) throws Exception {
        TestPki pki = TestPki.create(dir);
        Path passwords = MosquittoBroker.passwordFile(dir, "grid", "right");
        MosquittoBroker broker = resources.add(MosquittoBroker.start(MosquittoBroker.options()
                .withTls(pki.ca(), pki.serverCertificate(), pki.serverKey(), false).withPasswordFile(passwords)));
        WarningLog log = WarningLog.capture(resources);
        HazelcastInstance member = member();
        MqttSourceSettings good = MqttSourceSettings.builder()
                .set(MqttSourceSettings.BROKER, "mqtts://" + broker.hostAndPort())
                .set(MqttSourceSettings.TOPICS, List.of("tls/#"))
                .set(MqttSourceSettings.CLIENT_ID, "tls-good")
                .set(MqttSourceSettings.SESSIONS, 1)
                .set(MqttSourceSettings.USERNAME, "grid")
                .set(MqttSourceSettings.PASSWORD, "right")
                .tlsFiles(pki.ca(), pki.clientCertificate(), pki.clientKey())
                .build();
        MqttSourceSettings wrongPassword = good.toBuilder().set(MqttSourceSettings.CLIENT_ID, "tls-wrong-password")
                .set(MqttSourceSettings.PASSWORD, "wrong").build();
        MqttSourceSettings untrusted = good.toBuilder().set(MqttSourceSettings.CLIENT_ID, "tls-untrusted")
                .tlsFiles(pki.otherCa(), null, null).build();

        Pipeline p = Pipeline.create();
        StreamStage<MqttMessage> all = p.readFrom(MqttSources.subscribe(good)).withoutTimestamps().setName("good")
                .merge(p.readFrom(MqttSources.subscribe(wrongPassword)).withoutTimestamps().setName("wrong"))
                .merge(p.readFrom(MqttSources.subscribe(untrusted)).withoutTimestamps().setName("untrusted"));
        IList<String> received = member.getList("received");
        all.map(m -> new String(m.payload(), StandardCharsets.UTF_8)).writeTo(Sinks.list(received));
        Job job = member.getJet().newJob(p);
        resources.onClose(job::cancel);
        broker.awaitLog("Sending SUBACK to tls-good-0", 1, TIMEOUT);

        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(metric(job, SessionCounters.FAILED, "tls-wrong-password-0")).isEqualTo(1);
            assertThat(metric(job, SessionCounters.FAILED, "tls-untrusted-0")).isEqualTo(1);
        });
        String broker0 = "mqtts://127.0.0.1:" + broker.port();
        assertThat(log.messages()).anySatisfy(m -> assertThat(m).contains(broker0, "tls-wrong-password-0",
                "refused the connection: NOT_AUTHORIZED", "mqtt.password"));
        assertThat(log.messages()).anySatisfy(m -> assertThat(m).contains(broker0, "tls-untrusted-0",
                "TLS handshake failed", "mqtt.tls.ca.file"));

        Process pub = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(broker.port()),
                "--cafile", pki.ca().toString(), "-u", "grid", "-P", "right", "-q", "1", "-t", "tls/x", "-m", "hello")
                .redirectErrorStream(true).redirectOutput(dir.resolve("pub.out").toFile()).start();
        int exit = pub.waitFor();
        assertThat(exit).as("mosquitto_pub: %s", Files.readString(dir.resolve("pub.out"))).isZero();
        await().atMost(TIMEOUT).until(() -> received.contains("hello"));
        assertThat(job.getStatus().isTerminal()).as("the job runs on").isFalse();
    }

    private HazelcastInstance member() {
        HazelcastInstance member = Hazelcast.newHazelcastInstance(
                SourceJobs.member("mqtt-sources-it-" + clusterSuffix, PORT));
        resources.onClose(() -> member.getLifecycleService().terminate());
        return member;
    }

    private final String clusterSuffix = UUID.randomUUID().toString();

    private Job run(HazelcastInstance member, StreamSource<MqttMessage> source, IList<String> into,
                    ProcessingGuarantee guarantee) {
        Pipeline p = Pipeline.create();
        p.readFrom(source).withoutTimestamps().map(m -> new String(m.payload(), StandardCharsets.UTF_8))
         .writeTo(Sinks.list(into));
        Job job = member.getJet().newJob(p, new JobConfig().setProcessingGuarantee(guarantee)
                .setSnapshotIntervalMillis(200));
        resources.onClose(job::cancel);
        return job;
    }

    private static List<String> numbers(int from, int to) {
        List<String> numbers = new ArrayList<>();
        IntStream.range(from, to).forEach(n -> numbers.add("n" + n));
        return numbers;
    }

    /** The latest value of {@code name} of the session with {@code clientId}; 0 if none yet. */
    private static long metric(Job job, String name, String clientId) {
        return job.getMetrics().filter(MeasurementPredicates.tagValueEquals(StreamMqttP.SESSION_TAG, clientId))
                .get(name).stream().mapToLong(Measurement::value).sum();
    }
}
