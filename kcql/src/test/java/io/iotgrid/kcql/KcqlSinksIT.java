package io.iotgrid.kcql;

import com.hazelcast.cache.ICache;
import com.hazelcast.client.HazelcastClient;
import com.hazelcast.config.CacheSimpleConfig;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.pipeline.BatchStage;
import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.test.TestSources;
import com.hazelcast.map.IMap;
import com.hazelcast.ringbuffer.Ringbuffer;
import io.iotgrid.core.DeadLetter;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.GridNames;
import io.iotgrid.sinks.GridSinkSettings;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import static io.iotgrid.core.testing.GridReads.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * KCQL statements from stream-reactor's documentation and the seeds, all in one job over one topic, routed into a
 * real member and read back through a client.
 */
@Timeout(120)
class KcqlSinksIT {

    private static final int PORT = 5985;
    private static final String TOPIC = "coap_sensor_topic";
    private static final String KCQL = String.join(";",
            "INSERT INTO sensor_ringbuffer SELECT sensor_id, timestamp, temperature FROM coap_sensor_topic "
                    + "WITHFORMAT JSON STOREAS RING_BUFFER",
            "INSERT INTO dev SELECT * FROM coap_sensor_topic WITHFORMAT JSON STOREAS QUEUE",
            "INSERT INTO sensors SELECT * FROM coap_sensor_topic PK sensor_id, place_id WITHFORMAT JSON STOREAS IMAP",
            "INSERT INTO sensor_avro SELECT sensor_id, temperature AS temp FROM coap_sensor_topic WITHFORMAT AVRO "
                    + "STOREAS LIST",
            "INSERT INTO temperatures SELECT temperature FROM coap_sensor_topic WITHFORMAT TEXT STOREAS SET",
            "INSERT INTO by_place SELECT sensor_id FROM coap_sensor_topic PK place_id STOREAS MULTI_MAP",
            "INSERT INTO latest_cache SELECT temperature FROM coap_sensor_topic PK sensor_id STOREAS ICACHE",
            "INSERT INTO sensor_topic SELECT * FROM coap_sensor_topic IGNORE place_id",
            "INSERT INTO short_lived SELECT sensor_id FROM coap_sensor_topic PK sensor_id STOREAS IMAP TTL = 2000",
            "INSERT INTO others SELECT * FROM other_topic STOREAS QUEUE");

    private static final String R1 = "{\"sensor_id\":\"s1\",\"place_id\":\"p1\",\"timestamp\":1,\"temperature\":20.5}";
    private static final String R2 = "{\"sensor_id\":\"s1\",\"place_id\":\"p2\",\"timestamp\":2,\"temperature\":21.5}";
    private static final String R3 = "{\"sensor_id\":\"s2\",\"place_id\":\"p1\",\"timestamp\":3,\"temperature\":19.0}";
    private static final String R4 = "{\"sensor_id\":\"s1\",\"place_id\":\"p1\",\"timestamp\":4,\"temperature\":22.0}";
    /** No sensor_id: every statement that selects it or keys by it dead-letters this record. */
    private static final String BAD = "{\"place_id\":\"p9\",\"timestamp\":5,\"temperature\":1.0}";

    private static HazelcastInstance member;
    private static HazelcastInstance client;

    @BeforeAll
    static void start() {
        String cluster = "kcql-sinks-it-" + UUID.randomUUID();
        Config config = GridConfigs.loopbackMember(cluster, PORT);
        config.addCacheConfig(new CacheSimpleConfig().setName("latest_cache"));
        member = Hazelcast.newHazelcastInstance(config);
        client = HazelcastClient.newHazelcastClient(GridConfigs.loopbackClient(cluster, PORT));
    }

    @AfterAll
    static void stop() {
        client.shutdown();
        member.shutdown();
    }

    @Test
    void when_statementsFromTheDocsRouteOneTopic_then_everyStructureHoldsWhatTheyDescribe() throws IOException {
        Collection<String> published = new ConcurrentLinkedQueue<>();
        client.<String>getReliableTopic("sensor_topic").addMessageListener(m -> published.add(m.getMessageObject()));
        Pipeline p = Pipeline.create();
        BatchStage<TopicRecord> records = p
                .readFrom(TestSources.items(TOPIC + ' ' + R1, TOPIC + ' ' + R2, TOPIC + ' ' + R3, TOPIC + ' ' + R4,
                        TOPIC + ' ' + BAD, "other_topic {\"x\":1}"))
                .map(line -> {
                    int space = line.indexOf(' ');
                    return TopicRecord.json(line.substring(0, space), null,
                            line.substring(space + 1).getBytes(StandardCharsets.UTF_8));
                });
        KcqlSinks.writeTo(records, KCQL, GridSinkSettings.defaults());

        member.getJet().newJob(p).join();

        Ringbuffer<String> ringbuffer = client.getRingbuffer("sensor_ringbuffer");
        assertThat(readAll(ringbuffer)).containsExactlyInAnyOrder(
                "{\"sensor_id\":\"s1\",\"timestamp\":1,\"temperature\":20.5}",
                "{\"sensor_id\":\"s1\",\"timestamp\":2,\"temperature\":21.5}",
                "{\"sensor_id\":\"s2\",\"timestamp\":3,\"temperature\":19.0}",
                "{\"sensor_id\":\"s1\",\"timestamp\":4,\"temperature\":22.0}");
        assertThat(new ArrayList<String>(client.getQueue("dev"))).containsExactlyInAnyOrder(R1, R2, R3, R4, BAD);

        IMap<String, String> sensors = client.getMap("sensors");
        assertThat(sensors.keySet()).as("one entry per distinct (sensor_id, place_id) pair")
                .containsExactlyInAnyOrder("s1-p1", "s1-p2", "s2-p1");
        assertThat(sensors.get("s1-p2")).isEqualTo(R2);
        assertThat(sensors.get("s1-p1")).isIn(R1, R4);

        List<byte[]> avro = new ArrayList<>(client.<byte[]>getList("sensor_avro"));
        KcqlStatement avroStatement = KcqlStatement.parseAll(KCQL).get(3);
        Schema schema = avroStatement.avroSchema(TopicRecord.json(TOPIC, null, R1.getBytes(StandardCharsets.UTF_8)));
        List<String> decoded = new ArrayList<>();
        for (byte[] bytes : avro) {
            GenericRecord r = new GenericDatumReader<GenericRecord>(schema)
                    .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
            decoded.add(r.get("sensor_id") + "=" + r.get("temp"));
        }
        assertThat(decoded).containsExactlyInAnyOrder("s1=20.5", "s1=21.5", "s2=19.0", "s1=22.0");

        assertThat(client.<String>getSet("temperatures")).containsExactlyInAnyOrder("20.5", "21.5", "19.0", "22.0",
                "1.0");
        assertThat(client.<String, String>getMultiMap("by_place").get("p1"))
                .containsExactlyInAnyOrder("{\"sensor_id\":\"s1\"}", "{\"sensor_id\":\"s2\"}");
        assertThat(client.<String, String>getMultiMap("by_place").get("p2"))
                .containsExactly("{\"sensor_id\":\"s1\"}");

        ICache<String, String> cache = client.getCacheManager().getCache("latest_cache");
        assertThat(cache.get("s2")).isEqualTo("{\"temperature\":19.0}");
        assertThat(cache.get("s1")).isIn("{\"temperature\":20.5}", "{\"temperature\":21.5}", "{\"temperature\":22.0}");

        await().untilAsserted(() -> assertThat(published).hasSize(5));
        assertThat(published).allSatisfy(json -> assertThat(json).doesNotContain("place_id"))
                .contains("{\"sensor_id\":\"s2\",\"timestamp\":3,\"temperature\":19.0}");
        assertThat(new ArrayList<String>(client.getQueue("others"))).containsExactly("{\"x\":1}");

        IMap<String, DeadLetter> deadLetters = client.getMap(GridNames.DEAD_LETTERS);
        assertThat(deadLetters.values()).hasSize(6).allSatisfy(dl -> {
            assertThat(dl.source()).isEqualTo("kcql:" + TOPIC);
            assertThat(dl.reason()).contains("sensor_id");
            assertThat(new String(dl.payload(), StandardCharsets.UTF_8)).isEqualTo(BAD);
        });

        IMap<String, String> shortLived = client.getMap("short_lived");
        assertThat(shortLived.keySet()).containsExactlyInAnyOrder("s1", "s2");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(shortLived.size()).isZero());
    }
}
