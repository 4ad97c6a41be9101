package io.iotgrid.member;

import io.iotgrid.core.HistoryBlock;
import io.iotgrid.core.HistoryTier;
import io.iotgrid.core.Measure;
import io.iotgrid.core.MeasureStats;
import io.iotgrid.core.WindowStats;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** Windows and blocks for the map-store tests, and what a table holds. */
final class HistoryRows {

    static final long MINUTE = 60_000;
    static final long HOUR = 3_600_000;

    private HistoryRows() {
    }

    /** A final minute window of {@code id} with {@code count} readings of temperature {@code temperature}. */
    static WindowStats window(String id, long start, long count, Double temperature) {
        MeasureStats[] byMeasure = new MeasureStats[Measure.count()];
        Arrays.fill(byMeasure, MeasureStats.NONE);
        if (temperature != null) {
            byMeasure[Measure.TEMPERATURE.ordinal()] = MeasureStats.of(count, temperature - 1, temperature + 1,
                    temperature, 0.5);
        }
        return WindowStats.of(id, start, start + MINUTE, false, count, byMeasure);
    }

    /** The block of the base tier holding {@code windows} of one id, all in one hour. */
    static HistoryBlock block(List<WindowStats> windows) {
        WindowStats first = windows.get(0);
        return HistoryBlock.of(first.id(), HistoryBlock.blockStart(HistoryTier.WINDOW, first.windowStart()), windows);
    }

    /** Every window of {@code blocks}, by id and start. */
    static List<WindowStats> windowsOf(Collection<HistoryBlock> blocks) {
        List<WindowStats> all = new ArrayList<>();
        blocks.forEach(b -> all.addAll(b.windows()));
        all.sort(Comparator.comparing(WindowStats::id).thenComparingLong(WindowStats::windowStart));
        return all;
    }

    /** The rows of {@code table} at {@code jdbcUrl}, by id and start; empty when the table does not exist yet. */
    static List<WindowStats> rows(String jdbcUrl, String table) throws SQLException {
        try (Connection c = PostgresServer.connect(jdbcUrl)) {
            HistoryTable t = HistoryTable.of(table);
            return t.exists(c) ? t.selectRange(c, 0, 4_102_444_800_000L) : List.of();
        }
    }

    /** {@code SELECT count(*)} of {@code table}. */
    static long count(String jdbcUrl, String table) throws SQLException {
        try (Connection c = PostgresServer.connect(jdbcUrl); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
