package io.iotgrid.core.sql;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.sql.HazelcastSqlException;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.GridNames;
import io.iotgrid.core.HistoryBlock;
import io.iotgrid.core.HistoryTier;
import io.iotgrid.core.MeasureStats;
import io.iotgrid.core.SqlMappings;
import io.iotgrid.core.WindowColumn;
import io.iotgrid.core.WindowStats;
import io.iotgrid.core.testing.FreePorts;
import io.iotgrid.core.testing.SqlRows;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The history tables through {@link HistorySqlConnector} on two members on loopback, queried from a member and from
 * a client: every row counted against the windows written, none twice, every column type, time ranges with
 * parameters and literals, aggregates, empty results, and ranges reading only the blocks in them.
 */
class HistorySqlConnectorIT {

    private static final String SENSOR_HISTORY = HistoryTier.WINDOW.mapName(GridNames.SENSOR_STATS);
    private static final String PLACE_HISTORY_HOUR = HistoryTier.HOUR.mapName(GridNames.PLACE_STATS);
    private static final long MINUTE = 60_000;
    private static final long HOUR = 60 * MINUTE;
    /** 2026-12-01T00:00Z. */
    private static final long T0 = 1_796_083_200_000L;
    private static final int SENSORS = 7;
    private static final int MINUTES = 3 * 60;
    private static final int HOURS = 48;

    private static HazelcastInstance member1;
    private static HazelcastInstance member2;
    private static HazelcastInstance client;
    private static List<WindowStats> minutes;
    private static List<WindowStats> hours;

    @BeforeAll
    static void startClusterAndFillHistory() {
        String cluster = "history-sql-" + UUID.randomUUID();
        int port = FreePorts.loopback();
        member1 = Hazelcast.newHazelcastInstance(GridConfigs.loopbackMember(cluster, port));
        member2 = Hazelcast.newHazelcastInstance(GridConfigs.loopbackMember(cluster, port));
        await().until(() -> member1.getCluster().getMembers().size() == 2);
        client = HazelcastClient.newHazelcastClient(GridConfigs.loopbackClient(cluster, port));

        minutes = new ArrayList<>();
        for (int s = 0; s < SENSORS; s++) {
            for (int i = 0; i < MINUTES; i++) {
                minutes.add(window("s-" + s, T0 + i * MINUTE, MINUTE, s * 1000 + i));
            }
        }
        hours = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            for (int i = 0; i < HOURS; i++) {
                hours.add(window("p-" + p, T0 + i * HOUR, HOUR, p * 1000 + i));
            }
        }
        write(client.getMap(SENSOR_HISTORY), HistoryTier.WINDOW, minutes);
        write(client.getMap(PLACE_HISTORY_HOUR), HistoryTier.HOUR, hours);
        SqlMappings.create(client, GridNames.SENSOR_STATS, GridNames.PLACE_STATS, GridNames.DEAD_LETTERS);
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.shutdown();
        }
        for (HazelcastInstance m : new HazelcastInstance[] {member1, member2}) {
            if (m != null) {
                m.getLifecycleService().terminate();
            }
        }
    }

    @Test
    void when_idAndRangeWithParameters_then_exactlyTheWindowsInRangeOrdered_everyColumn() {
        long from = T0 + 30 * MINUTE;
        long to = T0 + 95 * MINUTE;
        List<WindowStats> expected = minutes.stream()
                .filter(w -> w.id().equals("s-3") && w.windowStart() >= from && w.windowStart() < to).toList();

        for (HazelcastInstance hz : List.of(client, member2)) {
            List<List<Object>> rows = SqlRows.query(hz, "SELECT * FROM " + SENSOR_HISTORY
                    + " WHERE id = ? AND window_start >= ? AND window_start < ? ORDER BY window_start",
                    "s-3", from, to);

            assertThat(rows).hasSize(65).containsExactlyElementsOf(expected.stream().map(HistorySqlConnectorIT::values)
                    .toList());
        }
    }

    @Test
    void when_rangeWithLiteralsAndBetween_then_sameRowsAsTheInput() {
        long from = T0 + 10 * MINUTE;
        long to = T0 + 20 * MINUTE;
        long expected = minutes.stream().filter(w -> w.windowStart() >= from && w.windowStart() <= to).count();

        List<List<Object>> literal = SqlRows.query(client, "SELECT id, window_start FROM " + SENSOR_HISTORY
                + " WHERE window_start BETWEEN " + from + " AND " + to + " ORDER BY id, window_start");
        List<List<Object>> reversed = SqlRows.query(client, "SELECT id, window_start FROM " + SENSOR_HISTORY
                + " WHERE " + from + " <= window_start AND ? >= window_start ORDER BY id, window_start", to);

        assertThat(literal).hasSize((int) expected).isEqualTo(reversed);
        assertThat(literal.get(0)).containsExactly("s-0", from);
        assertThat(literal.get(literal.size() - 1)).containsExactly("s-" + (SENSORS - 1), to);
    }

    @Test
    void when_fullScanOnTwoMembers_then_everyWindowOnce() {
        List<List<Object>> rows = SqlRows.query(member1, "SELECT id, window_start FROM " + SENSOR_HISTORY);

        assertThat(rows).hasSize(minutes.size()).doesNotHaveDuplicates();
        assertThat(member1.getPartitionService().getPartitions().stream()
                .map(p -> p.getOwner().getUuid()).distinct().count()).as("both members own partitions").isEqualTo(2);
    }

    @Test
    void when_groupById_then_aggregatesOfTheInput() {
        long from = T0 + 60 * MINUTE;
        Map<String, Long> readings = new TreeMap<>(minutes.stream().filter(w -> w.windowStart() >= from)
                .collect(Collectors.groupingBy(WindowStats::id, Collectors.summingLong(WindowStats::count))));
        Map<String, Double> maxTemperature = minutes.stream().filter(w -> w.windowStart() >= from)
                .collect(Collectors.toMap(WindowStats::id, WindowStats::temperatureMax, Math::max));

        List<List<Object>> rows = SqlRows.query(client, "SELECT id, COUNT(*), SUM(readings), MAX(max_temperature) FROM "
                + SENSOR_HISTORY + " WHERE window_start >= ? GROUP BY id ORDER BY id", from);

        assertThat(rows).hasSize(SENSORS);
        for (List<Object> row : rows) {
            String id = (String) row.get(0);
            assertThat(row.subList(1, 4)).as(id).containsExactly((long) (MINUTES - 60),
                    java.math.BigDecimal.valueOf(readings.get(id)), maxTemperature.get(id));
        }
    }

    @Test
    void when_hourTier_then_itsOwnMapAndColumns() {
        List<List<Object>> rows = SqlRows.query(client, "SELECT window_start, window_end, avg_temperature, "
                + "count_humidity, "
                + "min_humidity FROM " + PLACE_HISTORY_HOUR + " WHERE id = 'p-1' AND window_start > ? "
                + "ORDER BY window_start DESC", T0 + 45 * HOUR);

        WindowStats last = hours.get(hours.size() - 1);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsExactly(last.windowStart(), last.windowEnd(), last.temperatureAvg(), 0L,
                null);
    }

    @Test
    void when_nothingMatches_then_emptyResults() {
        assertThat(SqlRows.query(client, "SELECT * FROM " + SENSOR_HISTORY + " WHERE id = ?", "nobody")).isEmpty();
        assertThat(SqlRows.query(client, "SELECT * FROM " + SENSOR_HISTORY
                + " WHERE window_start > ? AND window_start < ?",
                T0 + MINUTE, T0 + 2 * MINUTE)).isEmpty();
        assertThat(SqlRows.query(client, "SELECT * FROM " + SENSOR_HISTORY + " WHERE window_start > ?", Long.MAX_VALUE))
                .isEmpty();
        assertThat(SqlRows.query(client, "SELECT * FROM " + HistoryTier.DAY.mapName(GridNames.SENSOR_STATS))).isEmpty();
    }

    @Test
    void when_rangeQuery_then_onlyTheBlocksInItAreRead_chosenByKey() {
        long reads = blockReads(SENSOR_HISTORY);

        assertThat(SqlRows.query(client, "SELECT id FROM " + SENSOR_HISTORY
                + " WHERE window_start >= ? AND window_start < ?",
                T0, T0 + MINUTE)).hasSize(SENSORS);
        long afterRange = blockReads(SENSOR_HISTORY);
        assertThat(afterRange - reads).as("blocks read for a range: each sensor's first hour, of 3")
                                      .isEqualTo(SENSORS);

        assertThat(SqlRows.query(client, "SELECT id FROM " + SENSOR_HISTORY + " WHERE id = ? AND window_start >= ? "
                + "AND window_start < ?", "s-2", T0 + 70 * MINUTE, T0 + 130 * MINUTE)).hasSize(60);
        assertThat(blockReads(SENSOR_HISTORY) - afterRange).as("blocks read for a fixed id's range: its hours 1 and 2")
                                                           .isEqualTo(2);
    }

    @Test
    void when_dayTierAcrossMonths_then_blocksOfEachMonthRead() {
        String map = HistoryTier.DAY.mapName(GridNames.PLACE_STATS);
        long day = 24 * HOUR;
        // 2026-01-20 to 2026-03-10: blocks of January, February and March.
        long jan20 = 1_768_867_200_000L;
        List<WindowStats> days = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            days.add(window("p-9", jan20 + i * day, day, i));
        }
        write(client.getMap(map), HistoryTier.DAY, days);

        List<List<Object>> rows = SqlRows.query(client, "SELECT window_start FROM " + map + " WHERE id = 'p-9' "
                + "AND window_start BETWEEN ? AND ? ORDER BY window_start", jan20 + 5 * day, jan20 + 45 * day);

        assertThat(client.getMap(map).size()).isEqualTo(3);
        assertThat(rows).hasSize(41);
        assertThat(rows.get(0)).containsExactly(jan20 + 5 * day);
        assertThat(rows.get(40)).containsExactly(jan20 + 45 * day);
    }

    @Test
    void when_mapHoldsAWindowInsteadOfABlock_then_queryFailsNamingIt() {
        String map = "unpacked_history";
        WindowStats w = minutes.get(0);
        // A version before blocks wrote one WindowStats per window: such a map must be cleared, not read half.
        client.getMap(map).put(HistoryTier.key(w.id(), w.windowStart()), w);
        client.getSql().execute(SqlMappings.history(map, HistoryTier.WINDOW)).close();

        assertThatThrownBy(() -> SqlRows.query(client, "SELECT * FROM " + map))
                .isInstanceOf(HazelcastSqlException.class).hasMessageContaining("holds HistoryBlocks only")
                .hasMessageContaining(WindowStats.class.getName());
    }

    @Test
    void when_mappingWithoutTierOrWithUnknownColumn_then_rejectedNamingIt() {
        assertThatThrownBy(() -> client.getSql().execute("CREATE OR REPLACE MAPPING h1 TYPE IotGridHistory"))
                .isInstanceOf(HazelcastSqlException.class).hasMessageContaining("needs the option 'tier'");
        assertThatThrownBy(() -> client.getSql().execute(
                "CREATE OR REPLACE MAPPING h2 (id VARCHAR, colour VARCHAR) TYPE IotGridHistory "
                        + "OPTIONS ('tier' = 'hour')"))
                .isInstanceOf(HazelcastSqlException.class).hasMessageContaining("no column 'colour'");
        assertThatThrownBy(() -> client.getSql().execute(
                "CREATE OR REPLACE MAPPING h3 TYPE IotGridHistory OPTIONS ('tier' = 'week')"))
                .isInstanceOf(HazelcastSqlException.class).hasMessageContaining("window, hour or day, was 'week'");
    }

    @Test
    void when_mappingListsSomeColumns_then_onlyThoseInRows() {
        client.getSql().execute("CREATE OR REPLACE MAPPING some_history EXTERNAL NAME " + SENSOR_HISTORY
                + " (window_start BIGINT, id VARCHAR) TYPE IotGridHistory OPTIONS ('tier' = 'window')").close();

        assertThat(SqlRows.query(client, "SELECT * FROM some_history WHERE id = 's-0' AND window_start = ?", T0))
                .containsExactly(List.of(T0, "s-0"));
    }

    /**
     * Writes windows into a history map as the aggregation job stores them: one block per id and block start.
     */
    private static void write(IMap<String, Object> map, HistoryTier tier, List<WindowStats> windows) {
        Map<String, List<WindowStats>> byBlock = windows.stream().collect(Collectors.groupingBy(
                w -> HistoryTier.key(w.id(), HistoryBlock.blockStart(tier, w.windowStart()))));
        Map<String, Object> entries = new HashMap<>();
        byBlock.forEach((key, ws) -> entries.put(key, HistoryBlock.of(ws.get(0).id(),
                HistoryBlock.blockStart(tier, ws.get(0).windowStart()), ws)));
        map.putAll(entries);
    }

    /** A final window whose values differ per id and index; humidity absent, so its statistics are NULL. */
    private static WindowStats window(String id, long start, long length, int n) {
        MeasureStats temperature = MeasureStats.of(3L, 10.0 + n % 17, 20.0 + n % 13, 15.0 + n % 11, 0.5 + n % 3);
        MeasureStats pressure = MeasureStats.of(1L, 1000.0 + n % 7, 1000.0 + n % 7, 1000.0 + n % 7, 0.0);
        return WindowStats.of(id, start, start + length, false, 3 + n % 5,
                new MeasureStats[] {temperature, MeasureStats.NONE, pressure, MeasureStats.NONE});
    }

    private static List<Object> values(WindowStats w) {
        List<Object> values = new ArrayList<>();
        WindowColumn.all().forEach(c -> values.add(c.value(w)));
        return values;
    }

    /** Entries of {@code map} read on the members so far: the scan reads the blocks it chose with getAll. */
    private static long blockReads(String map) {
        return List.of(member1, member2).stream()
                .mapToLong(m -> m.getMap(map).getLocalMapStats().getGetOperationCount()).sum();
    }
}
