package io.iotgrid.client;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.sql.SqlColumnMetadata;
import com.hazelcast.sql.SqlResult;
import com.hazelcast.sql.SqlRow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one SQL statement and prints its rows as an aligned table, or its update count. The jobs create the
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
                out.println(result.updateCount() + " rows affected");
                out.flush();
                return 0;
            }
            List<String> header = result.getRowMetadata().getColumns().stream()
                                        .map(SqlColumnMetadata::getName).toList();
            List<List<String>> rows = new ArrayList<>();
            for (SqlRow row : result) {
                List<String> values = new ArrayList<>(header.size());
                for (int i = 0; i < header.size(); i++) {
                    values.add(Table.text(row.getObject(i)));
                }
                rows.add(values);
            }
            Table.print(out, header, rows);
            out.println("(" + rows.size() + (rows.size() == 1 ? " row)" : " rows)"));
            out.flush();
            return 0;
        }
    }
}
