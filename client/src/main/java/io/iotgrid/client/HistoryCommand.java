package io.iotgrid.client;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicate;
import com.hazelcast.query.Predicates;
import io.iotgrid.core.GridNames;
import io.iotgrid.core.HistoryBlock;
import io.iotgrid.core.HistoryTier;
import io.iotgrid.core.Measure;
import io.iotgrid.core.SqlMappings;
import io.iotgrid.core.Statistic;
import io.iotgrid.core.WindowStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The closed windows of one sensor or place over a time range, oldest first, from the window history the
 * aggregation job keeps ({@link HistoryTier}): the {@link HistoryBlock}s of the id whose block can hold a window in
 * the range (a predicate on the sorted index of {@code blockStart}), unpacked, with the columns {@link SqlMappings}
 * gives the stats maps: an aligned table (times as local date-times, measures rounded), {@code --csv} or
 * {@code --json} (values as SQL returns them: times as epoch milliseconds, measures unrounded). The id is looked up in the history of the sensor
 * and of the place stats maps. Exit status 1 when it has no window in the range.
 */
@Command(name = "history", description = "Closed windows of a sensor or place, oldest first, e.g. "
        + "\"history p-3 --tier hour --since 7d\".")
final class HistoryCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "The sensor or place id")
    String id;

    @Option(names = "--tier", paramLabel = "TIER", converter = TierConverter.class, defaultValue = "window",
            description = "window (each of the job's windows), hour or day; default: ${DEFAULT-VALUE}")
    HistoryTier tier;

    @Option(names = "--since", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "1d",
            description = "Windows that started at most this long ago (90m, 12h, 7d); default: ${DEFAULT-VALUE}")
    Duration since;

    @Option(names = "--csv", description = "Print comma-separated values with a header line, values as --json has "
            + "them")
    boolean csv;

    @Option(names = "--stats-map", paramLabel = "NAME", split = ",",
            description = "Stats maps whose history holds the id; default: " + GridNames.SENSOR_STATS + ","
                    + GridNames.PLACE_STATS)
    List<String> statsMaps = List.of(GridNames.SENSOR_STATS, GridNames.PLACE_STATS);

    @Override
    void validate() {
        if (csv && json) {
            throw badOption("--csv and --json exclude each other");
        }
    }

    @Override
    int run(HazelcastInstance client, PrintWriter out) {
        long from = System.currentTimeMillis() - since.toMillis();
        Map<String, List<List<Object>>> found = new LinkedHashMap<>();
        List<String> header = columns();
        for (String statsMap : statsMaps) {
            String map = tier.mapName(statsMap);
            IMap<String, HistoryBlock> blocks = client.getMap(map);
            // The sorted index on blockStart serves the range; the block holding `from` may start before it.
            Predicate<String, HistoryBlock> range = Predicates.and(Predicates.equal("id", id),
                    Predicates.greaterEqual("blockStart", HistoryBlock.blockStart(tier, from)));
            List<List<Object>> rows = new ArrayList<>();
            blocks.values(range).stream().flatMap(b -> b.windows().stream())
                  .filter(w -> w.windowStart() >= from)
                  .sorted(Comparator.comparingLong(WindowStats::windowStart))
                  .forEach(w -> rows.add(row(w)));
            if (!rows.isEmpty()) {
                found.put(map, rows);
            }
        }
        if (found.isEmpty()) {
            String what = tier == HistoryTier.WINDOW ? "window" : tier.label() + " window";
            err().println("no " + what + " for '" + id + "' since " + output().time(from) + " in "
                    + String.join(" or ", statsMaps.stream().map(tier::mapName).toList()));
            return 1;
        }
        if (found.size() > 1) {
            err().println("'" + id + "' has windows in " + String.join(" and ", found.keySet())
                    + ": choose one with --stats-map");
            return 1;
        }
        List<List<Object>> rows = found.values().iterator().next();
        if (json) {
            rows.forEach(row -> out.println(Output.json(header, row)));
        } else if (csv) {
            out.println(String.join(",", header));
            rows.forEach(row -> out.println(String.join(",", row.stream().map(HistoryCommand::csv).toList())));
        } else {
            Table.print(out, output(), header, rows);
        }
        out.flush();
        return 0;
    }

    /** The values of {@link #columns()} of {@code w}, as SQL on the stats maps gives them. */
    private static List<Object> row(WindowStats w) {
        List<Object> row = new ArrayList<>(List.of(w.windowStart(), w.windowEnd(), w.count()));
        for (Measure m : Measure.values()) {
            for (Statistic s : Statistic.values()) {
                if (s != Statistic.COUNT) {
                    row.add(w.value(m, s));
                }
            }
        }
        return row;
    }

    /** The columns shown: the window, its readings, and every statistic but the counts of each measure. */
    private static List<String> columns() {
        List<String> columns = new ArrayList<>(List.of("window_start", "window_end", "readings"));
        for (Measure m : Measure.values()) {
            for (Statistic s : Statistic.values()) {
                if (s != Statistic.COUNT) {
                    columns.add(s.column(m));
                }
            }
        }
        return columns;
    }

    /** A CSV field: empty for NULL; ids are the only text and are quoted when they hold a comma or a quote. */
    private static String csv(Object value) {
        if (value == null) {
            return "";
        }
        String text = String.valueOf(value);
        return text.contains(",") || text.contains("\"") ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }

    /** {@code --tier}: a {@link HistoryTier} by its label. */
    static final class TierConverter implements ITypeConverter<HistoryTier> {

        @Override
        public HistoryTier convert(String value) {
            try {
                return HistoryTier.of(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
