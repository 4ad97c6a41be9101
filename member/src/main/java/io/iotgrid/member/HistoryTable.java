package io.iotgrid.member;

import io.iotgrid.core.HistoryTier;
import io.iotgrid.core.Measure;
import io.iotgrid.core.MeasureStats;
import io.iotgrid.core.Statistic;
import io.iotgrid.core.WindowStats;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One history map's table in PostgreSQL: one row per id and window, named as the map (e.g.
 * {@code place_stats_history_hour}), with the columns of the grid's SQL mapping of history ({@code id,
 * window_start, window_end, readings}, then {@code <statistic>_<measure>} for every {@link Statistic} and
 * {@link Measure}, e.g. {@code avg_temperature}), primary key {@code (id, window_start)} and an index on
 * {@code window_start}. History holds final results only, so the grid's {@code early} column has no counterpart.
 * Window times are {@code timestamptz}: Grafana's PostgreSQL data source and {@code psql} read them as times
 * ({@code $__timeFilter(window_start)}, {@code $__timeGroup(...)}), where epoch milliseconds would need converting in
 * every query; the grid's {@code BIGINT} milliseconds are {@code extract(epoch FROM window_start) * 1000}.
 * <p>
 * The statements are plain SQL on a {@link Connection} the caller owns; nothing here commits.
 */
public final class HistoryTable {

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final Measure[] MEASURES = Measure.values();
    private static final Statistic[] STATISTICS = Statistic.values();
    /** Rows per JDBC batch: large enough to amortise round trips, small enough to bound the driver's buffers. */
    private static final int BATCH_ROWS = 1000;

    private final String name;
    private final List<String> statColumns = new ArrayList<>();

    private HistoryTable(String name) {
        this.name = name;
        for (Measure m : MEASURES) {
            for (Statistic s : STATISTICS) {
                statColumns.add(s.column(m));
            }
        }
    }

    /**
     * The table of the history map {@code mapName}, which must be a plain lower-case name (it is spliced into SQL).
     *
     * @throws IllegalArgumentException for any other name
     */
    public static HistoryTable of(String mapName) {
        if (mapName == null || !NAME.matcher(mapName).matches()) {
            throw new IllegalArgumentException("a history table is named as its map, which must be a plain lower-case "
                    + "name (letters, digits, underscores), was '" + mapName + "'");
        }
        return new HistoryTable(mapName);
    }

    /** The table's name: its map's. */
    public String name() {
        return name;
    }

    /** {@code CREATE TABLE IF NOT EXISTS} and {@code CREATE INDEX IF NOT EXISTS}, as the store runs them at init. */
    public List<String> ddl() {
        StringBuilder t = new StringBuilder("CREATE TABLE IF NOT EXISTS " + name + " (\n"
                + "    id text NOT NULL,\n"
                + "    window_start timestamptz NOT NULL,\n"
                + "    window_end timestamptz NOT NULL,\n"
                + "    readings bigint NOT NULL,\n");
        for (Measure m : MEASURES) {
            for (Statistic s : STATISTICS) {
                t.append("    ").append(s.column(m)).append(' ')
                 .append(s.type() == long.class ? "bigint NOT NULL" : "double precision").append(",\n");
            }
        }
        t.append("    PRIMARY KEY (id, window_start)\n)");
        return List.of(t.toString(),
                "CREATE INDEX IF NOT EXISTS " + name + "_window_start ON " + name + " (window_start)");
    }

    /**
     * Creates the table and its index unless they exist. Members starting together may race on it: when one
     * loses (PostgreSQL reports a duplicate catalog entry), the table is there and that is fine.
     */
    public void create(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String ddl : ddl()) {
                st.execute(ddl);
            }
        } catch (SQLException e) {
            if (!exists(c)) {
                throw e;
            }
        }
    }

    /** Whether the table exists. */
    public boolean exists(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * Inserts {@code windows}, replacing the row of a window already there ({@code INSERT ... ON CONFLICT (id,
     * window_start) DO UPDATE}), in JDBC batches. A row whose values did not change is left alone (no new row
     * version), which matters because a block is written again whole each time one of its windows changes.
     *
     * @return the number of rows inserted or changed
     */
    public int upsert(Connection c, Collection<WindowStats> windows) throws SQLException {
        List<String> updated = new ArrayList<>(List.of("window_end", "readings"));
        updated.addAll(statColumns);
        String columns = "id, window_start, " + String.join(", ", updated);
        String sql = "INSERT INTO " + name + " (" + columns + ") VALUES (?" + ", ?".repeat(updated.size() + 1) + ")\n"
                + "ON CONFLICT (id, window_start) DO UPDATE SET ("
                + String.join(", ", updated) + ") = ROW(" + prefixed("EXCLUDED.", updated) + ")\n"
                + "WHERE (" + prefixed(name + '.', updated) + ") IS DISTINCT FROM (" + prefixed("EXCLUDED.", updated)
                + ')';
        int changed = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int rows = 0;
            for (WindowStats w : windows) {
                int i = 1;
                ps.setString(i++, w.id());
                ps.setObject(i++, time(w.windowStart()));
                ps.setObject(i++, time(w.windowEnd()));
                ps.setLong(i++, w.count());
                for (Measure m : MEASURES) {
                    for (Statistic s : STATISTICS) {
                        Object v = w.value(m, s);
                        if (v == null) {
                            ps.setNull(i++, Types.DOUBLE);
                        } else {
                            ps.setObject(i++, v);
                        }
                    }
                }
                ps.addBatch();
                if (++rows % BATCH_ROWS == 0) {
                    changed += sum(ps.executeBatch());
                }
            }
            if (rows % BATCH_ROWS != 0) {
                changed += sum(ps.executeBatch());
            }
        }
        return changed;
    }

    /** The windows of {@code id} starting in {@code [from, to)} (epoch ms), by window start. */
    public List<WindowStats> select(Connection c, String id, long from, long to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, window_start, window_end, readings, "
                + String.join(", ", statColumns) + " FROM " + name
                + " WHERE id = ? AND window_start >= ? AND window_start < ? ORDER BY window_start")) {
            ps.setString(1, id);
            ps.setObject(2, time(from));
            ps.setObject(3, time(to));
            return read(ps);
        }
    }

    /** The windows of any of {@code ids} starting in {@code [from, to)} (epoch ms), by id and window start. */
    public List<WindowStats> select(Connection c, Collection<String> ids, long from, long to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, window_start, window_end, readings, "
                + String.join(", ", statColumns) + " FROM " + name
                + " WHERE id = ANY(?) AND window_start >= ? AND window_start < ? ORDER BY id, window_start")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            ps.setObject(2, time(from));
            ps.setObject(3, time(to));
            return read(ps);
        }
    }

    /** Every window starting in {@code [from, to)} (epoch ms), by id and window start. */
    public List<WindowStats> selectRange(Connection c, long from, long to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, window_start, window_end, readings, "
                + String.join(", ", statColumns) + " FROM " + name
                + " WHERE window_start >= ? AND window_start < ? ORDER BY id, window_start")) {
            ps.setObject(1, time(from));
            ps.setObject(2, time(to));
            return read(ps);
        }
    }

    /** Deletes the windows of {@code id} starting in {@code [from, to)} (epoch ms); returns how many. */
    public int delete(Connection c, String id, long from, long to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM " + name + " WHERE id = ? AND window_start >= ? AND window_start < ?")) {
            ps.setString(1, id);
            ps.setObject(2, time(from));
            ps.setObject(3, time(to));
            return ps.executeUpdate();
        }
    }

    /** Deletes every window that started before {@code cutoff} (epoch ms); returns how many. */
    public int deleteOlderThan(Connection c, long cutoff) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + name + " WHERE window_start < ?")) {
            ps.setObject(1, time(cutoff));
            return ps.executeUpdate();
        }
    }

    /**
     * The blocks with a window starting at or after {@code since} (epoch ms), as {@code (id, blockStart)} pairs: the
     * tier's block is a UTC hour for {@link HistoryTier#WINDOW}, a UTC day for {@link HistoryTier#HOUR} and a UTC
     * month for {@link HistoryTier#DAY}. PostgreSQL computes them ({@code date_trunc}), so only one row per block
     * leaves the database.
     */
    public List<Block> blocks(Connection c, HistoryTier tier, long since) throws SQLException {
        String unit = switch (tier) {
            case WINDOW -> "hour";
            case HOUR -> "day";
            case DAY -> "month";
        };
        List<Block> blocks = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT id, (extract(epoch FROM date_trunc('" + unit
                + "', window_start AT TIME ZONE 'UTC')) * 1000)::bigint FROM " + name + " WHERE window_start >= ?")) {
            ps.setObject(1, time(since));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    blocks.add(new Block(rs.getString(1), rs.getLong(2)));
                }
            }
        }
        return blocks;
    }

    /** One block of history in the table: an id and the start of its block (epoch ms). */
    public record Block(String id, long blockStart) {
    }

    private List<WindowStats> read(PreparedStatement ps) throws SQLException {
        List<WindowStats> windows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                int i = 5;
                MeasureStats[] byMeasure = new MeasureStats[MEASURES.length];
                for (Measure m : MEASURES) {
                    Object[] values = new Object[STATISTICS.length];
                    for (Statistic s : STATISTICS) {
                        values[s.ordinal()] = s.type() == long.class ? (Object) rs.getLong(i++)
                                : rs.getObject(i++, Double.class);
                    }
                    byMeasure[m.ordinal()] = MeasureStats.of(values);
                }
                windows.add(WindowStats.of(rs.getString(1), millis(rs.getObject(2, OffsetDateTime.class)),
                        millis(rs.getObject(3, OffsetDateTime.class)), false, rs.getLong(4), byMeasure));
            }
        }
        return windows;
    }

    private static OffsetDateTime time(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.UTC);
    }

    private static long millis(OffsetDateTime t) {
        return t.toInstant().toEpochMilli();
    }

    private static String prefixed(String prefix, List<String> columns) {
        return prefix + String.join(", " + prefix, columns);
    }

    private static int sum(int[] counts) {
        int n = 0;
        for (int c : counts) {
            // The driver may report SUCCESS_NO_INFO (-2) for a batch; count such rows as written.
            n += c == Statement.SUCCESS_NO_INFO ? 1 : c;
        }
        return n;
    }
}
