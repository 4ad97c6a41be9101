package io.iotgrid.jobs;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.sql.SqlResult;
import com.hazelcast.sql.SqlRow;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.GridNames;
import io.iotgrid.core.HistoryBlock;
import io.iotgrid.core.SqlMappings;
import io.iotgrid.core.HistoryTier;
import io.iotgrid.core.WindowStats;
import io.iotgrid.core.testing.FreePorts;
import io.iotgrid.core.testing.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.awaitility.Awaitility.await;

/**
 * Closed windows and their history: the final result of every window of every key reaches the grid (history and
 * the closed map) beside the early results, and the hours and days rolled up from them are exact, checked
 * against an independent computation from the input, on one member and across two, through Jet's window
 * aggregation (no early results) and through {@code ChangedWindowsP} (early results).
 */
@Timeout(180)
class WindowHistoryIT {

    /** Midnight UTC: days and hours of history are aligned to the epoch. */
    private static final long DAY0 = 19_676 * 86_400_000L;
    private static final long MINUTE = 60_000;
    private static final long HOUR = 3_600_000;
    private static final long DAY = 86_400_000;
    private static final int SENSORS = 3;
    /** A reading every 7 minutes (and a few seconds) for 50 hours: two days and the start of a third. */
    private static final int STEPS = 50 * 60 / 7;
    private static final Map<HistoryTier, Long> LENGTHS = Map.of(HistoryTier.WINDOW, MINUTE, HistoryTier.HOUR, HOUR,
            HistoryTier.DAY, DAY);

    @RegisterExtension
    final Resources resources = new Resources();

    @Test
    void when_oneMemberWithEarlyResults_then_everyClosedWindowAndRollupExact() {
        check(members(1), Duration.ofMillis(100));
    }

    @Test
    void when_twoMembersWithEarlyResults_then_everyClosedWindowAndRollupExact() {
        check(members(2), Duration.ofMillis(100));
    }

    @Test
    void when_twoMembersWithFinalResultsOnly_then_everyClosedWindowAndRollupExact() {
        check(members(2), Duration.ZERO);
    }

    @Test
    void when_tierRetentionPasses_then_itsEntriesLeaveTheGrid() {
        HazelcastInstance member = members(1).get(0);
        AggregationSettings settings = AggregationSettings.builder()
                .set(AggregationSettings.EARLY_RESULTS_PERIOD, Duration.ZERO)
                .set(AggregationSettings.QUIET_CLOSE_AFTER, null)
                .set(AggregationSettings.HISTORY_WINDOW_RETENTION, Duration.ofSeconds(1))
                .set(AggregationSettings.HISTORY_HOUR_RETENTION, Duration.ZERO)
                .build();
        IMap<String, HistoryBlock> minutes = member.getMap(HistoryTier.WINDOW.mapName(settings.sensorStatsMap()));
        IMap<String, HistoryBlock> days = member.getMap(HistoryTier.DAY.mapName(settings.sensorStatsMap()));
        Set<String> written = ConcurrentHashMap.newKeySet();
        Set<String> blocksAdded = ConcurrentHashMap.newKeySet();
        AtomicInteger added = new AtomicInteger();
        AtomicInteger expired = new AtomicInteger();
        minutes.addEntryListener((EntryAddedListener<String, HistoryBlock>) e -> {
            added.incrementAndGet();
            blocksAdded.add(e.getKey());
            e.getValue().windows().forEach(w -> written.add(HistoryTier.key(w.id(), w.windowStart())));
        }, true);
        minutes.addEntryListener((EntryUpdatedListener<String, HistoryBlock>) e -> e.getValue().windows()
                .forEach(w -> written.add(HistoryTier.key(w.id(), w.windowStart()))), true);
        minutes.addEntryListener((EntryExpiredListener<String, HistoryBlock>) e -> expired.incrementAndGet(), false);
        List<Reading> readings = readings();
        submit(member, settings, readings);

        Set<String> sensorMinutes = byWindow(readings, r -> r.sensor, MINUTE).keySet();
        Set<String> minuteBlocks = blockKeys(sensorMinutes, HistoryTier.WINDOW);
        Set<String> sensorDays = blockKeys(byWindow(readings, r -> r.sensor, DAY).keySet(), HistoryTier.DAY);
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(written).as("minutes written").isEqualTo(sensorMinutes);
            assertThat(blocksAdded).as("blocks of minutes written").isEqualTo(minuteBlocks);
            assertThat(days.keySet()).as("blocks of days, kept for the default 90 days").isEqualTo(sensorDays);
        });
        // Expired entries are gone for every reader at once; Hazelcast's background expiry frees the rest of their
        // memory by sampling, so a read of each is what makes every expiry event come now.
        await().untilAsserted(() -> {
            assertThat(minutes.getAll(minuteBlocks)).as("blocks of minutes after their 1 s retention").isEmpty();
            assertThat(expired).as("blocks expired, each once it was added").hasValue(added.get());
        });
        assertThat(member.getMap(HistoryTier.HOUR.mapName(settings.sensorStatsMap())).size()).as("hours not kept")
                .isZero();
    }

    private void check(List<HazelcastInstance> members, Duration earlyResultsPeriod) {
        HazelcastInstance first = members.get(0);
        HazelcastInstance last = members.get(members.size() - 1);
        AggregationSettings settings = AggregationSettings.builder()
                .set(AggregationSettings.EARLY_RESULTS_PERIOD, earlyResultsPeriod)
                .set(AggregationSettings.QUIET_CLOSE_AFTER, null)
                .build();
        List<Reading> readings = readings();
        submit(first, settings, readings);

        for (String statsMap : List.of(settings.sensorStatsMap(), settings.placeStatsMap())) {
            Function<Reading, String> keyFn = statsMap.equals(settings.sensorStatsMap()) ? r -> r.sensor : r -> r.place;
            for (HistoryTier tier : HistoryTier.values()) {
                Map<String, List<Reading>> expected = byWindow(readings, keyFn, LENGTHS.get(tier));
                IMap<String, HistoryBlock> history = last.getMap(tier.mapName(statsMap));
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(windows(history, tier).keySet())
                        .as(tier.mapName(statsMap)).isEqualTo(expected.keySet()));
                Map<String, WindowStats> windows = windows(history, tier);
                expected.forEach((key, inWindow) -> assertWindow(windows.get(key), key, LENGTHS.get(tier), inWindow));
            }
            // Each key's last closed window, final, beside the one filling up (early results on): the newest of its
            // history.
            Map<String, List<Reading>> minutes = byWindow(readings, keyFn, MINUTE);
            Map<String, String> newest = new TreeMap<>();
            minutes.keySet().forEach(k -> newest.merge(k.substring(0, k.indexOf('@')), k,
                    (a, b) -> start(a) >= start(b) ? a : b));
            IMap<String, WindowStats> closed = last.getMap(GridNames.closed(statsMap));
            await().untilAsserted(() -> {
                assertThat(closed.keySet()).isEqualTo(newest.keySet());
                newest.forEach((id, key) -> assertWindow(closed.get(id), key, MINUTE, minutes.get(key)));
            });
        }
        checkRangeQuery(last, settings, readings);
        checkSql(last, settings, readings);
    }

    /** Time-range queries over history through SQL, as docs/processing.md shows them. */
    private static void checkSql(HazelcastInstance member, AggregationSettings settings, List<Reading> readings) {
        SqlMappings.create(member, settings.sensorStatsMap(), settings.placeStatsMap(), settings.deadLettersMap());
        String hours = HistoryTier.HOUR.mapName(settings.sensorStatsMap());
        long from = DAY0 + 5 * HOUR;
        long to = DAY0 + 30 * HOUR;
        Map<String, List<Reading>> expectedHours = byWindow(
                readings.stream().filter(r -> r.sensor.equals("s-1") && r.ts >= from && r.ts < to).toList(),
                r -> r.sensor, HOUR);
        List<String> expectedRows = new ArrayList<>();
        new TreeMap<>(expectedHours).forEach((key, inHour) -> expectedRows.add(start(key) + " " + inHour.size()));
        List<String> rows = new ArrayList<>();
        try (SqlResult result = member.getSql().execute("SELECT window_start, readings FROM " + hours
                + " WHERE id = ? AND window_start >= ? AND window_start < ? ORDER BY window_start", "s-1", from, to)) {
            for (SqlRow row : result) {
                rows.add(row.<Long>getObject("window_start") + " " + row.<Long>getObject("readings"));
            }
        }
        assertThat(rows).isNotEmpty().isEqualTo(expectedRows);

        String placeMinutes = HistoryTier.WINDOW.mapName(settings.placeStatsMap());
        Map<String, Long> expectedPerPlace = new TreeMap<>();
        readings.stream().filter(r -> r.ts >= DAY0 + DAY && r.ts < DAY0 + 2 * DAY)
                .forEach(r -> expectedPerPlace.merge(r.place, 1L, Long::sum));
        Map<String, Long> perPlace = new TreeMap<>();
        try (SqlResult result = member.getSql().execute("SELECT id, SUM(readings) AS total FROM " + placeMinutes
                + " WHERE window_start >= ? AND window_start < ? GROUP BY id ORDER BY id",
                DAY0 + DAY, DAY0 + 2 * DAY)) {
            for (SqlRow row : result) {
                perPlace.put(row.getObject("id"), ((Number) row.getObject("total")).longValue());
            }
        }
        assertThat(perPlace).isEqualTo(expectedPerPlace);

        try (SqlResult plan = member.getSql().execute("EXPLAIN SELECT window_start, readings FROM " + hours
                + " WHERE window_start >= ? AND window_start < ?", from, to)) {
            StringBuilder text = new StringBuilder();
            plan.forEach(row -> text.append(row.<String>getObject(0)).append('\n'));
            // The range reaches the history connector's scan, which reads only the entries in it, chosen by key
            // (HistorySqlConnectorIT counts the entries read).
            assertThat(text.toString()).as("plan of a time-range query")
                                       .contains(hours + "[projects=[$1, $4], filter=AND(>=($1, ?0), <($1, ?1))]");
        }
    }

    /**
     * A time-range lookup of history from Java without SQL, as docs/processing.md shows it: the blocks of an id read
     * by their keys, unpacked. The job leaves the maps without an index: readers choose blocks by key.
     */
    private static void checkRangeQuery(HazelcastInstance member, AggregationSettings settings,
                                        List<Reading> readings) {
        IMap<String, HistoryBlock> hours = member.getMap(HistoryTier.HOUR.mapName(settings.sensorStatsMap()));
        long from = DAY0 + 5 * HOUR;
        long to = DAY0 + 30 * HOUR;
        Map<String, List<Reading>> expectedHours = byWindow(
                readings.stream().filter(r -> r.sensor.equals("s-1") && r.ts >= from && r.ts < to).toList(),
                r -> r.sensor, HOUR);
        List<String> expectedRows = new ArrayList<>();
        new TreeMap<>(expectedHours).forEach((key, inHour) -> expectedRows.add(start(key) + " " + inHour.size()));
        Set<String> keys = new HashSet<>();
        for (long start = HistoryBlock.blockStart(HistoryTier.HOUR, from); start < to;
             start = HistoryBlock.blockEnd(HistoryTier.HOUR, start)) {
            keys.add(HistoryTier.key("s-1", start));
        }
        List<String> rows = hours.getAll(keys).values().stream().flatMap(b -> b.windows().stream())
                .filter(w -> w.windowStart() >= from && w.windowStart() < to)
                .sorted(Comparator.comparingLong(WindowStats::windowStart))
                .map(w -> w.windowStart() + " " + w.count()).toList();
        assertThat(rows).isNotEmpty().isEqualTo(expectedRows);
        assertThat(hours.getLocalMapStats().getIndexStats()).as("indexes of " + hours.getName()).isEmpty();
    }

    /**
     * The windows of every block of {@code history} by {@code id@windowStart}, each block checked to be under its
     * key and to hold only windows of its block.
     */
    private static Map<String, WindowStats> windows(IMap<String, HistoryBlock> history, HistoryTier tier) {
        Map<String, WindowStats> windows = new TreeMap<>();
        history.forEach((key, block) -> {
            assertThat(key).isEqualTo(HistoryTier.key(block.id(), block.blockStart()));
            for (WindowStats w : block.windows()) {
                assertThat(HistoryBlock.blockStart(tier, w.windowStart())).as(key).isEqualTo(block.blockStart());
                windows.put(HistoryTier.key(w.id(), w.windowStart()), w);
            }
        });
        return windows;
    }

    /** The keys of the blocks of {@code tier} holding the windows {@code windowKeys} ({@code id@windowStart}). */
    private static Set<String> blockKeys(Set<String> windowKeys, HistoryTier tier) {
        Set<String> blocks = new TreeSet<>();
        windowKeys.forEach(k -> blocks.add(HistoryTier.key(k.substring(0, k.indexOf('@')),
                HistoryBlock.blockStart(tier, start(k)))));
        return blocks;
    }

    private static void assertWindow(WindowStats w, String key, long length, List<Reading> inWindow) {
        String what = key + " of " + length + " ms";
        assertThat(w).as(what).isNotNull();
        assertThat(w.id()).as(what).isEqualTo(key.substring(0, key.indexOf('@')));
        assertThat(w.windowStart()).as(what).isEqualTo(start(key));
        assertThat(w.windowEnd()).as(what).isEqualTo(start(key) + length);
        assertThat(w.early()).as(what).isFalse();
        assertThat(w.count()).as(what).isEqualTo(inWindow.size());
        double[] t = inWindow.stream().mapToDouble(r -> r.temperature).toArray();
        double[] p = inWindow.stream().mapToDouble(r -> r.pressure).toArray();
        assertThat(w.temperatureCount()).as(what).isEqualTo(t.length);
        assertThat(w.temperatureMin()).as(what).isEqualTo(Arrays.stream(t).min().orElseThrow());
        assertThat(w.temperatureMax()).as(what).isEqualTo(Arrays.stream(t).max().orElseThrow());
        // Quarter degrees: their sums are exact, so the average is too.
        assertThat(w.temperatureAvg()).as(what).isEqualTo(Arrays.stream(t).sum() / t.length);
        assertThat(w.temperatureStddev()).as(what).isCloseTo(TwoPass.stddev(t), withinPercentage(1e-7));
        assertThat(w.pressureStddev()).as(what).isCloseTo(TwoPass.stddev(p), withinPercentage(1e-7));
        assertThat(w.humidityCount()).as(what).isZero();
    }

    /** Readings grouped by {@code key@windowStart}, the key of history entries. */
    private static Map<String, List<Reading>> byWindow(List<Reading> readings, Function<Reading, String> keyFn,
                                                       long length) {
        Map<String, List<Reading>> byWindow = new ConcurrentHashMap<>();
        for (Reading r : readings) {
            byWindow.computeIfAbsent(HistoryTier.key(keyFn.apply(r), floor(r.ts, length)), k -> new ArrayList<>())
                    .add(r);
        }
        return byWindow;
    }

    private static long start(String historyKey) {
        return Long.parseLong(historyKey.substring(historyKey.indexOf('@') + 1));
    }

    private static long floor(long ts, long length) {
        return Math.floorDiv(ts, length) * length;
    }

    /**
     * The input: {@value #SENSORS} sensors in two places, a reading every 7 minutes for 50 hours, and every tenth
     * step a reading out of order: stamped a second before a minute ends, after one stamped two seconds past it,
     * so its minute has ended in event time but, within the 5 s lateness, still counts (and so does its hour).
     */
    private static List<Reading> readings() {
        List<Reading> readings = new ArrayList<>();
        for (int i = 0; i < STEPS; i++) {
            String sensor = "s-" + i % SENSORS;
            String place = "p-" + i % SENSORS % 2;
            long ts = DAY0 + i * 7 * MINUTE + (i * 13 % 50) * 1000;
            readings.add(new Reading(sensor, place, ts, (i * 37 % 101) / 4.0, 1013.25 + (i % 11) * 0.25));
            if (i % 10 == 9) {
                long minuteEnd = floor(ts, MINUTE) + MINUTE;
                readings.add(new Reading(sensor, place, minuteEnd + 2_000, i % 7, 1013.0));
                readings.add(new Reading(sensor, place, minuteEnd - 1_000, 40 + i % 5, 1013.5));
            }
        }
        return readings;
    }

    private void submit(HazelcastInstance member, AggregationSettings settings, List<Reading> readings) {
        List<String> payloads = new ArrayList<>();
        for (Reading r : readings) {
            payloads.add("{\"id\":\"" + r.sensor + "\",\"place_id\":\"" + r.place + "\",\"timestamp\":" + r.ts
                    + ",\"payload\":{\"temperature\":" + r.temperature + ",\"pressure\":" + r.pressure + "}}");
        }
        // Moves event time past the end of the third day, closing every window above; its own stay open.
        payloads.add("{\"id\":\"end\",\"place_id\":\"p-end\",\"timestamp\":" + (DAY0 + 3 * DAY + MINUTE)
                + ",\"payload\":{\"temperature\":0}}");
        resources.onClose(member.getJet().newJob(AggregationJob.build(ScriptedSource.of(payloads, settings), settings),
                JobSerializers.register(new JobConfig()))::cancel);
    }

    private List<HazelcastInstance> members(int count) {
        String cluster = "history-" + UUID.randomUUID();
        int port = FreePorts.loopback();
        List<HazelcastInstance> members = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Config config = GridConfigs.loopbackMember(cluster, port);
            HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
            resources.onClose(member::shutdown);
            members.add(member);
        }
        await().until(() -> members.get(0).getCluster().getMembers().size() == count);
        return members;
    }

    private record Reading(String sensor, String place, long ts, double temperature, double pressure) {
    }
}
