package io.iotgrid.member;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.dataconnection.impl.JdbcDataConnection;
import com.hazelcast.jet.impl.util.Util;
import com.hazelcast.logging.ILogger;
import com.hazelcast.map.MapLoaderLifecycleSupport;
import com.hazelcast.map.MapStore;
import io.iotgrid.core.HistoryBlock;
import io.iotgrid.core.HistoryTier;
import io.iotgrid.core.WindowStats;
import io.iotgrid.core.settings.SettingsReader;
import io.iotgrid.member.impl.JmxGauge;

import javax.management.JMException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a history map ({@code <stats map>_history}, {@code ..._history_hour}, {@code ..._history_day}) in a
 * PostgreSQL table of the same name, one row per id and window ({@link HistoryTable}), so history survives a restart
 * of every member. Configured on the members, e.g. in the member yaml:
 * <pre>
 * data-connection:
 *   history-db:
 *     type: JDBC
 *     shared: true
 *     properties:
 *       jdbcUrl: jdbc:postgresql://db:5432/iotgrid
 *       user: iot
 *       password: secret
 * map:
 *   sensor_stats_history:
 *     time-to-live-seconds: 21600
 *     map-store:
 *       enabled: true
 *       class-name: io.iotgrid.member.HistoryMapStore
 *       initial-mode: EAGER
 *       write-delay-seconds: 5
 *       write-batch-size: 1000
 *       write-coalescing: true
 *       properties:
 *         data.connection: history-db
 * </pre>
 * Properties: {@link HistoryStoreSettings}. Not Hazelcast's {@code GenericMapStore}: that maps one entry to one row,
 * and an entry here is a {@link HistoryBlock} of many windows (an hour of minutes, a day of hours, a month of days).
 * <ul>
 * <li><b>Write</b> ({@code store}, {@code storeAll}): every window of each block as an upsert ({@code INSERT ... ON
 * CONFLICT (id, window_start) DO UPDATE}, only rows that changed), in JDBC batches, one transaction per call. Meant for
 * write-behind with coalescing: a block written again before the delay is stored once, whole.</li>
 * <li><b>Load</b> ({@code load}, {@code loadAll}): a block's rows, read back into a {@link HistoryBlock}.
 * {@code loadAllKeys}: the blocks with a window newer than the map's {@code time-to-live-seconds} (all when 0), which
 * Hazelcast loads when the map is first used ({@code initial-mode: EAGER}: before {@code getMap} returns, so no query
 * sees half a history).</li>
 * <li><b>Delete</b> ({@code delete}, {@code deleteAll}): the rows of the block, on {@code IMap.remove}, {@code delete}
 * or {@code clear}. Expiry and eviction never delete: the database has its own retention, applied every
 * {@link HistoryStoreSettings#RETENTION_INTERVAL} by the oldest member ({@code DELETE ... WHERE window_start <
 * now() - retention}).</li>
 * <li><b>Database unavailable</b> (connection refused or cut): writes fail, so Hazelcast keeps the blocks in the
 * write-behind queue and tries again (5.5: a batch three times a second apart, then entry by entry, then the failed
 * ones go back to the head of the queue for the next round a second later); to spare the database and the store
 * threads, the store fails at once, without a connection attempt, for a backoff that doubles from 1 s to 30 s after
 * each failed attempt. Loads answer "no block" meanwhile, so the job keeps writing; the rows in the database are
 * never removed by that, since a write only inserts or replaces rows. Wrong credentials or a missing database fail
 * the map's creation with a message naming the data connection.</li>
 * <li><b>Metric</b>: {@code historyWriteBehindQueue}, the blocks this member still has to write (Hazelcast's dirty
 * entry count of the map), as a JMX gauge {@code com.hazelcast.iotgrid:type=Metrics,instance=<member>,map=<map>},
 * which the Prometheus agent exports as {@code com_hazelcast_iotgrid_Metrics_historyWriteBehindQueue}.</li>
 * </ul>
 * <b>Delivery</b>: a block is in the database at the latest {@code write-delay-seconds} after it was last written,
 * while the database is up; what the grid acknowledged stays queued in memory (and on the backup) until stored,
 * across an outage of any length. A graceful shutdown of a member writes its queue first; a member that dies has
 * its backups take over the queue.
 */
public final class HistoryMapStore implements MapStore<String, HistoryBlock>, MapLoaderLifecycleSupport {

    /** JMX domain of the queue gauge, the same as the stats gauges'. */
    public static final String JMX_DOMAIN = "com.hazelcast.iotgrid";
    /** Name of the gauge of the write-behind queue. */
    public static final String QUEUE_METRIC = "historyWriteBehindQueue";

    private static final long FIRST_BACKOFF_MS = 1_000;
    private static final long MAX_BACKOFF_MS = 30_000;

    private HazelcastInstance hz;
    private String mapName;
    private HistoryTier tier;
    private HistoryTable table;
    private HistoryStoreSettings settings;
    private JdbcDataConnection dataConnection;
    private ILogger logger;
    private ScheduledExecutorService retention;
    private JmxGauge gauge;

    private volatile boolean tableReady;
    /** While the database is known to be unreachable: the time of the next attempt, epoch ms. */
    private volatile long downUntil;
    private long backoff = FIRST_BACKOFF_MS;

    @Override
    public void init(HazelcastInstance hazelcastInstance, Properties properties, String mapName) {
        this.hz = hazelcastInstance;
        this.mapName = mapName;
        this.logger = hz.getLoggingService().getLogger(HistoryMapStore.class);
        this.settings = HistoryStoreSettings.builder()
                .read(SettingsReader.of(properties).rejectUnknown(HistoryStoreSettings.GROUP)).build();
        this.tier = tierOf(mapName);
        this.table = HistoryTable.of(mapName);
        String name = settings.dataConnection();
        try {
            // Hazelcast 5.5 offers the data connections to code on the member through its node engine only (its own
            // GenericMapStore reaches them the same way).
            this.dataConnection = Util.getNodeEngine(hz).getDataConnectionService().getAndRetainDataConnection(name,
                    JdbcDataConnection.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("history map store of '" + mapName + "': no JDBC data connection '"
                    + name + "' in the member configuration (" + e.getMessage() + ')', e);
        }
        try (Connection c = connection()) {
            table.create(c);
            tableReady = true;
        } catch (SQLException | RuntimeException e) {
            if (!unreachable(e)) {
                throw new IllegalStateException(describe("cannot create table " + mapName, e), e);
            }
            logger.warning(describe("database unreachable at start; history is kept in memory and written when it "
                    + "is back", e));
        }
        startRetention();
        try {
            gauge = JmxGauge.register(JMX_DOMAIN, hz.getName(), mapName, QUEUE_METRIC,
                    () -> hz.getMap(mapName).getLocalMapStats().getDirtyEntryCount());
        } catch (JMException e) {
            logger.warning("history map store of '" + mapName + "': no " + QUEUE_METRIC + " gauge: " + e);
        }
    }

    @Override
    public void destroy() {
        if (retention != null) {
            retention.shutdownNow();
        }
        if (gauge != null) {
            gauge.unregister();
        }
        if (dataConnection != null) {
            dataConnection.release();
        }
    }

    @Override
    public void store(String key, HistoryBlock block) {
        storeAll(Map.of(key, block));
    }

    @Override
    public void storeAll(Map<String, HistoryBlock> blocks) {
        List<WindowStats> rows = new ArrayList<>();
        for (HistoryBlock b : blocks.values()) {
            rows.addAll(b.windows());
        }
        write("store " + blocks.size() + " blocks (" + rows.size() + " windows)", c -> table.upsert(c, rows));
    }

    @Override
    public void delete(String key) {
        deleteAll(List.of(key));
    }

    @Override
    public void deleteAll(Collection<String> keys) {
        write("delete " + keys.size() + " blocks", c -> {
            for (String key : keys) {
                BlockKey k = BlockKey.parse(key);
                table.delete(c, k.id, k.start, HistoryBlock.blockEnd(tier, k.start));
            }
        });
    }

    @Override
    public HistoryBlock load(String key) {
        return loadAll(List.of(key)).get(key);
    }

    @Override
    public Map<String, HistoryBlock> loadAll(Collection<String> keys) {
        if (keys.isEmpty() || !available()) {
            return Map.of();
        }
        Map<String, List<WindowStats>> byKey = new LinkedHashMap<>();
        Set<String> ids = new HashSet<>();
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        for (String key : keys) {
            BlockKey k = BlockKey.parse(key);
            byKey.put(key, new ArrayList<>());
            ids.add(k.id);
            from = Math.min(from, k.start);
            to = Math.max(to, HistoryBlock.blockEnd(tier, k.start));
        }
        List<WindowStats> rows;
        try (Connection c = connection()) {
            rows = table.select(c, ids, from, to);
            up();
        } catch (SQLException | RuntimeException e) {
            // The job must keep writing while the database is away: "no block" lets it start the block afresh;
            // the rows already in the database stay, as a write only inserts or replaces rows.
            failed("load " + keys.size() + " blocks", e);
            return Map.of();
        }
        for (WindowStats w : rows) {
            String key = HistoryTier.key(w.id(), HistoryBlock.blockStart(tier, w.windowStart()));
            List<WindowStats> block = byKey.get(key);
            if (block != null) {
                block.add(w);
            }
        }
        Map<String, HistoryBlock> loaded = new HashMap<>();
        byKey.forEach((key, windows) -> {
            if (!windows.isEmpty()) {
                BlockKey k = BlockKey.parse(key);
                loaded.put(key, HistoryBlock.of(k.id, k.start, windows));
            }
        });
        return loaded;
    }

    @Override
    public Iterable<String> loadAllKeys() {
        long ttlSeconds = hz.getConfig().getMapConfig(mapName).getTimeToLiveSeconds();
        long since = ttlSeconds == 0 ? 0 : System.currentTimeMillis() - TimeUnit.SECONDS.toMillis(ttlSeconds);
        if (!available()) {
            logger.warning("history map store of '" + mapName + "': database unreachable, history not loaded; blocks "
                    + "are read when used");
            return List.of();
        }
        try (Connection c = connection()) {
            List<String> keys = new ArrayList<>();
            for (HistoryTable.Block b : table.blocks(c, tier, since)) {
                keys.add(HistoryTier.key(b.id(), b.blockStart()));
            }
            up();
            logger.info("history map store of '" + mapName + "': loading " + keys.size() + " blocks from "
                    + "PostgreSQL");
            return keys;
        } catch (SQLException | RuntimeException e) {
            failed("list the blocks to load", e);
            return List.of();
        }
    }

    /** The history tier of the map {@code mapName}, by its name ({@link HistoryTier#mapName}). */
    static HistoryTier tierOf(String mapName) {
        for (HistoryTier t : HistoryTier.values()) {
            String suffix = t.mapName("");
            if (mapName.endsWith(suffix) && mapName.length() > suffix.length()) {
                return t;
            }
        }
        throw new IllegalArgumentException("the history map store keeps history maps, named <stats map>_history, "
                + "<stats map>_history_hour or <stats map>_history_day; was configured on '" + mapName + "'");
    }

    private void write(String what, SqlWork work) {
        if (!available()) {
            throw new IllegalStateException("history map store of '" + mapName + "': database unreachable through "
                    + "data connection '" + settings.dataConnection() + "', next attempt in "
                    + Math.max(0, downUntil - System.currentTimeMillis()) + " ms; the blocks stay queued");
        }
        try (Connection c = connection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
            up();
        } catch (SQLException | RuntimeException e) {
            failed(what, e);
            throw new IllegalStateException(describe("cannot " + what, e), e);
        }
    }

    /** A connection from the data connection's pool, with the table created first if that could not be done yet. */
    private Connection connection() throws SQLException {
        Connection c = dataConnection.getConnection();
        if (!tableReady) {
            try {
                table.create(c);
                tableReady = true;
            } catch (SQLException e) {
                c.close();
                throw e;
            }
        }
        return c;
    }

    private boolean available() {
        return System.currentTimeMillis() >= downUntil;
    }

    private synchronized void up() {
        if (downUntil != 0) {
            logger.info("history map store of '" + mapName + "': database reachable again through data connection '"
                    + settings.dataConnection() + '\'');
        }
        downUntil = 0;
        backoff = FIRST_BACKOFF_MS;
    }

    private synchronized void failed(String what, Exception e) {
        if (unreachable(e)) {
            downUntil = System.currentTimeMillis() + backoff;
            logger.warning(describe("cannot " + what + "; next attempt in " + backoff + " ms", e));
            backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
        } else {
            logger.warning(describe("cannot " + what, e));
        }
    }

    private String describe(String what, Throwable e) {
        return "history map store of '" + mapName + "' (data connection '" + settings.dataConnection() + "'): "
                + what + ": " + rootMessage(e);
    }

    /**
     * Whether {@code e} says the database cannot be reached (SQL state class 08, or the pool giving up on a
     * connection), as opposed to refusing what was asked (credentials, permissions, SQL).
     */
    static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState().startsWith("08") || sql.getSQLState().equals("57P01")
                        || sql.getSQLState().equals("57P03");
            }
            if (t instanceof java.net.ConnectException) {
                return true;
            }
        }
        return e.getMessage() != null && e.getMessage().contains("Connection is not available");
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() != null ? root.getMessage() : root.toString();
        return root == e ? message : e.getMessage() + ": " + message;
    }

    private void startRetention() {
        Duration keep = settings.retention(tier);
        if (keep == null) {
            return;
        }
        long every = settings.retentionInterval().toMillis();
        retention = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "iot-grid-history-retention-" + mapName);
            t.setDaemon(true);
            return t;
        });
        retention.scheduleWithFixedDelay(() -> applyRetention(keep), every, every, TimeUnit.MILLISECONDS);
    }

    /** Deletes the rows past retention, on the oldest member only, so one member does it while the cluster runs. */
    private void applyRetention(Duration keep) {
        try {
            Member oldest = hz.getCluster().getMembers().iterator().next();
            if (!oldest.localMember() || !available()) {
                return;
            }
            try (Connection c = connection()) {
                int deleted = table.deleteOlderThan(c, System.currentTimeMillis() - keep.toMillis());
                up();
                if (deleted > 0) {
                    logger.info("history map store of '" + mapName + "': deleted " + deleted + " rows older than "
                            + keep);
                }
            }
        } catch (SQLException | RuntimeException e) {
            failed("delete the rows older than " + keep, e);
        }
    }

    @FunctionalInterface
    private interface SqlWork {
        void run(Connection c) throws SQLException;
    }

    /** A key {@code id@blockStart} ({@link HistoryTier#key}); ids may contain {@code @}, so the last one splits. */
    private record BlockKey(String id, long start) {
        static BlockKey parse(String key) {
            int at = key.lastIndexOf('@');
            if (at <= 0) {
                throw new IllegalArgumentException("a history key is <id>@<block start>, was '" + key + "'");
            }
            return new BlockKey(key.substring(0, at), Long.parseLong(key.substring(at + 1)));
        }
    }
}
