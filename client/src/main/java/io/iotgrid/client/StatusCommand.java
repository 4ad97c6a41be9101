package io.iotgrid.client;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.sql.SqlResult;
import com.hazelcast.sql.SqlRow;
import io.iotgrid.core.GridNames;
import io.iotgrid.core.SqlMappings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Sensor liveness, read through SQL with the columns {@link SqlMappings#sensorStatus} defines: without an id, how
 * many sensors of each place are online, silent and offline, then every sensor that is not online; with an id, that
 * sensor's status, one {@code column value} line each (exit status 1 when the job has never seen it).
 */
@Command(name = "status", description = "Sensor liveness: per place, and the sensors gone silent or offline; "
        + "or one sensor's status.")
final class StatusCommand extends ClientCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "SENSOR", description = "A sensor id; default: all sensors")
    String sensorId;

    @Option(names = "--map", paramLabel = "NAME", description = "IMap of sensor status; default: ${DEFAULT-VALUE}")
    String map = GridNames.SENSOR_STATUS;

    @Override
    int run(HazelcastInstance client, PrintWriter out) {
        // As for the stats commands: a no-op when the job created the mapping, needed when it ran before one existed.
        client.getSql().execute(SqlMappings.sensorStatus(map)).close();
        if (sensorId != null) {
            return sensor(client, out);
        }
        String table = '"' + map + '"';
        print(client, out, "SELECT place_id, "
                + "SUM(CASE WHEN state = 'ONLINE' THEN 1 ELSE 0 END) AS online, "
                + "SUM(CASE WHEN state = 'SILENT' THEN 1 ELSE 0 END) AS silent, "
                + "SUM(CASE WHEN state = 'OFFLINE' THEN 1 ELSE 0 END) AS offline "
                + "FROM " + table + " GROUP BY place_id ORDER BY place_id");
        if (!json) {
            out.println();
        }
        print(client, out, "SELECT sensor_id, place_id, state, state_since, last_seen_at FROM " + table
                + " WHERE state <> 'ONLINE' ORDER BY place_id, sensor_id");
        return 0;
    }

    private int sensor(HazelcastInstance client, PrintWriter out) {
        try (SqlResult result = client.getSql().execute("SELECT * FROM \"" + map + "\" WHERE sensor_id = ?",
                sensorId)) {
            if (printFirstRow(result, out)) {
                return 0;
            }
        }
        err().println("no status for '" + sensorId + "' in " + map + " (the job has never seen it)");
        return 1;
    }

    /** The rows of {@code query} as a table, or one JSON object each. */
    private void print(HazelcastInstance client, PrintWriter out, String query) {
        try (SqlResult result = client.getSql().execute(query)) {
            List<String> columns = Table.columns(result.getRowMetadata());
            List<List<Object>> rows = new ArrayList<>();
            for (SqlRow row : result) {
                rows.add(Table.values(row));
            }
            if (json) {
                rows.forEach(r -> out.println(Output.json(columns, r)));
                out.flush();
            } else {
                Table.print(out, output(), columns, rows);
            }
        }
    }
}
