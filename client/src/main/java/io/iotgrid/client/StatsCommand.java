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
 * The latest window of one sensor or place, one {@code column value} line each (or one JSON object), read through
 * SQL with the columns {@link SqlMappings} defines (so the output names what SQL users see). Exit status 1 when the key has
 * no window.
 */
abstract class StatsCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "The id to look up")
    String id;

    abstract String mapName();

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

    @Command(name = "sensor", description = "Latest window of a sensor (early or final).")
    static final class Sensor extends StatsCommand {

        @Option(names = "--map", paramLabel = "NAME", description = "IMap of sensor stats; default: ${DEFAULT-VALUE}")
        String map = GridNames.SENSOR_STATS;

        @Override
        String mapName() {
            return map;
        }
    }

    @Command(name = "place", description = "Latest window of a place (early or final).")
    static final class Place extends StatsCommand {

        @Option(names = "--map", paramLabel = "NAME", description = "IMap of place stats; default: ${DEFAULT-VALUE}")
        String map = GridNames.PLACE_STATS;

        @Override
        String mapName() {
            return map;
        }
    }
}
