package io.iotgrid.client;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.iotgrid.core.Durations;
import io.iotgrid.core.GridNames;
import io.iotgrid.core.SqlMappings;
import io.iotgrid.core.LateReading;
import io.iotgrid.core.Measure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lists the readings the aggregation job found too late for their window, newest found first: the reading, the
 * window it missed and how far behind the watermark it was, so a gateway's backlog that missed its windows is seen,
 * not lost.
 */
@Command(name = "late", description = "List the newest late readings: sensor, time, values, window missed, lateness.")
final class LateCommand extends ClientCommand {

    @Option(names = "--map", paramLabel = "NAME", description = "IMap of late readings; default: ${DEFAULT-VALUE}")
    String map = GridNames.LATE_READINGS;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", description = "How many to list; default: ${DEFAULT-VALUE}")
    int limit = 20;

    @Override
    void validate() {
        if (limit < 1) {
            throw badOption("--limit must be 1 or more, was " + limit);
        }
    }

    @Override
    int run(HazelcastInstance client, PrintWriter out) {
        IMap<String, LateReading> late = client.getMap(map);
        List<LateReading> newest = ClientCommand.<LateReading>newest(client, map, SqlMappings.lateReadings(map), limit)
                .stream().map(Map.Entry::getValue).toList();
        if (json) {
            for (LateReading r : newest) {
                out.println(Output.json(fields(r)));
            }
        } else {
            out.println(listingHeading(late.size(), newest.size(), "late reading", "late readings", map));
            Output output = output();
            for (LateReading r : newest) {
                out.println(format(r, output));
            }
        }
        out.flush();
        return 0;
    }

    /**
     * One line: the reading as {@code readings} prints it, the window it missed, and how far behind the watermark it
     * was.
     */
    static String format(LateReading r, Output output) {
        return ReadingsCommand.format(r.reading(), output) + "  missed [" + output.time(r.windowStart()) + ", "
                + output.time(r.windowEnd()) + ")  " + Durations.format(Duration.ofMillis(r.lateBy()))
                + " behind the watermark";
    }

    /** The JSON fields of a late reading: the columns of its SQL mapping, measures absent as null. */
    static Map<String, Object> fields(LateReading r) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("__key", r.key());
        f.put("sensor_id", r.sensorId());
        f.put("place_id", r.placeId());
        f.put("reading_time", r.timestamp());
        for (Measure m : Measure.values()) {
            double v = r.reading().value(m);
            f.put(m.key(), Double.isNaN(v) ? null : v);
        }
        f.put("window_start", r.windowStart());
        f.put("window_end", r.windowEnd());
        f.put("watermark", r.watermark());
        f.put("late_by_ms", r.lateBy());
        f.put("received_at", r.receivedAt());
        return f;
    }
}
