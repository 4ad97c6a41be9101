package io.iotgrid.core;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.logging.Logger;
import com.hazelcast.sql.HazelcastSqlException;
import io.iotgrid.core.sql.HistorySqlConnector;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The SQL mappings of the maps the jobs write, so {@code hz-cli sql}, the JDBC driver and any client can query
 * them, e.g. {@code SELECT * FROM place_stats WHERE avg_temperature > 25}. The values are stored with
 * zero-config Compact serialization under their class names; the mappings give their fields snake_case column
 * names ({@code EXTERNAL NAME} points at the Java field), so SQL needs no quoting:
 * <table>
 * <caption>columns</caption>
 * <tr><th>map</th><th>columns</th></tr>
 * <tr><td>sensor_stats, place_stats, their {@link GridNames#closed closed} maps ({@code sensor_stats_closed}) and
 * {@link HistoryTier history} maps ({@code sensor_stats_history}, {@code ..._history_hour},
 * {@code ..._history_day})</td><td>{@code id, window_start, window_end} (epoch ms, end exclusive),
 * {@code early, readings}, then for each {@link Measure} (temperature, humidity, pressure, luminosity) and each
 * {@link Statistic} a column {@code <statistic>_<measure>}, e.g. {@code count_temperature, avg_temperature} (all but
 * the count NULL when no reading carried the measure)</td></tr>
 * <tr><td>dead_letters</td><td>{@code __key} (the entry's UUID), {@code source, received_at, reason}, and a Kafka
 * record's coordinates {@code topic} (NULL for other sources), {@code kafka_partition, kafka_offset} (-1 for other
 * sources; {@code partition} and {@code offset} are reserved words in SQL). The raw key and value bytes stay out of
 * SQL: Compact byte arrays have no SQL type; read them with a client</td></tr>
 * <tr><td>late_readings</td><td>{@code __key} ({@code <sensor>@<timestamp>}), {@code sensor_id, place_id,
 * reading_time} (the reading's event time; {@code timestamp} is a reserved word), each {@link Measure} by its name
 * (NaN when absent), {@code window_start, window_end} (the window it missed), {@code watermark, late_by_ms,
 * received_at}; see {@link LateReading}</td></tr>
 * <tr><td>sensor_status</td><td>{@code sensor_id, place_id, state} ({@code ONLINE}, {@code SILENT} or
 * {@code OFFLINE}), {@code last_event_at, last_seen_at} (event and wall-clock time of the last reading, epoch ms),
 * {@code interval_ms, silent_after_ms, state_since}; silent sensors per place:
 * {@code SELECT place_id, COUNT(*) FROM sensor_status WHERE state <> 'ONLINE' GROUP BY place_id}</td></tr>
 * </table>
 * {@code CREATE OR REPLACE MAPPING} makes this idempotent: every job submission runs it again.
 */
public final class SqlMappings {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private SqlMappings() {
    }

    /**
     * Creates or replaces the mappings of the aggregation job's maps, e.g.
     * {@code SqlMappings.create(hz, "sensor_stats", "place_stats", "dead_letters")}: the two stats maps, their
     * {@link GridNames#closed closed} maps and every {@link HistoryTier} of their history, and the dead letters.
     * Needs the {@code hazelcast-sql} module on the members (the distribution has it); the history tables also need
     * the {@link HistorySqlConnector} there (iot-grid's core jar on their class path), else they stay unmapped,
     * with a warning.
     */
    public static void create(HazelcastInstance hz, String sensorStatsMap, String placeStatsMap,
                              String deadLettersMap) {
        List<String> ddls = new ArrayList<>();
        List<String> histories = new ArrayList<>();
        for (String stats : List.of(sensorStatsMap, placeStatsMap)) {
            ddls.add(windowStats(stats));
            ddls.add(windowStats(GridNames.closed(stats)));
            for (HistoryTier tier : HistoryTier.values()) {
                histories.add(history(tier.mapName(stats), tier));
            }
        }
        ddls.add(deadLetters(deadLettersMap));
        for (String ddl : ddls) {
            hz.getSql().execute(ddl).close();
        }
        createHistories(hz, histories);
    }

    /**
     * The history mappings need the {@link HistorySqlConnector} on the members, which members of the distribution
     * lack (they load nothing of iot-grid at start): the job still runs and writes history there, so its submission
     * goes on, with a warning saying what SQL lacks and why.
     */
    private static void createHistories(HazelcastInstance hz, List<String> ddls) {
        for (String ddl : ddls) {
            try {
                hz.getSql().execute(ddl).close();
            } catch (HazelcastSqlException e) {
                if (e.getMessage() == null || !e.getMessage().contains("Unknown connector type: "
                        + HistorySqlConnector.TYPE_NAME)) {
                    throw e;
                }
                Logger.getLogger(SqlMappings.class).warning("The history tables have no SQL mapping: the members "
                        + "lack the " + HistorySqlConnector.TYPE_NAME + " SQL connector, which needs iot-grid's core "
                        + "module on their class path (see docs/cluster.md). History is still written to its maps.");
                return;
            }
        }
    }

    /** Creates or replaces the mapping of a sensor-status map, written when the aggregation job tracks liveness. */
    public static void createSensorStatus(HazelcastInstance hz, String mapName) {
        hz.getSql().execute(sensorStatus(mapName)).close();
    }

    /** Creates or replaces the mapping of a dead-letters map, e.g. for the KCQL routing job. */
    public static void createDeadLetters(HazelcastInstance hz, String mapName) {
        hz.getSql().execute(deadLetters(mapName)).close();
    }

    /** Creates or replaces the mapping of the aggregation job's late-readings map. */
    public static void createLateReadings(HazelcastInstance hz, String mapName) {
        hz.getSql().execute(lateReadings(mapName)).close();
    }

    /** {@code CREATE OR REPLACE MAPPING} of an IMap of {@link WindowStats} named {@code mapName}. */
    public static String windowStats(String mapName) {
        List<String> columns = new ArrayList<>();
        for (WindowColumn c : WindowColumn.all()) {
            columns.add(column(c.name(), c.sqlType(), c.component()));
        }
        // Only the place stats map's entries carry a silent count (the liveness stage adds it to the newest window);
        // history and the closed maps keep the windows' statistics, so the history tables have no such column.
        columns.add(column("silent_sensors", "INTEGER", "silentSensors"));
        return mapping(mapName, columns, WindowStats.class);
    }

    /**
     * {@code CREATE OR REPLACE MAPPING} of the history IMap {@code mapName} of {@code tier}, e.g.
     * {@code history("place_stats_history_hour", HistoryTier.HOUR)}: the columns of {@link #windowStats}, one row per
     * window, read by the {@link HistorySqlConnector} (which unpacks the map's entries and serves time ranges
     * without a full scan).
     */
    public static String history(String mapName, HistoryTier tier) {
        checkName(mapName);
        return "CREATE OR REPLACE MAPPING \"" + mapName + "\" TYPE " + HistorySqlConnector.TYPE_NAME
                + " OPTIONS ('" + HistorySqlConnector.OPTION_TIER + "' = '" + tier.label() + "')";
    }

    /** {@code CREATE OR REPLACE MAPPING} of an IMap of {@link SensorStatus}es named {@code mapName}. */
    public static String sensorStatus(String mapName) {
        return mapping(mapName, List.of(
                column("sensor_id", "VARCHAR", "sensorId"),
                column("place_id", "VARCHAR", "placeId"),
                // Compact stores the enum as its name.
                column("state", "VARCHAR", "state"),
                column("last_event_at", "BIGINT", "lastEventAt"),
                column("last_seen_at", "BIGINT", "lastSeenAt"),
                column("interval_ms", "BIGINT", "intervalMs"),
                column("silent_after_ms", "BIGINT", "silentAfterMs"),
                column("state_since", "BIGINT", "stateSince")), SensorStatus.class);
    }

    /** {@code CREATE OR REPLACE MAPPING} of an IMap of {@link DeadLetter}s named {@code mapName}. */
    public static String deadLetters(String mapName) {
        return mapping(mapName, List.of(
                // A primitive key keeps its own name: Hazelcast refuses to rename `__key`.
                "__key VARCHAR",
                column("source", "VARCHAR", "source"),
                column("received_at", "BIGINT", "receivedAt"),
                column("reason", "VARCHAR", "reason"),
                column("topic", "VARCHAR", "topic"),
                // `partition` and `offset` are reserved words in SQL.
                column("kafka_partition", "INTEGER", "partition"),
                column("kafka_offset", "BIGINT", "offset")), DeadLetter.class);
    }

    /** {@code CREATE OR REPLACE MAPPING} of an IMap of {@link LateReading}s named {@code mapName}. */
    public static String lateReadings(String mapName) {
        List<String> columns = new ArrayList<>(List.of(
                "__key VARCHAR",
                column("sensor_id", "VARCHAR", "sensorId"),
                column("place_id", "VARCHAR", "placeId"),
                // `timestamp` is a reserved word in SQL.
                column("reading_time", "BIGINT", "timestamp")));
        for (Measure m : Measure.values()) {
            columns.add(column(m.key(), "DOUBLE", m.key()));
        }
        columns.addAll(List.of(
                column("window_start", "BIGINT", "windowStart"),
                column("window_end", "BIGINT", "windowEnd"),
                column("watermark", "BIGINT", "watermark"),
                column("late_by_ms", "BIGINT", "lateBy"),
                column("received_at", "BIGINT", "receivedAt")));
        return mapping(mapName, columns, LateReading.class);
    }

    private static String column(String name, String type, String field) {
        return name + ' ' + type + " EXTERNAL NAME \"this." + field + '"';
    }

    private static String mapping(String mapName, List<String> columns, Class<?> valueClass) {
        checkName(mapName);
        return "CREATE OR REPLACE MAPPING \"" + mapName + "\" (\n    "
                + String.join(",\n    ", columns)
                + "\n) TYPE IMap OPTIONS (\n"
                + "    'keyFormat' = 'varchar',\n"
                + "    'valueFormat' = 'compact',\n"
                + "    'valueCompactTypeName' = '" + valueClass.getName() + "'\n)";
    }

    private static void checkName(String mapName) {
        // Map names come from settings and are spliced into DDL: only plain identifiers, never quotes.
        if (mapName == null || !NAME.matcher(mapName).matches()) {
            throw new IllegalArgumentException("a map with an SQL mapping must have a plain name (letters, digits, "
                    + "underscores), was '" + mapName + "'");
        }
    }
}
