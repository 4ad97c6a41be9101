package io.iotgrid.bench;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.GridNames;
import io.iotgrid.core.HistoryBlock;
import io.iotgrid.core.HistoryTier;
import io.iotgrid.core.Measure;
import io.iotgrid.core.MeasureStats;
import io.iotgrid.core.WindowStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Heap per retained sensor-minute of window history: what a member holds for each closed window kept in
 * {@code sensor_stats_history}, stored as the aggregation job stores it (a {@link HistoryBlock} per sensor and UTC
 * hour holding its minutes, keyed by {@link HistoryTier#key} of the id and the block start, with a time to live; no
 * index, as the job leaves the map).
 * <p>
 * How to run (from the repository root):
 * <pre>
 * mvn -q -B -DskipTests -pl bench -am package
 * java -Xmx4g -cp "bench/target/iot-grid-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath)" \
 *      io.iotgrid.bench.HistoryMemoryBenchmark --sensors 10000 --hours 6 --runs 3
 * </pre>
 * Expected output, one line per run, then the spread (figures depend on the JVM; these from {@code --runs 1}):
 * <pre>
 * sensors=10000 minutes=360 windows=3600000 blocks=60000 heap=657.0 MB perSensorMinute=182 B (owned entry cost 179 B, tables 3 B)
 * bytes per retained sensor-minute: 182 (182–182) over 1 runs
 * </pre>
 * <b>What is measured.</b> One member in this JVM, no backups (the figure is what the owner holds; a backup
 * costs as much again on another member). Heap used after full GCs ({@code System.gc()} until used stops falling)
 * before and after writing every sensor's minutes of the given hours, a block per sensor and hour written whole
 * (the job fills it a minute at a time, to the same bytes), every measure carried (four statistics and a count
 * each, as a sensor reporting all four measures gives), divided by the sensor-minutes. Of it, Hazelcast's
 * {@code getOwnedEntryMemoryCost()} is the entries' own cost (record, key and value bytes); the rest is the map's
 * tables.
 */
public final class HistoryMemoryBenchmark {

    private static final long MINUTE = 60_000;
    private static final long HOUR = 3_600_000;
    private static final int BATCH = 1_000;

    private HistoryMemoryBenchmark() {
    }

    /**
     * What one run measured.
     *
     * @param sensors    sensors written
     * @param minutes    minutes of history per sensor
     * @param windows    sensor-minutes written
     * @param entries    entries (blocks) in the map at the end
     * @param heapBefore heap used before writing, bytes
     * @param heapAfter  heap used after writing, bytes
     * @param entryCost  the map's owned entry memory cost, bytes
     */
    public record Result(int sensors, int minutes, long windows, long entries, long heapBefore, long heapAfter,
                         long entryCost) {

        /** Heap per retained sensor-minute, bytes. */
        public double perWindow() {
            return (double) (heapAfter - heapBefore) / windows;
        }

        /** Hazelcast's own entry cost (records, keys, blocks) per sensor-minute, bytes. */
        public double entryCostPerWindow() {
            return (double) entryCost / windows;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "sensors=%d minutes=%d windows=%d blocks=%d heap=%.1f MB "
                            + "perSensorMinute=%.0f B (owned entry cost %.0f B, tables %.0f B)", sensors,
                    minutes, windows, entries, (heapAfter - heapBefore) / 1e6, perWindow(), entryCostPerWindow(),
                    perWindow() - entryCostPerWindow());
        }
    }

    /** The command line of {@link #main}. */
    @Command(name = "HistoryMemoryBenchmark", sortOptions = false,
            description = "Heap per retained sensor-minute of the window history.")
    static final class Options {

        @Option(names = "--sensors", paramLabel = "N", description = "sensors (default ${DEFAULT-VALUE})")
        int sensors = 10_000;

        @Option(names = "--hours", paramLabel = "N", description = "hours of minutes per sensor (default "
                + "${DEFAULT-VALUE})")
        int hours = 6;

        @Option(names = "--runs", paramLabel = "N", description = "runs (default ${DEFAULT-VALUE})")
        int runs = 3;

        @Mixin
        Bench.Help help;
    }

    public static void main(String[] args) throws Exception {
        Options options = Bench.options(new Options(), args);
        List<Result> results = new ArrayList<>();
        for (int r = 0; r < options.runs; r++) {
            Result result = run(options.sensors, options.hours * 60);
            System.out.println(result);
            results.add(result);
        }
        System.out.println(Spread.of("bytes per retained sensor-minute",
                results.stream().mapToDouble(Result::perWindow).toArray()));
        System.exit(0);
    }

    /** One run: a member, then {@code minutes} closed minutes of each of {@code sensors} sensors in its history. */
    public static Result run(int sensors, int minutes) {
        if (sensors <= 0 || minutes <= 0) {
            throw new IllegalArgumentException("sensors and minutes must be positive, were " + sensors + " and "
                    + minutes);
        }
        String mapName = HistoryTier.WINDOW.mapName(GridNames.SENSOR_STATS);
        // Port 0 is not an option for a member; the member moves on from a taken port by itself.
        Config config = GridConfigs.loopbackMember("history-memory-" + UUID.randomUUID(), 6745);
        config.setProperty("hazelcast.logging.type", "log4j2");
        config.getMapConfig(mapName).setBackupCount(0);
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
        try {
            IMap<String, HistoryBlock> history = member.getMap(mapName);
            long before = MemoryBenchmark.settledHeapUsed();
            // Whole hours, as a live job leaves them: each block holds the 60 minutes of a UTC hour.
            long start = Math.floorDiv(System.currentTimeMillis() - minutes * MINUTE, HOUR) * HOUR;
            long ttl = Duration.ofDays(1).toMillis();
            List<CompletableFuture<Void>> inFlight = new ArrayList<>();
            for (int s = 0; s < sensors; s++) {
                String id = BenchReadings.sensorId(s);
                for (int m0 = 0; m0 < minutes; m0 += 60) {
                    long blockStart = HistoryBlock.blockStart(HistoryTier.WINDOW, start + m0 * MINUTE);
                    List<WindowStats> windows = new ArrayList<>();
                    for (int m = m0; m < Math.min(minutes, m0 + 60); m++) {
                        windows.add(window(id, start + m * MINUTE, s, m));
                    }
                    inFlight.add(history.setAsync(HistoryTier.key(id, blockStart),
                            HistoryBlock.of(id, blockStart, windows), ttl, TimeUnit.MILLISECONDS)
                                        .toCompletableFuture());
                    if (inFlight.size() == BATCH) {
                        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
                        inFlight.clear();
                    }
                }
            }
            CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
            long after = MemoryBenchmark.settledHeapUsed();
            return new Result(sensors, minutes, (long) sensors * minutes, history.size(), before, after,
                    history.getLocalMapStats().getOwnedEntryMemoryCost());
        } finally {
            member.shutdown();
        }
    }

    /** A closed minute of a sensor that reported every measure twice, with distinct values. */
    static WindowStats window(String id, long windowStart, int sensor, int minute) {
        MeasureStats[] byMeasure = new MeasureStats[Measure.count()];
        for (Measure m : Measure.values()) {
            double a = value(m, sensor, minute);
            double b = value(m, sensor, minute + 1);
            byMeasure[m.ordinal()] = MeasureStats.of(2L, Math.min(a, b), Math.max(a, b), (a + b) / 2,
                    Math.abs(a - b) / 2);
        }
        return WindowStats.of(id, windowStart, windowStart + MINUTE, false, 2, byMeasure);
    }

    private static double value(Measure measure, int sensor, long n) {
        return switch (measure) {
            case TEMPERATURE -> BenchReadings.temperature(sensor, n);
            case HUMIDITY -> BenchReadings.humidity(sensor, n);
            case PRESSURE -> BenchReadings.pressure(sensor, n);
            case LUMINOSITY -> BenchReadings.luminosity(sensor, n);
        };
    }
}
