package io.iotgrid.kcql;

import com.hazelcast.cache.ICache;
import com.hazelcast.client.HazelcastClient;
import com.hazelcast.config.CacheSimpleConfig;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.pipeline.BatchStage;
import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.test.TestSources;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
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

import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryExpiredListener;
import java.io.IOException;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;

import static io.iotgrid.core.testing.GridReads.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * KCQL statements from stream-reactor's documentation and the seeds, all in one job over one topic, routed into a
 * real member and read back through a client.
 */
@Timeout(120)
class KcqlSinksIT {

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
    static void start() throws IOException {
        String cluster = "kcql-sinks-it-" + UUID.randomUUID();
        int port = freePort();
        Config config = GridConfigs.loopbackMember(cluster, port);
        config.addCacheConfig(new CacheSimpleConfig().setName("latest_cache"));
        config.addCacheConfig(new CacheSimpleConfig().setName("expiring_cache"));
        member = Hazelcast.newHazelcastInstance(config);
        client = HazelcastClient.newHazelcastClient(GridConfigs.loopbackClient(cluster,
                member.getCluster().getLocalMember().getAddress().getPort()));
    }

    @AfterAll
    static void stop() {
        client.shutdown();
        member.shutdown();
    }

    @Test
    void when_statementsFromTheDocsRouteOneTopic_then_everyStructureHoldsWhatTheyDescribe() throws IOException {
        Collection<String> shortLived = mapEvents("short_lived");
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
        KcqlSinks.writeTo(member, records, KCQL, GridSinkSettings.defaults());

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

        // Events rather than reading the entries: they may have expired by now on a busy machine.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(new HashSet<>(shortLived))
                .containsExactlyInAnyOrder("added s1", "added s2", "expired s1", "expired s2"));
    }

    @Test
    void when_ignoreFollowsNamedFields_then_structureHoldsTheSelectionWithoutThem() {
        Pipeline p = Pipeline.create();
        KcqlSinks.writeTo(member, jsonRecords(p, R1, R2, "{\"sensor_id\":\"s3\",\"temperature\":18.5}"),
                "INSERT INTO ignoring SELECT sensor_id, place_id, temperature AS temp FROM coap_sensor_topic "
                        + "IGNORE place_id STOREAS LIST", GridSinkSettings.defaults());

        member.getJet().newJob(p).join();

        assertThat(new ArrayList<String>(client.getList("ignoring"))).containsExactlyInAnyOrder(
                "{\"sensor_id\":\"s1\",\"temp\":20.5}",
                "{\"sensor_id\":\"s1\",\"temp\":21.5}",
                "{\"sensor_id\":\"s3\",\"temp\":18.5}");
    }

    @Test
    void when_ringBufferCapacityAndTimeToLiveGiven_then_theRingbufferIsCreatedWithThem() {
        Pipeline p = Pipeline.create();
        KcqlSinks.writeTo(member, jsonRecords(p, twelveReadings()),
                "INSERT INTO rb_small SELECT sensor_id FROM coap_sensor_topic STOREAS RING_BUFFER(capacity=5, "
                        + "timeToLive=3s)", GridSinkSettings.defaults());

        member.getJet().newJob(p).join();

        Ringbuffer<String> ringbuffer = client.getRingbuffer("rb_small");
        assertThat(ringbuffer.capacity()).isEqualTo(5);
        assertThat(ringbuffer.tailSequence()).as("12 items appended").isEqualTo(11);
        assertThat(ringbuffer.size()).as("of which the capacity keeps 5").isEqualTo(5);
        assertThat(member.getConfig().findRingbufferConfig("rb_small").getTimeToLiveSeconds()).isEqualTo(3);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ringbuffer.size()).isZero());
    }

    @Test
    void when_ringBufferParametersGivenAgain_then_buildSucceeds_andOtherParametersFailIt() {
        String kcql = "INSERT INTO rb_again SELECT sensor_id FROM coap_sensor_topic STOREAS RING_BUFFER(capacity=7)";
        KcqlSinks.writeTo(member, jsonRecords(Pipeline.create(), R1), kcql, GridSinkSettings.defaults());
        KcqlSinks.writeTo(client, jsonRecords(Pipeline.create(), R1), kcql, GridSinkSettings.defaults());

        String other = kcql.replace("capacity=7", "capacity=8");
        assertThatThrownBy(() -> KcqlSinks.writeTo(member, jsonRecords(Pipeline.create(), R1), other,
                GridSinkSettings.defaults()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot write \"" + other + "\": the members configure Ringbuffer 'rb_again' "
                        + "otherwise");
    }

    @Test
    void when_ringBufferExistsWithAnotherCapacity_then_buildFailsSayingSo() {
        client.getRingbuffer("rb_existing").add("created with the default configuration");
        String kcql = "INSERT INTO rb_existing SELECT * FROM coap_sensor_topic STOREAS RING_BUFFER(capacity=1000)";

        assertThatThrownBy(() -> KcqlSinks.writeTo(client, jsonRecords(Pipeline.create(), R1), kcql,
                GridSinkSettings.defaults()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot write \"" + kcql + "\": Ringbuffer 'rb_existing' exists with capacity 10000, and "
                        + "a Ringbuffer's capacity is fixed when it is created: destroy it, or give capacity=10000");
    }

    @Test
    void when_timeToLiveParameterGiven_then_mapAndCacheEntriesExpire() {
        Collection<String> mapEvents = mapEvents("expiring_map");
        ICache<String, String> cache = client.getCacheManager().getCache("expiring_cache");
        cache.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
                FactoryBuilder.factoryOf(new CacheEventRecorder()), null, false, true));
        Pipeline p = Pipeline.create();
        BatchStage<TopicRecord> records = jsonRecords(p, R1, R3);
        KcqlSinks.writeTo(member, records, String.join(";",
                "INSERT INTO expiring_map SELECT temperature FROM coap_sensor_topic PK sensor_id "
                        + "STOREAS IMAP(timeToLive=1s)",
                "INSERT INTO expiring_cache SELECT temperature FROM coap_sensor_topic PK sensor_id "
                        + "STOREAS ICACHE(timeToLive=1s)",
                "INSERT INTO lasting_map SELECT temperature FROM coap_sensor_topic PK sensor_id STOREAS IMAP"),
                GridSinkSettings.defaults());

        member.getJet().newJob(p).join();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(new HashSet<>(mapEvents)).containsExactlyInAnyOrder("added s1", "added s2", "expired s1", "expired s2");
            // Reading an expired entry makes the cache notice the expiry at once.
            assertThat(cache.get("s1")).isNull();
            assertThat(cache.get("s2")).isNull();
            assertThat(new HashSet<>(CacheEventRecorder.EVENTS))
                    .containsExactlyInAnyOrder("CREATED s1", "CREATED s2", "EXPIRED s1", "EXPIRED s2");
        });
        assertThat(client.getMap("lasting_map").size()).as("without a time to live entries stay").isEqualTo(2);
    }

    @Test
    void when_cacheNotConfiguredOnTheMembers_then_buildFailsSayingWhatToConfigure() {
        String kcql = "INSERT INTO unconfigured_cache SELECT * FROM coap_sensor_topic PK sensor_id STOREAS ICACHE";

        for (HazelcastInstance cluster : List.of(member, client)) {
            assertThatThrownBy(() -> KcqlSinks.writeTo(cluster, jsonRecords(Pipeline.create(), R1), kcql,
                    GridSinkSettings.defaults()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("cannot write \"" + kcql + "\": STOREAS ICACHE needs the cache "
                            + "'unconfigured_cache' configured on the members of the target cluster (hazelcast.yaml: "
                            + "cache: {unconfigured_cache: {}}; in Java: config.addCacheConfig(new CacheSimpleConfig()"
                            + ".setName(\"unconfigured_cache\"))) and javax.cache:cache-api on their classpath; or "
                            + "write STOREAS IMAP. The cluster answered: ");
        }
    }

    /** Records "added key" and "expired key" for each entry event of the IMap {@code name}. */
    private static Collection<String> mapEvents(String name) {
        Collection<String> events = new ConcurrentLinkedQueue<>();
        client.<String, String>getMap(name).addEntryListener(new MapEventRecorder(events), false);
        return events;
    }

    private record MapEventRecorder(Collection<String> events)
            implements EntryAddedListener<String, String>, EntryExpiredListener<String, String> {

        @Override
        public void entryAdded(EntryEvent<String, String> event) {
            events.add("added " + event.getKey());
        }

        @Override
        public void entryExpired(EntryEvent<String, String> event) {
            events.add("expired " + event.getKey());
        }
    }

    /** JCache creates its listeners from a serializable factory, so the events go to a static collection. */
    private static final class CacheEventRecorder implements CacheEntryCreatedListener<String, String>,
            CacheEntryExpiredListener<String, String>, Serializable {

        static final Collection<String> EVENTS = new ConcurrentLinkedQueue<>();

        @Override
        public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
            events.forEach(e -> EVENTS.add("CREATED " + e.getKey()));
        }

        @Override
        public void onExpired(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
            events.forEach(e -> EVENTS.add("EXPIRED " + e.getKey()));
        }
    }

    private static BatchStage<TopicRecord> jsonRecords(Pipeline p, String... values) {
        return p.readFrom(TestSources.items(values))
                .map(json -> TopicRecord.json(TOPIC, null, json.getBytes(StandardCharsets.UTF_8)));
    }

    private static String[] twelveReadings() {
        return IntStream.range(0, 12).mapToObj(i -> "{\"sensor_id\":\"s" + i + "\"}").toArray(String[]::new);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
