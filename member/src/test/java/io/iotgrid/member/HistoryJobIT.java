package io.iotgrid.member;

import com.hazelcast.config.Config;
import com.hazelcast.config.MapStoreConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.core.JobStatus;
import com.hazelcast.jet.pipeline.SourceBuilder;
import com.hazelcast.jet.pipeline.StreamSource;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import io.iotgrid.core.Decoded;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.HistoryBlock;
import io.iotgrid.core.HistoryTier;
import io.iotgrid.core.RawReading;
import io.iotgrid.core.ReadingParser;
import io.iotgrid.core.WindowStats;
import io.iotgrid.core.testing.FreePorts;
import io.iotgrid.core.testing.Resources;
import io.iotgrid.member.impl.JmxGauge;
import io.iotgrid.jobs.AggregationJob;
import io.iotgrid.jobs.AggregationSettings;
import io.iotgrid.jobs.JobSerializers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.iotgrid.member.HistoryRows.HOUR;
import static io.iotgrid.member.HistoryRows.MINUTE;
import static io.iotgrid.member.HistoryRows.rows;
import static io.iotgrid.member.HistoryRows.windowsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The aggregation job writing history on members whose history maps persist to a real PostgreSQL (through
 * {@link HistoryPersistence}): every member restarted, and the database killed mid-stream. One server for the
 * class; each test has a database of its own.
 */
@Timeout(300)
class HistoryJobIT {

    private static final List<String> STATS = List.of("sensor_stats", "place_stats");
    private static final int SENSORS = 4;

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    @RegisterExtension
    final Resources resources = new Resources();

    @Test
    void when_everyMemberRestarts_then_everyWindowWrittenBeforeIsBack_andQueriesAnswerAsBefore() throws Exception {
        String url = postgres.createDatabase("jobrestart");
        String cluster = "job-restart-" + UUID.randomUUID();
        int port = FreePorts.loopback();
        List<HazelcastInstance> before = members(cluster, port, url, 2);
        AggregationSettings settings = AggregationSettings.builder()
                .set(AggregationSettings.QUIET_CLOSE_AFTER, null).build();
        // Two and a half hours of readings ending half an hour ago: within the minutes' 6 h in the grid, so a
        // restart loads them; the last reading, 10 minutes later, closes every window and hour before it.
        long start = HistoryBlock.blockStart(HistoryTier.WINDOW, System.currentTimeMillis() - 3 * HOUR);
        List<String> payloads = new ArrayList<>();
        Map<String, Long> expectedMinutes = new TreeMap<>();
        for (long t = start; t < start + 150 * MINUTE; t += 90_000) {
            for (int s = 0; s < SENSORS; s++) {
                long ts = t + s * 7_000;
                payloads.add(payload("s-" + s, "p-" + s % 2, ts, 20 + (t / 90_000 + s) % 9 * 0.25));
                long minute = Math.floorDiv(ts, MINUTE) * MINUTE;
                expectedMinutes.merge(HistoryTier.key("s-" + s, minute), 1L, Long::sum);
                expectedMinutes.merge(HistoryTier.key("p-" + s % 2, minute), 1L, Long::sum);
            }
        }
        long end = start + 160 * MINUTE;
        payloads.add(payload("end", "p-end", end, 0));
        Job job = before.get(0).getJet().newJob(AggregationJob.build(scripted(payloads, settings), settings),
                JobSerializers.register(new JobConfig()));

        await().atMost(Duration.ofSeconds(120)).untilAsserted(
                () -> assertThat(minuteCounts(before.get(1))).isEqualTo(expectedMinutes));
        // Hours that ended before the last reading's watermark are closed too; the day is not.
        Set<Long> closedHours = new HashSet<>();
        for (long h = start; h + HOUR <= end - settings.allowedLateness().toMillis(); h += HOUR) {
            closedHours.add(h);
        }
        await().untilAsserted(() -> assertThat(windowsIn(before.get(1), "sensor_stats_history_hour").stream()
                .map(WindowStats::windowStart).collect(Collectors.toSet())).isEqualTo(closedHours));
        Map<String, List<WindowStats>> grid = history(before.get(1));
        Set<String> range = rangeQuery(before.get(1), start + HOUR);
        assertThat(job.getStatus()).isEqualTo(JobStatus.RUNNING);

        // The whole cluster shuts down at once, the job still running: each member writes its write-behind queue
        // before it stops.
        before.get(0).getCluster().shutdown();
        await().until(() -> before.stream().noneMatch(m -> m.getLifecycleService().isRunning()));
        for (Map.Entry<String, List<WindowStats>> e : grid.entrySet()) {
            assertThat(rows(url, e.getKey())).as("table " + e.getKey()).isEqualTo(e.getValue());
        }

        List<HazelcastInstance> after = members(cluster, port, url, 2);
        assertThat(history(after.get(0))).isEqualTo(grid);
        assertThat(minuteCounts(after.get(1))).isEqualTo(expectedMinutes);
        assertThat(rangeQuery(after.get(1), start + HOUR)).isNotEmpty().isEqualTo(range);
    }

    @Test
    void when_postgresKilledMidStream_then_jobKeepsRunning_queueRisesAndFalls_andNoWindowMissing() throws Exception {
        String url = postgres.createDatabase("joboutage");
        HazelcastInstance member = members("job-outage-" + UUID.randomUUID(), FreePorts.loopback(), url, 1).get(0);
        AggregationSettings settings = AggregationSettings.builder()
                .set(AggregationSettings.WINDOW_SIZE, Duration.ofSeconds(2))
                .set(AggregationSettings.EARLY_RESULTS_PERIOD, Duration.ZERO)
                .set(AggregationSettings.QUIET_CLOSE_AFTER, Duration.ofSeconds(1))
                .build();
        int perSensor = 400;
        Job job = member.getJet().newJob(AggregationJob.build(live(perSensor, settings), settings),
                JobSerializers.register(new JobConfig()));
        ObjectName gauge = new ObjectName(HistoryMapStore.JMX_DOMAIN + ":type=Metrics,instance="
                + JmxGauge.value(member.getName()) + ",map=" + JmxGauge.value("sensor_stats_history"));

        await().atMost(Duration.ofSeconds(60)).until(() -> !rows(url, "sensor_stats_history").isEmpty());
        postgres.server().kill();
        long killedAt = System.currentTimeMillis();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> queued(gauge) > 0);
            // Several windows close while the database is away.
            await().atMost(Duration.ofSeconds(60)).until(() -> windowsIn(member, "sensor_stats_history").stream()
                    .filter(w -> w.windowStart() > killedAt).map(WindowStats::windowStart).distinct().count() >= 5);
        } finally {
            postgres.server().startAgain();
        }

        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            Map<String, Long> perId = new TreeMap<>();
            rows(url, "sensor_stats_history").stream().filter(w -> w.id().startsWith("s-"))
                    .forEach(w -> perId.merge(w.id(), w.count(), Long::sum));
            assertThat(perId).as("readings per sensor in the table").hasSize(SENSORS)
                    .allSatisfy((id, n) -> assertThat(n).isEqualTo(perSensor));
            assertThat(queued(gauge)).isZero();
            for (String map : List.of("sensor_stats_history", "place_stats_history")) {
                assertThat(rows(url, map)).as(map).isEqualTo(windowsIn(member, map));
            }
        });
        assertThat(job.getStatus()).isEqualTo(JobStatus.RUNNING);
    }

    private static long queued(ObjectName gauge) throws Exception {
        return (Long) ManagementFactory.getPlatformMBeanServer().getAttribute(gauge, HistoryMapStore.QUEUE_METRIC);
    }

    /** The windows of every history map of the grid, by map, each list by id and start. */
    private static Map<String, List<WindowStats>> history(HazelcastInstance member) {
        Map<String, List<WindowStats>> all = new TreeMap<>();
        for (String map : HistoryPersistence.historyMaps()) {
            all.put(map, windowsIn(member, map));
        }
        return all;
    }

    private static List<WindowStats> windowsIn(HazelcastInstance member, String map) {
        return windowsOf(member.<String, HistoryBlock>getMap(map).values());
    }

    /** Readings per minute window of every sensor and place ({@code id@start}), from the grid's history. */
    private static Map<String, Long> minuteCounts(HazelcastInstance member) {
        Map<String, Long> counts = new TreeMap<>();
        for (String stats : STATS) {
            windowsIn(member, HistoryTier.WINDOW.mapName(stats)).stream().filter(w -> !w.id().contains("end"))
                    .forEach(w -> counts.put(HistoryTier.key(w.id(), w.windowStart()), w.count()));
        }
        return counts;
    }

    /** The client's kind of range lookup: the hour blocks of sensors from {@code from} on, by the block start. */
    private static Set<String> rangeQuery(HazelcastInstance member, long from) {
        IMap<String, HistoryBlock> hours = member.getMap("sensor_stats_history_day");
        IMap<String, HistoryBlock> minutes = member.getMap("sensor_stats_history");
        Set<String> found = new HashSet<>();
        minutes.values(Predicates.greaterEqual("blockStart", from))
               .forEach(b -> b.windows().forEach(w -> found.add(w.toString())));
        hours.values().forEach(b -> b.windows().forEach(w -> found.add(w.toString())));
        return found;
    }

    private List<HazelcastInstance> members(String cluster, int port, String url, int count) {
        List<HazelcastInstance> members = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Config config = HistoryPersistence.enable(GridConfigs.loopbackMember(cluster, port), url,
                    PostgresServer.USER, PostgresServer.PASSWORD);
            for (String map : HistoryPersistence.historyMaps()) {
                MapStoreConfig store = config.getMapConfig(map).getMapStoreConfig();
                // A test need not wait the production delay of 5 s.
                store.setWriteDelaySeconds(1);
            }
            HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
            resources.onClose(member::shutdown);
            members.add(member);
        }
        await().until(() -> members.get(0).getCluster().getMembers().size() == count);
        return members;
    }

    private static String payload(String sensor, String place, long ts, double temperature) {
        return "{\"id\":\"" + sensor + "\",\"place_id\":\"" + place + "\",\"timestamp\":" + ts
                + ",\"payload\":{\"temperature\":" + temperature + "}}";
    }

    /** {@code payloads} once, in order, then quiet; parsed in the source as the job's real sources do. */
    private static StreamSource<Decoded> scripted(List<String> payloads, AggregationSettings settings) {
        List<String> script = List.copyOf(payloads);
        ReadingParser parser = settings.parser();
        return SourceBuilder.stream("scripted", ctx -> new ArrayDeque<>(script))
                .<Decoded>fillBufferFn((remaining, buf) -> {
                    for (String next; buf.size() < 64 && (next = remaining.poll()) != null; ) {
                        buf.add(parser.parse(new RawReading("scripted", System.currentTimeMillis(),
                                next.getBytes(StandardCharsets.UTF_8))));
                    }
                })
                .build();
    }

    /**
     * {@value #SENSORS} sensors reading now, every 100 ms, {@code perSensor} readings each, then one reading of a
     * sensor {@code end} a minute ahead, then quiet: a live stream of about {@code perSensor / 10} seconds.
     */
    private static StreamSource<Decoded> live(int perSensor, AggregationSettings settings) {
        ReadingParser parser = settings.parser();
        return SourceBuilder.stream("live", ctx -> new long[] {0, 0})
                .<Decoded>fillBufferFn((state, buf) -> {
                    long now = System.currentTimeMillis();
                    if (state[0] == perSensor) {
                        // A reading a minute ahead moves event time past every window above, closing them all.
                        String end = payload("end", "p-end", now + 60_000, 0);
                        buf.add(parser.parse(new RawReading("live", now, end.getBytes(StandardCharsets.UTF_8))));
                        state[0]++;
                    }
                    if (state[0] >= perSensor || now - state[1] < 100) {
                        return;
                    }
                    state[1] = now;
                    for (int s = 0; s < SENSORS; s++) {
                        String payload = payload("s-" + s, "p-" + s % 2, now, 20 + (state[0] + s) % 13 * 0.25);
                        buf.add(parser.parse(new RawReading("live", now, payload.getBytes(StandardCharsets.UTF_8))));
                    }
                    state[0]++;
                })
                .build();
    }
}
