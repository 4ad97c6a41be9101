package io.iotgrid.bench;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.HistoryBlock;
import io.iotgrid.core.HistoryTier;
import io.iotgrid.core.Measure;
import io.iotgrid.core.Statistic;
import io.iotgrid.core.WindowStats;
import io.iotgrid.member.HistoryPersistence;
import io.iotgrid.member.HistoryTable;
import org.postgresql.PGConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Write-behind throughput of the history map store into PostgreSQL, against PostgreSQL's own ceiling for the same
 * rows on the same machine ({@code COPY ... FROM STDIN}).
 * <p>
 * How to run (from the repository root), against a PostgreSQL you started (its database is emptied of the two
 * tables it uses, {@code sensor_stats_history} and {@code copy_ceiling_history}):
 * <pre>
 * mvn -q -B -DskipTests -pl bench -am package
 * java -Xmx2g -cp "bench/target/iot-grid-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath)" \
 *      io.iotgrid.bench.HistoryStoreBenchmark --jdbc-url jdbc:postgresql://127.0.0.1:5432/iotgrid --user iot \
 *      --password secret --sensors 2000 --hours 2 --runs 3
 * </pre>
 * Expected output, one line per run, then the spreads (figures from a loaded 2-core machine):
 * <pre>
 * run 1: rows=240000 copy=95000 rows/s store=21000 rows/s ratio=0.22
 * COPY rows/s: 95,000 (90,000–99,000) over 3 runs
 * ...
 * </pre>
 * <b>What is measured.</b> The rows: {@code sensors × hours × 60} closed minutes, every measure carried, packed
 * as the job packs them (one {@link HistoryBlock} per sensor and hour). <i>Ceiling</i>: one {@code COPY} of all rows
 * (CSV, one transaction) into an empty table of the same definition, indexes included. <i>Store</i>: one member in
 * this JVM with the store as {@code iot-grid-member-postgres.yaml} configures it (write-behind, coalescing, batches
 * of 1 000 blocks) but a write delay of 1 s; every block put, then the time until the table holds every row (polled
 * every 10 ms), from the first put. Runs alternate which of the two goes first, each on emptied tables and a new
 * member.
 */
public final class HistoryStoreBenchmark {

    private static final long MINUTE = 60_000;
    private static final long HOUR = 3_600_000;
    private static final String STORE_TABLE = HistoryTier.WINDOW.mapName("sensor_stats");
    private static final String COPY_TABLE = "copy_ceiling_history";
    private static final Duration DEADLINE = Duration.ofMinutes(10);

    private HistoryStoreBenchmark() {
    }

    /**
     * What one run measured.
     *
     * @param rows        rows written by each side
     * @param copyNanos   time of the {@code COPY}
     * @param storeNanos  time from the first put until the table held every row
     */
    public record Result(long rows, long copyNanos, long storeNanos) {

        /** {@code COPY} rows per second: the ceiling. */
        public double copyRate() {
            return rows * 1e9 / copyNanos;
        }

        /** Rows (windows) per second through the map store. */
        public double storeRate() {
            return rows * 1e9 / storeNanos;
        }

        /** Store rate over the ceiling. */
        public double ratio() {
            return storeRate() / copyRate();
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "rows=%d copy=%.0f rows/s store=%.0f rows/s ratio=%.2f", rows,
                    copyRate(), storeRate(), ratio());
        }
    }

    /** The command line of {@link #main}. */
    @Command(name = "HistoryStoreBenchmark", sortOptions = false,
            description = "Write-behind throughput of the history map store against PostgreSQL's COPY.")
    static final class Options {

        @Option(names = "--jdbc-url", paramLabel = "URL", required = true, description = "the PostgreSQL database")
        String jdbcUrl;

        @Option(names = "--user", paramLabel = "U", description = "database user (default ${DEFAULT-VALUE})")
        String user = "iot";

        @Option(names = "--password", paramLabel = "P", description = "its password")
        String password = "";

        @Option(names = "--sensors", paramLabel = "N", description = "sensors (default ${DEFAULT-VALUE})")
        int sensors = 2_000;

        @Option(names = "--hours", paramLabel = "N", description = "hours of minutes per sensor (default "
                + "${DEFAULT-VALUE})")
        int hours = 2;

        @Option(names = "--runs", paramLabel = "N", description = "runs (default ${DEFAULT-VALUE})")
        int runs = 3;

        @Mixin
        Bench.Help help;
    }

    public static void main(String[] args) throws Exception {
        Options o = Bench.options(new Options(), args);
        List<Result> results = new ArrayList<>();
        for (int r = 0; r < o.runs; r++) {
            Result result = run(o.jdbcUrl, o.user, o.password, o.sensors, o.hours, r % 2 == 0);
            System.out.println("run " + (r + 1) + ": " + result);
            results.add(result);
        }
        System.out.println(Spread.of("COPY rows/s", results.stream().mapToDouble(Result::copyRate).toArray()));
        System.out.println(Spread.of("map store rows/s", results.stream().mapToDouble(Result::storeRate).toArray()));
        System.out.println(Spread.of("store / COPY", results.stream().mapToDouble(Result::ratio).toArray()));
        System.exit(0);
    }

    /**
     * One run: the rows of {@code sensors} sensors' minutes over {@code hours} hours (ending an hour ago), written by
     * {@code COPY} and through the map store on emptied tables, {@code COPY} first when {@code copyFirst}.
     */
    public static Result run(String jdbcUrl, String user, String password, int sensors, int hours, boolean copyFirst)
            throws Exception {
        if (sensors <= 0 || hours <= 0) {
            throw new IllegalArgumentException("sensors and hours must be positive, were " + sensors + " and "
                    + hours);
        }
        long firstHour = HistoryBlock.blockStart(HistoryTier.WINDOW, System.currentTimeMillis()) - (hours + 1) * HOUR;
        Map<String, HistoryBlock> blocks = new HashMap<>();
        List<WindowStats> rows = new ArrayList<>();
        for (int s = 0; s < sensors; s++) {
            String id = BenchReadings.sensorId(s);
            for (int h = 0; h < hours; h++) {
                long hour = firstHour + h * HOUR;
                List<WindowStats> minutes = new ArrayList<>();
                for (int m = 0; m < 60; m++) {
                    minutes.add(HistoryMemoryBenchmark.window(id, hour + m * MINUTE, s, h * 60 + m));
                }
                rows.addAll(minutes);
                blocks.put(HistoryTier.key(id, hour), HistoryBlock.of(id, hour, minutes));
            }
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password)) {
            for (String table : List.of(STORE_TABLE, COPY_TABLE)) {
                HistoryTable t = HistoryTable.of(table);
                t.create(c);
                try (Statement st = c.createStatement()) {
                    st.execute("TRUNCATE " + table);
                }
            }
            long copy;
            long store;
            if (copyFirst) {
                copy = copy(c, rows);
                store = store(c, jdbcUrl, user, password, blocks, rows.size());
            } else {
                store = store(c, jdbcUrl, user, password, blocks, rows.size());
                copy = copy(c, rows);
            }
            return new Result(rows.size(), copy, store);
        }
    }

    /** {@code COPY} of {@code rows} into the ceiling table, in one transaction; returns the nanoseconds it took. */
    private static long copy(Connection c, List<WindowStats> rows) throws Exception {
        StringBuilder csv = new StringBuilder(rows.size() * 200);
        for (WindowStats w : rows) {
            csv.append(w.id()).append(',').append(Instant.ofEpochMilli(w.windowStart())).append(',')
               .append(Instant.ofEpochMilli(w.windowEnd())).append(',').append(w.count());
            for (Measure m : Measure.values()) {
                for (Statistic s : Statistic.values()) {
                    Object v = w.value(m, s);
                    csv.append(',').append(v == null ? "" : v.toString());
                }
            }
            csv.append('\n');
        }
        List<String> columns = new ArrayList<>(List.of("id", "window_start", "window_end", "readings"));
        for (Measure m : Measure.values()) {
            for (Statistic s : Statistic.values()) {
                columns.add(s.column(m));
            }
        }
        String sql = "COPY " + COPY_TABLE + " (" + String.join(", ", columns) + ") FROM STDIN (FORMAT csv)";
        long start = System.nanoTime();
        long copied = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, new StringReader(csv.toString()));
        long took = System.nanoTime() - start;
        if (copied != rows.size()) {
            throw new IllegalStateException("COPY wrote " + copied + " rows of " + rows.size());
        }
        return took;
    }

    /**
     * Every block put into the history map of a new member with the store, then the time until the table holds
     * {@code rows} rows; returns the nanoseconds from the first put.
     */
    private static long store(Connection c, String jdbcUrl, String user, String password,
                              Map<String, HistoryBlock> blocks, int rows) throws Exception {
        // Port 0 is not an option for a member; the member moves on from a taken port by itself.
        Config config = HistoryPersistence.enable(GridConfigs.loopbackMember("history-store-" + UUID.randomUUID(),
                6765), jdbcUrl, user, password);
        config.setProperty("hazelcast.logging.type", "log4j2");
        for (String map : HistoryPersistence.historyMaps()) {
            config.getMapConfig(map).setBackupCount(0).getMapStoreConfig().setWriteDelaySeconds(1);
        }
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
        try {
            IMap<String, HistoryBlock> map = member.getMap(STORE_TABLE);
            long start = System.nanoTime();
            map.putAll(blocks);
            long deadline = start + DEADLINE.toNanos();
            while (count(c) < rows) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the store wrote " + count(c) + " rows of " + rows + " in "
                            + DEADLINE);
                }
                Thread.sleep(10);
            }
            return System.nanoTime() - start;
        } finally {
            member.shutdown();
        }
    }

    private static long count(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM "
                + STORE_TABLE)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
