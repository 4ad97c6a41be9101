package io.iotgrid.client;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.sql.SqlResult;
import com.hazelcast.sql.SqlRow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one SQL statement and prints its rows as an aligned table (times as local date-times, measures rounded,
 * see {@link Output}) or, with {@code --json}, as JSON lines, or its update count. The jobs create the
 * mappings of their maps ({@code sensor_stats}, {@code place_stats}, {@code dead_letters}). Rows are printed
 * when the result ends, so the statement must be a bounded query.
 */
@Command(name = "sql",
        description = "Run one SQL statement, e.g. \"SELECT * FROM place_stats WHERE avg_temperature > 25\".")
final class SqlCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "STATEMENT", description = "The SQL statement (quote it)")
    String statement;

    @Override
    int run(HazelcastInstance client, PrintWriter out) {
        try (SqlResult result = client.getSql().execute(statement)) {
            if (!result.isRowSet()) {
                out.println(json ? Output.json(Map.of("rows_affected", result.updateCount()))
                        : result.updateCount() + " rows affected");
                out.flush();
                return 0;
            }
            List<String> header = Table.columns(result.getRowMetadata());
            List<List<Object>> rows = new ArrayList<>();
            for (SqlRow row : result) {
                if (json) {
                    // Scripts get each row as it comes, not when the result ends.
                    out.println(Output.json(header, Table.values(row)));
                    out.flush();
                } else {
                    rows.add(Table.values(row));
                }
            }
            if (!json) {
                Table.print(out, output(), header, rows);
                out.println("(" + rows.size() + (rows.size() == 1 ? " row)" : " rows)"));
                out.flush();
            }
            return 0;
        }
    }
}
