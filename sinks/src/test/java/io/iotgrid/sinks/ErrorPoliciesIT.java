package io.iotgrid.sinks;

import com.hazelcast.cache.ICache;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.CacheSimpleConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.QueueConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.core.JobStatus;
import com.hazelcast.jet.core.metrics.Measurement;
import com.hazelcast.map.IMap;
import io.iotgrid.core.DeadLetter;
import io.iotgrid.core.GridConfigs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.iotgrid.sinks.GridSinkSettings.BATCH_SIZE;
import static io.iotgrid.sinks.GridSinkSettings.DEAD_LETTERS_MAP;
import static io.iotgrid.sinks.GridSinkSettings.ERROR_POLICY;
import static io.iotgrid.sinks.GridSinkSettings.MAX_RETRIES;
import static io.iotgrid.sinks.GridSinkSettings.RETRY_INTERVAL;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The error policies against real failures: an IQueue of at most {@value #QUEUE_MAX} items that refuses what
 * does not fit, and a remote cluster that is down when the job starts.
 */
@Timeout(120)
class ErrorPoliciesIT {

    private static final int PORT = 5970;
    private static final int REMOTE_PORT = 5975;
    private static final int QUEUE_MAX = 5;
    private static final List<String> INPUT = IntStream.range(0, 12).mapToObj(i -> "item-" + i).toList();
    /** One item per batch, so that exactly the items the queue has no room for fail. */
    private static final GridSinkSettings ONE_BY_ONE = GridSinkSettings.builder().set(BATCH_SIZE, 1).build();

    private static TestCluster cluster;
    private static HazelcastInstance client;

    @BeforeAll
    static void start() {
        cluster = TestCluster.start("error-policies-it", PORT, config -> {
            config.addQueueConfig(new QueueConfig("bounded*").setMaxSize(QUEUE_MAX));
            // Job metrics show retries within a second instead of the configured five.
            config.getMetricsConfig().setCollectionFrequencySeconds(1);
        });
        client = cluster.client();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void when_queueFullUnderThrow_then_jobFailsNamingTheSink() {
        Job job = cluster.submit(INPUT, GridSinks.queue("bounded-throw", s -> s, ONE_BY_ONE));

        assertThatThrownBy(job::join)
                .hasStackTraceContaining("queueSink(bounded-throw) failed to write a batch of 1 items")
                .hasStackTraceContaining("Queue full");
        assertThat(job.getStatus()).isEqualTo(JobStatus.FAILED);
    }

    @Test
    void when_queueFull_then_noopWritesDeadLetters() {
        Job job = cluster.submit(INPUT, GridSinks.queue("bounded-noop", s -> s,
                ONE_BY_ONE.toBuilder().set(ERROR_POLICY, ErrorPolicy.NOOP).set(DEAD_LETTERS_MAP, "dead-noop").build()));

        job.join();

        List<String> queued = new ArrayList<>();
        client.<String>getQueue("bounded-noop").drainTo(queued);
        assertThat(queued).containsExactlyElementsOf(INPUT.subList(0, QUEUE_MAX));
        IMap<String, DeadLetter> deadLetters = client.getMap("dead-noop");
        assertThat(deadLetters.values())
                .extracting(d -> new String(d.payload(), UTF_8))
                .containsExactlyInAnyOrderElementsOf(INPUT.subList(QUEUE_MAX, INPUT.size()));
        assertThat(deadLetters.values()).allSatisfy(d -> {
            assertThat(d.source()).isEqualTo("queueSink(bounded-noop)");
            assertThat(d.reason()).isEqualTo("write failed: java.lang.IllegalStateException: Queue full");
            assertThat(d.receivedAt()).isPositive();
        });
    }

    @Test
    void when_queueFullUnderRetry_then_itemsArriveOnceDrained() {
        List<String> input = IntStream.range(0, 30).mapToObj(i -> "item-" + i).toList();
        Job job = cluster.submit(input, GridSinks.queue("bounded-retry", s -> s, ONE_BY_ONE.toBuilder()
                .set(ERROR_POLICY, ErrorPolicy.RETRY).set(RETRY_INTERVAL, Duration.ofMillis(100)).set(MAX_RETRIES, 600)
                .set(DEAD_LETTERS_MAP, "dead-retry").build()));

        List<String> taken = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            client.<String>getQueue("bounded-retry").drainTo(taken);
            return taken.size() >= input.size();
        });
        job.join();

        assertThat(taken).containsExactlyElementsOf(input);
        assertThat(client.getMap("dead-retry").size()).as("dead letters").isZero();
    }

    @Test
    void when_remoteClusterStartsLate_then_retryWritesEveryEntryOnceIntoMapCacheAndSet() {
        String remoteCluster = "error-policies-remote-" + UUID.randomUUID();
        ClientConfig remote = GridConfigs.loopbackClient(remoteCluster, REMOTE_PORT);
        // Try to connect every 200 ms rather than backing off to seconds, so the test ends soon after B is up.
        remote.getConnectionStrategyConfig().getConnectionRetryConfig()
              .setInitialBackoffMillis(200).setMaxBackoffMillis(200).setClusterConnectTimeoutMillis(60_000);
        GridSinkSettings retry = GridSinkSettings.builder()
                .set(ERROR_POLICY, ErrorPolicy.RETRY).set(RETRY_INTERVAL, Duration.ofMillis(200))
                .set(MAX_RETRIES, 300).set(DEAD_LETTERS_MAP, "dead-remote").remoteCluster(remote).build();
        List<Integer> input = IntStream.range(0, 500).boxed().toList();
        Job job = cluster.submit(input, List.of(
                GridSinks.map("remote-readings", i -> i, i -> "value-" + i, MapSinkOptions.defaults(), retry),
                GridSinks.cache("remote-cache", i -> i, i -> "value-" + i, null, retry),
                GridSinks.set("remote-set", i -> "value-" + i, retry)));

        await().atMost(Duration.ofSeconds(30)).until(() -> retriedBatches(job) > 0);
        assertThat(job.getStatus()).isEqualTo(JobStatus.RUNNING);
        Config remoteConfig = GridConfigs.loopbackMember(remoteCluster, REMOTE_PORT);
        remoteConfig.addCacheConfig(new CacheSimpleConfig().setName("remote-cache"));
        HazelcastInstance remoteMember = Hazelcast.newHazelcastInstance(remoteConfig);
        try {
            job.join();

            Map<Integer, String> expected = input.stream()
                    .collect(Collectors.toMap(Function.identity(), i -> "value-" + i));
            IMap<Integer, String> written = remoteMember.getMap("remote-readings");
            assertThat(written.size()).isEqualTo(input.size());
            assertThat(written.getAll(expected.keySet())).isEqualTo(expected);
            ICache<Integer, String> cache = remoteMember.getCacheManager().getCache("remote-cache");
            assertThat(cache.size()).isEqualTo(input.size());
            assertThat(cache.getAll(expected.keySet())).isEqualTo(expected);
            assertThat(remoteMember.<String>getSet("remote-set")).hasSize(input.size())
                    .containsExactlyInAnyOrderElementsOf(expected.values());
            assertThat(client.getMap("dead-remote").size()).as("dead letters").isZero();
            assertThat(client.getMap("remote-readings").size()).as("entries in the job's own cluster").isZero();
        } finally {
            remoteMember.shutdown();
        }
    }

    /** The sum over all processors of the sink's {@code retriedBatches} metric, as last collected. */
    private static long retriedBatches(Job job) {
        return job.getMetrics().get("retriedBatches").stream().mapToLong(Measurement::value).sum();
    }
}
