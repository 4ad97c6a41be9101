package io.iotgrid.member;

import com.hazelcast.config.Config;
import com.hazelcast.config.MapStoreConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.sql.SqlResult;
import com.hazelcast.sql.SqlRow;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.HistoryBlock;
import io.iotgrid.core.HistoryTier;
import io.iotgrid.core.SqlMappings;
import io.iotgrid.core.WindowStats;
import io.iotgrid.core.testing.FreePorts;
import io.iotgrid.core.testing.Resources;
import io.iotgrid.member.impl.JmxGauge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static io.iotgrid.member.HistoryRows.HOUR;
import static io.iotgrid.member.HistoryRows.MINUTE;
import static io.iotgrid.member.HistoryRows.block;
import static io.iotgrid.member.HistoryRows.count;
import static io.iotgrid.member.HistoryRows.rows;
import static io.iotgrid.member.HistoryRows.window;
import static io.iotgrid.member.HistoryRows.windowsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The {@link HistoryMapStore} on real members (configured by {@link HistoryPersistence}, i.e. by
 * {@code iot-grid-member-postgres.yaml}) against a real PostgreSQL: a full restart, the database killed mid-stream and
 * down at start, wrong credentials, the database's own retention, and range queries answered alike by the grid and
 * PostgreSQL. One server for the class; each test has a database of its own.
 */
@Timeout(240)
class HistoryMapStoreIT {

    private static final String MINUTES = "sensor_stats_history";

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    @RegisterExtension
    final Resources resources = new Resources();

    @Test
    void when_everyMemberRestarts_then_everyBlockIsBackFromPostgres() throws Exception {
        String url = postgres.createDatabase("restart");
        String cluster = "restart-" + UUID.randomUUID();
        int port = FreePorts.loopback();
        List<HazelcastInstance> before = members(cluster, port, url, 2, Map.of());
        Map<String, HistoryBlock> written = blocks("s-", 20, 3, 7);
        before.get(0).<String, HistoryBlock>getMap(MINUTES).putAll(written);
        // A graceful shutdown writes each member's write-behind queue before it leaves.
        before.forEach(HazelcastInstance::shutdown);
        assertThat(rows(url, MINUTES)).isEqualTo(windowsOf(written.values()));

        List<HazelcastInstance> after = members(cluster, port, url, 2, Map.of());
        IMap<String, HistoryBlock> loaded = after.get(1).getMap(MINUTES);
        // EAGER: loaded before getMap returned, every block, without asking for its key.
        assertThat(loaded.size()).isEqualTo(written.size());
        assertThat(windowsOf(loaded.values())).isEqualTo(windowsOf(written.values()));
        written.forEach((key, block) -> assertThat(loaded.get(key).windows()).isEqualTo(block.windows()));
    }

    @Test
    void when_postgresKilledMidStream_then_queueRisesAndFalls_andNoWindowMissing() throws Exception {
        String url = postgres.createDatabase("outage");
        HazelcastInstance member = members("outage-" + UUID.randomUUID(), FreePorts.loopback(), url, 1, Map.of())
                .get(0);
        IMap<String, HistoryBlock> map = member.getMap(MINUTES);
        ObjectName gauge = new ObjectName(HistoryMapStore.JMX_DOMAIN + ":type=Metrics,instance="
                + JmxGauge.value(member.getName()) + ",map=" + JmxGauge.value(MINUTES));
        AtomicLong highest = new AtomicLong();
        Map<String, HistoryBlock> expected = new HashMap<>();
        long hour = HistoryBlock.blockStart(HistoryTier.WINDOW, System.currentTimeMillis() - 2 * HOUR);
        int minute = 0;
        // A stream of windows: each minute adds one to every sensor's block, as the job does.
        minute = writeMinutes(map, expected, hour, minute, 5);
        await().untilAsserted(() -> assertThat(count(url, MINUTES)).isEqualTo(5 * 10));

        postgres.server().kill();
        minute = writeMinutes(map, expected, hour, minute, 10);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            long queued = (Long) ManagementFactory.getPlatformMBeanServer().getAttribute(gauge,
                    HistoryMapStore.QUEUE_METRIC);
            highest.accumulateAndGet(queued, Math::max);
            assertThat(queued).as("blocks waiting while the database is down").isEqualTo(10);
        });
        // Longer than a write delay and a few retry rounds: the blocks stay queued, nothing is dropped.
        minute = writeMinutes(map, expected, hour, minute, 10);
        postgres.server().startAgain();
        writeMinutes(map, expected, hour, minute, 5);

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat((Long) ManagementFactory.getPlatformMBeanServer().getAttribute(gauge,
                    HistoryMapStore.QUEUE_METRIC)).as("queue after the database is back").isZero();
            assertThat(rows(url, MINUTES)).isEqualTo(windowsOf(expected.values()));
        });
        assertThat(highest.get()).isEqualTo(10);
        assertThat(rows(url, MINUTES)).hasSize(30 * 10);
    }

    @Test
    void when_postgresDownAtStart_then_historyKeptAndWrittenWhenItComes() throws Exception {
        String url = postgres.createDatabase("downatstart");
        postgres.server().kill();
        try {
            HazelcastInstance member = members("down-" + UUID.randomUUID(), FreePorts.loopback(), url, 1, Map.of())
                    .get(0);
            IMap<String, HistoryBlock> map = member.getMap(MINUTES);
            Map<String, HistoryBlock> written = blocks("d-", 5, 2, 4);
            map.putAll(written);
            assertThat(map.size()).isEqualTo(written.size());
            postgres.server().startAgain();
            await().atMost(Duration.ofSeconds(90)).untilAsserted(
                    () -> assertThat(rows(url, MINUTES)).isEqualTo(windowsOf(written.values())));
        } finally {
            if (!postgres.server().running()) {
                postgres.server().startAgain();
            }
        }
    }

    @Test
    void when_passwordWrong_then_errorNamesTheDataConnection() throws Exception {
        String url = postgres.createDatabase("wrongpassword");
        Config config = HistoryPersistence.enable(GridConfigs.loopbackMember("wrong-" + UUID.randomUUID(),
                FreePorts.loopback()), url, PostgresServer.USER, "not-the-password");
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
        resources.onClose(member::shutdown);
        assertThatThrownBy(() -> member.getMap(MINUTES).size())
                .hasStackTraceContaining("data connection '" + HistoryPersistence.DATA_CONNECTION + "'")
                .hasStackTraceContaining("password authentication failed");
    }

    @Test
    void when_databaseRetentionPasses_then_oldRowsLeavePostgres_andTheGridKeepsItsOwn() throws Exception {
        String url = postgres.createDatabase("retention");
        HazelcastInstance member = members("retention-" + UUID.randomUUID(), FreePorts.loopback(), url, 1,
                Map.of(HistoryStoreSettings.WINDOW_RETENTION.key(), "1h",
                        HistoryStoreSettings.RETENTION_INTERVAL.key(), "500ms")).get(0);
        IMap<String, HistoryBlock> map = member.getMap(MINUTES);
        long now = System.currentTimeMillis();
        long oldHour = HistoryBlock.blockStart(HistoryTier.WINDOW, now - 4 * HOUR);
        long youngMinute = Math.floorDiv(now - 10 * MINUTE, MINUTE) * MINUTE;
        long youngHour = HistoryBlock.blockStart(HistoryTier.WINDOW, youngMinute);
        List<WindowStats> old = List.of(window("r-1", oldHour, 1, 20.0), window("r-1", oldHour + MINUTE, 2, 21.0));
        List<WindowStats> young = List.of(window("r-1", youngMinute, 3, 22.0));
        map.put(HistoryTier.key("r-1", oldHour), block(old));
        map.put(HistoryTier.key("r-1", youngHour), block(young));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(rows(url, MINUTES)).isEqualTo(young));
        // The grid's retention is its own (6 h here): the old block is still there.
        assertThat(map.get(HistoryTier.key("r-1", oldHour)).windows()).isEqualTo(old);
    }

    @Test
    void when_rangeQueried_then_gridAndPostgresAnswerTheSameRows() throws Exception {
        String url = postgres.createDatabase("range");
        HazelcastInstance member = members("range-" + UUID.randomUUID(), FreePorts.loopback(), url, 2, Map.of())
                .get(0);
        IMap<String, HistoryBlock> map = member.getMap(MINUTES);
        Map<String, HistoryBlock> written = blocks("q-", 6, 4, 9);
        map.putAll(written);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(count(url, MINUTES))
                .isEqualTo(6 * 4 * 9));

        long from = windowsOf(written.values()).get(0).windowStart() + 30 * MINUTE;
        long to = from + 2 * HOUR;
        List<WindowStats> grid = new ArrayList<>();
        for (HistoryBlock b : map.values()) {
            b.windows().stream().filter(w -> w.windowStart() >= from && w.windowStart() < to).forEach(grid::add);
        }
        List<WindowStats> inPostgres;
        try (var c = PostgresServer.connect(url)) {
            inPostgres = HistoryTable.of(MINUTES).selectRange(c, from, to);
        }
        assertThat(inPostgres).isNotEmpty().isEqualTo(windowsOf(grid.stream()
                .map(w -> HistoryBlock.of(w.id(), w.windowStart(), List.of(w))).toList()));

        // The same range through the grid's SQL (the history connector unpacks the blocks where they are) and
        // PostgreSQL's: the same rows.
        member.getSql().execute(SqlMappings.history(MINUTES, HistoryTier.WINDOW)).close();
        List<String> bySql = new ArrayList<>();
        try (SqlResult result = member.getSql().execute("SELECT id, window_start, readings, avg_temperature, "
                + "stddev_temperature FROM " + MINUTES + " WHERE window_start >= ? AND window_start < ? "
                + "ORDER BY id, window_start", from, to)) {
            for (SqlRow row : result) {
                bySql.add(row.getObject("id") + "@" + row.getObject("window_start") + " " + row.getObject("readings")
                        + " " + row.getObject("avg_temperature") + " " + row.getObject("stddev_temperature"));
            }
        }
        assertThat(bySql).isEqualTo(inPostgres.stream()
                .sorted(Comparator.comparing(WindowStats::id).thenComparingLong(WindowStats::windowStart))
                .map(w -> w.id() + "@" + w.windowStart() + " " + w.count() + " " + w.temperatureAvg() + " "
                        + w.temperatureStddev())
                .toList());
    }

    /** Adds {@code minutes} minutes to the blocks of 10 sensors in {@code hour}, each a put of the grown block. */
    private static int writeMinutes(IMap<String, HistoryBlock> map, Map<String, HistoryBlock> blocks, long hour,
                                    int from, int minutes) {
        for (int m = from; m < from + minutes; m++) {
            for (int s = 0; s < 10; s++) {
                String id = "o-" + s;
                String key = HistoryTier.key(id, hour);
                WindowStats w = window(id, hour + m * MINUTE, 1 + m % 4, 15.0 + s + m / 4.0);
                HistoryBlock grown = blocks.containsKey(key) ? blocks.get(key).with(w)
                        : HistoryBlock.of(id, hour, List.of(w));
                blocks.put(key, grown);
                map.put(key, grown);
            }
        }
        return from + minutes;
    }

    /**
     * {@code ids} sensors × {@code hours} hour blocks of {@code minutes} windows each, in the last few hours
     * (within the grid's 6 h retention, so a restart loads them).
     */
    private static Map<String, HistoryBlock> blocks(String prefix, int ids, int hours, int minutes) {
        long firstHour = HistoryBlock.blockStart(HistoryTier.WINDOW, System.currentTimeMillis()) - hours * HOUR;
        Map<String, HistoryBlock> blocks = new HashMap<>();
        for (int i = 0; i < ids; i++) {
            for (int h = 0; h < hours; h++) {
                long hour = firstHour + h * HOUR;
                List<WindowStats> windows = new ArrayList<>();
                for (int m = 0; m < minutes; m++) {
                    windows.add(window(prefix + i, hour + m * 7 * MINUTE, 1 + (i + m) % 5,
                            m % 3 == 0 ? null : 20.0 + i + m / 4.0));
                }
                blocks.put(HistoryTier.key(prefix + i, hour), block(windows));
            }
        }
        return blocks;
    }

    private List<HazelcastInstance> members(String cluster, int port, String url, int count,
                                            Map<String, String> storeProperties) {
        List<HazelcastInstance> members = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Config config = HistoryPersistence.enable(GridConfigs.loopbackMember(cluster, port), url,
                    PostgresServer.USER, PostgresServer.PASSWORD);
            for (String map : HistoryPersistence.historyMaps()) {
                MapStoreConfig store = config.getMapConfig(map).getMapStoreConfig();
                // A test need not wait the production delay of 5 s.
                store.setWriteDelaySeconds(1);
                storeProperties.forEach(store::setProperty);
            }
            HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
            resources.onClose(member::shutdown);
            members.add(member);
        }
        await().until(() -> members.get(0).getCluster().getMembers().size() == count);
        return members;
    }
}
