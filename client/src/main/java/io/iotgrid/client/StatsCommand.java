package io.iotgrid.client;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.sql.SqlResult;
import io.iotgrid.core.GridNames;
import io.iotgrid.core.SqlMappings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;

/**
 * The latest window of one sensor or place (early or final), or with {@code --closed} its last closed window (the
 * final result, from the map beside it, {@link GridNames#closed}), one {@code column value} line each (or one JSON
 * object), read through SQL with the columns {@link SqlMappings} defines (so the output names what SQL users see).
 * Exit status 1 when the key has no window.
 */
abstract class StatsCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "The id to look up")
    String id;

    @Option(names = "--closed", description = "Show the last closed window (final result) instead of the latest, "
            + "which may be filling up")
    boolean closed;

    abstract String statsMap();

    /** The map read: the stats map, or the map of closed windows beside it. */
    String mapName() {
        return closed ? GridNames.closed(statsMap()) : statsMap();
    }

    @Override
    int run(HazelcastInstance client, PrintWriter out) {
        // The mapping is what the jobs create; creating it here too lets the client read a map written by a
        // job submitted before the mapping existed, and is a no-op otherwise.
        client.getSql().execute(SqlMappings.windowStats(mapName())).close();
        try (SqlResult result = client.getSql().execute("SELECT * FROM \"" + mapName() + "\" WHERE id = ?", id)) {
            if (printFirstRow(result, out)) {
                return 0;
            }
        }
        err().println("no window for '" + id + "' in " + mapName());
        return 1;
    }

    @Command(name = "sensor", description = "Latest window of a sensor (early or final), or its last closed one.")
    static final class Sensor extends StatsCommand {

        @Option(names = "--map", paramLabel = "NAME", description = "IMap of sensor stats; default: ${DEFAULT-VALUE}")
        String map = GridNames.SENSOR_STATS;

        @Override
        String statsMap() {
            return map;
        }
    }

    @Command(name = "place", description = "Latest window of a place (early or final), or its last closed one.")
    static final class Place extends StatsCommand {

        @Option(names = "--map", paramLabel = "NAME", description = "IMap of place stats; default: ${DEFAULT-VALUE}")
        String map = GridNames.PLACE_STATS;

        @Override
        String statsMap() {
            return map;
        }
    }
}
