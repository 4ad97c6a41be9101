package io.iotgrid.sinks;

import com.hazelcast.cache.ICache;
import com.hazelcast.config.CacheSimpleConfig;
import com.hazelcast.config.ReliableTopicConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.pipeline.Sink;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.multimap.MultiMap;
import com.hazelcast.topic.TopicOverloadPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.iotgrid.sinks.GridSinkSettings.BATCH_SIZE;
import static io.iotgrid.sinks.GridSinkSettings.MAX_IN_FLIGHT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every structure sink on a real member, read back through a real client. */
@Timeout(120)
class GridSinksStructuresIT {

    private static final int PORT = 5965;
    /** More than two batches of the default size. */
    private static final List<Integer> INPUT = IntStream.range(0, 2_500).boxed().toList();
    private static final Set<Integer> KEYS = Set.copyOf(INPUT);
    private static final GridSinkSettings DEFAULTS = GridSinkSettings.defaults();

    private static TestCluster cluster;
    private static HazelcastInstance client;

    /** A value whose fields an index can be built on. */
    record Reading(String sensorId, int value) {
    }

    @BeforeAll
    static void start() {
        cluster = TestCluster.start("grid-sinks-structures-it", PORT, config -> {
            config.addCacheConfig(new CacheSimpleConfig().setName("cache-readings"));
            config.addCacheConfig(new CacheSimpleConfig().setName("cache-expiring"));
            config.addReliableTopicConfig(new ReliableTopicConfig("topic-discarding")
                    .setTopicOverloadPolicy(TopicOverloadPolicy.DISCARD_OLDEST));
        });
        client = cluster.client();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void when_queueSink_then_clientTakesItemsInOrder() {
        run(INPUT, GridSinks.queue("queue-readings"));

        List<Integer> taken = new ArrayList<>();
        client.<Integer>getQueue("queue-readings").drainTo(taken);
        assertThat(taken).containsExactlyElementsOf(INPUT);
    }

    @Test
    void when_listSink_then_clientReadsItemsInOrder() {
        run(INPUT, GridSinks.list("list-readings"));

        assertThat(client.<Integer>getList("list-readings")).containsExactlyElementsOf(INPUT);
    }

    @Test
    void when_setSink_then_clientReadsEachValueOnce() {
        run(INPUT, GridSinks.set("set-readings", i -> "sensor-" + i % 100, DEFAULTS));

        assertThat(client.<String>getSet("set-readings")).containsExactlyInAnyOrderElementsOf(
                IntStream.range(0, 100).mapToObj(i -> "sensor-" + i).toList());
    }

    @Test
    void when_multiMapSink_then_clientReadsValuesPerKey() {
        run(INPUT, GridSinks.multiMap("multimap-readings", i -> "sensor-" + i % 3, i -> i));

        MultiMap<String, Integer> multiMap = client.getMultiMap("multimap-readings");
        for (int k = 0; k < 3; k++) {
            int sensor = k;
            assertThat(multiMap.get("sensor-" + k)).as("values of sensor-" + k)
                    .containsExactlyInAnyOrderElementsOf(INPUT.stream().filter(i -> i % 3 == sensor).toList());
        }
    }

    @Test
    void when_cacheSink_then_clientReadsEveryKey() {
        run(INPUT, GridSinks.cache("cache-readings", i -> i, i -> "value-" + i));

        ICache<Integer, String> cache = client.getCacheManager().getCache("cache-readings");
        assertThat(cache.getAll(KEYS)).isEqualTo(expectedEntries());
    }

    @Test
    void when_cacheSinkWithTtl_then_entriesExpire() {
        run(INPUT, GridSinks.cache("cache-expiring", i -> i, i -> "value-" + i, Duration.ofSeconds(2), DEFAULTS));

        ICache<Integer, String> cache = client.getCacheManager().getCache("cache-expiring");
        await().atMost(Duration.ofSeconds(30)).until(() -> cache.getAll(KEYS).isEmpty());
    }

    @Test
    void when_mapSink_then_clientReadsEveryKey() {
        run(INPUT, GridSinks.map("map-readings", i -> i, i -> "value-" + i));

        assertThat(client.<Integer, String>getMap("map-readings").getAll(KEYS)).isEqualTo(expectedEntries());
    }

    @Test
    void when_manyUpdatesPerKeyWithParallelWriters_then_lastUpdateOfEachKeyWins() {
        // 20 000 updates of 10 keys, in order; two writers per member and 4 batches in flight each.
        List<Integer> updates = IntStream.range(0, 20_000).boxed().toList();

        run(updates, GridSinks.map("map-ordered", i -> i % 10, i -> i, MapSinkOptions.defaults(),
                DEFAULTS.toBuilder().set(MAX_IN_FLIGHT, 4).set(BATCH_SIZE, 100).build()));

        assertThat(client.<Integer, Integer>getMap("map-ordered").getAll(Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)))
                .isEqualTo(IntStream.range(19_990, 20_000).boxed().collect(Collectors.toMap(i -> i % 10, i -> i)));
    }

    @Test
    void when_mapSinkWithTtl_then_entriesArriveAndExpire() {
        IMap<Integer, String> map = client.getMap("map-expiring");
        AtomicInteger added = new AtomicInteger();
        map.addEntryListener((EntryAddedListener<Integer, String>) event -> added.incrementAndGet(), false);

        run(INPUT, GridSinks.map("map-expiring", i -> i, i -> "value-" + i,
                MapSinkOptions.builder().set(MapSinkOptions.TTL, Duration.ofSeconds(2)).build(), DEFAULTS));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(added).hasValue(INPUT.size()));
        await().atMost(Duration.ofSeconds(30)).until(() -> map.getAll(KEYS).isEmpty());
    }

    @Test
    void when_mapSinkWithIndexes_then_membersHaveThem() {
        run(INPUT, GridSinks.map("map-indexed", i -> i, i -> new Reading("sensor-" + i % 10, i),
                MapSinkOptions.builder().set(MapSinkOptions.INDEXES, List.of("sensorId", "value")).build(), DEFAULTS));

        assertThat(client.<Integer, Reading>getMap("map-indexed").get(7)).isEqualTo(new Reading("sensor-7", 7));
        assertThat(cluster.member().getMap("map-indexed").getLocalMapStats().getIndexStats().keySet())
                .hasSize(2)
                .anySatisfy(name -> assertThat(name).contains("sensorId"))
                .anySatisfy(name -> assertThat(name).contains("value"));
    }

    @Test
    void when_reliableTopicSink_then_listenerReceivesItemsInOrder() {
        List<Integer> received = new CopyOnWriteArrayList<>();
        client.<Integer>getReliableTopic("topic-readings").addMessageListener(m -> received.add(m.getMessageObject()));

        run(INPUT, GridSinks.reliableTopic("topic-readings"));

        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= INPUT.size());
        assertThat(received).containsExactlyElementsOf(INPUT);
    }

    @Test
    void when_reliableTopicOverloadPolicyDiscards_then_everyBatchPublishedAndJobCompletes() {
        List<Integer> received = new CopyOnWriteArrayList<>();
        client.<Integer>getReliableTopic("topic-discarding").addMessageListener(m -> received.add(m.getMessageObject()));

        // Bounded: with Hazelcast 5.5's publishAllAsync under DISCARD_OLDEST the job never completed.
        assertThat(cluster.submit(INPUT, GridSinks.<Integer>reliableTopic("topic-discarding")).getFuture())
                .succeedsWithin(Duration.ofSeconds(60));

        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= INPUT.size());
        assertThat(received).containsExactlyElementsOf(INPUT);
    }

    private static Map<Integer, String> expectedEntries() {
        return INPUT.stream().collect(Collectors.toMap(Function.identity(), i -> "value-" + i));
    }

    private static <T> void run(List<T> items, Sink<T> sink) {
        cluster.submit(items, sink).join();
    }
}
