package io.iotgrid.sources;

import com.hazelcast.collection.IList;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.Sinks;
import io.iotgrid.core.DeadLetter;
import io.iotgrid.core.PayloadLimit;
import io.iotgrid.core.ReadingFormat;
import io.iotgrid.core.SensorReading;
import io.iotgrid.core.testing.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static io.iotgrid.core.testing.LargePayloads.paddedJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An 8 MiB JSON message published to Mosquitto with {@code mosquitto_pub -f}: the readings source makes it a dead
 * letter with its first bytes, its size and its topic, and reads the next message as usual.
 */
@Timeout(120)
class MqttPayloadLimitIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int SIZE = 8 * 1024 * 1024;

    @RegisterExtension
    final Resources resources = new Resources();

    @TempDir
    Path dir;

    @Test
    void when_8MiBMessage_then_deadLetterWithFirstBytesAndSize_and_nextMessageRead() throws Exception {
        MosquittoBroker broker = resources.add(MosquittoBroker.start(MosquittoBroker.options()));
        HazelcastInstance member = Hazelcast.newHazelcastInstance(SourceJobs.member(
                "mqtt-limit-it-" + UUID.randomUUID(), MosquittoBroker.freeTcpPort()));
        resources.onClose(() -> member.getLifecycleService().terminate());
        MqttSourceSettings settings = MqttSourceSettings.builder()
                .set(MqttSourceSettings.BROKER, "mqtt://" + broker.hostAndPort())
                .set(MqttSourceSettings.TOPICS, List.of("plant/#"))
                .build();
        IList<String> received = member.getList("received");
        Pipeline p = Pipeline.create();
        p.readFrom(MqttSources.readings(settings, ReadingFormat.nested(), null)).withoutTimestamps()
         .map(d -> d instanceof DeadLetter dl
                 ? "dead " + dl.source() + " | " + dl.topic() + " | " + dl.reason() + " | "
                         + new String(dl.payload(), StandardCharsets.UTF_8)
                 : "reading " + ((SensorReading) d).sensorId())
         .writeTo(Sinks.list(received));
        Job job = member.getJet().newJob(p);
        resources.onClose(job::cancel);
        broker.awaitLog("Sending SUBACK", settings.sessions(), WAIT);

        byte[] big = paddedJson("{\"id\":\"s-big\",\"place_id\":\"p-1\",\"timestamp\":1,\"payload\":{\"temperature\":1}", SIZE);
        Path file = dir.resolve("big.json");
        Files.write(file, big);
        Process pub = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(broker.port()),
                "-V", "mqttv5", "-q", "1", "-t", "plant/big", "-f", file.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("pub.out").toFile()).start();
        assertThat(pub.waitFor()).as("mosquitto_pub: %s", Files.readString(dir.resolve("pub.out"))).isZero();
        broker.publish("plant/small", 1, List.of(
                "{\"id\":\"s-small\",\"place_id\":\"p-1\",\"timestamp\":2,\"payload\":{\"temperature\":2}}"));

        await().atMost(WAIT).until(() -> received.size() == 2);
        String source = "mqtt://" + broker.hostAndPort() + "/plant/big?qos=1";
        assertThat(received).containsExactlyInAnyOrder("reading s-small", "dead " + source + " | plant/big | "
                + PayloadLimit.reason(SIZE, PayloadLimit.DEFAULT_MAX_BYTES) + " | "
                + new String(Arrays.copyOf(big, PayloadLimit.KEPT_BYTES), StandardCharsets.UTF_8));
    }
}
