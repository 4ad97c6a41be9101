package io.iotgrid.member;

import io.iotgrid.core.HistoryBlock;
import io.iotgrid.core.HistoryTier;
import io.iotgrid.core.WindowStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

import static io.iotgrid.member.HistoryRows.window;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link HistoryTable} against a real PostgreSQL: DDL, upserts, range reads, blocks, deletes. */
class HistoryTableIT {

    private static final long HOUR = 3_600_000L;
    private static final long T0 = Instant.parse("2026-03-31T22:00:00Z").toEpochMilli();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    @Test
    void when_windowsUpserted_then_readBackEqual_and_replacedByLateUpdates() throws Exception {
        HistoryTable table = HistoryTable.of("t_upsert_history");
        try (Connection c = postgres.server().connect()) {
            table.create(c);
            table.create(c);
            WindowStats a = window("p-1", T0, 3, 21.5);
            WindowStats b = window("p-1", T0 + 60_000, 1, null);
            WindowStats other = window("p-2", T0, 2, 19.0);
            assertThat(table.upsert(c, List.of(a, b, other))).isEqualTo(3);
            assertThat(table.select(c, "p-1", T0, T0 + HOUR)).containsExactly(a, b);

            WindowStats late = window("p-1", T0, 4, 22.0);
            // The unchanged rows are left alone: only the changed one counts.
            assertThat(table.upsert(c, List.of(late, b, other))).isEqualTo(1);
            assertThat(table.select(c, "p-1", T0, T0 + HOUR)).containsExactly(late, b);
            assertThat(table.selectRange(c, T0, T0 + 1)).containsExactly(late, other);

            assertThat(table.delete(c, "p-1", T0, T0 + HOUR)).isEqualTo(2);
            assertThat(table.select(c, "p-1", T0, T0 + HOUR)).isEmpty();
            assertThat(table.select(c, "p-2", T0, T0 + HOUR)).containsExactly(other);
        }
    }

    @Test
    void when_blocksListed_then_oneKeyPerIdAndUtcBlock_sinceTheCutoff() throws Exception {
        HistoryTable minutes = HistoryTable.of("t_blocks_history");
        HistoryTable days = HistoryTable.of("t_blocks_history_day");
        try (Connection c = postgres.server().connect(); Statement st = c.createStatement()) {
            // Another session time zone must not move UTC blocks.
            st.execute("SET TIME ZONE 'America/New_York'");
            minutes.create(c);
            days.create(c);
            minutes.upsert(c, List.of(window("s-1", T0 - HOUR, 1, 1.0), window("s-1", T0 + 60_000, 1, 1.0),
                    window("s-1", T0 + 59 * 60_000, 1, 1.0), window("s-1", T0 + HOUR, 1, 1.0),
                    window("s-2", T0 + HOUR + 60_000, 1, 1.0)));
            assertThat(minutes.blocks(c, HistoryTier.WINDOW, T0)).containsExactlyInAnyOrder(
                    new HistoryTable.Block("s-1", T0), new HistoryTable.Block("s-1", T0 + HOUR),
                    new HistoryTable.Block("s-2", T0 + HOUR));

            long march31 = Instant.parse("2026-03-31T00:00:00Z").toEpochMilli();
            long april1 = Instant.parse("2026-04-01T00:00:00Z").toEpochMilli();
            days.upsert(c, List.of(window("s-1", march31, 1, 1.0), window("s-1", april1, 1, 1.0)));
            long march = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
            assertThat(days.blocks(c, HistoryTier.DAY, 0)).containsExactlyInAnyOrder(
                    new HistoryTable.Block("s-1", march), new HistoryTable.Block("s-1", april1));
            assertThat(HistoryBlock.blockStart(HistoryTier.DAY, march31)).isEqualTo(march);

            assertThat(minutes.deleteOlderThan(c, T0)).isEqualTo(1);
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM t_blocks_history")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(4);
            }
        }
    }
}
