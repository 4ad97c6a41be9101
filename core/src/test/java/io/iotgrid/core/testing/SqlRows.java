package io.iotgrid.core.testing;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.sql.SqlResult;
import com.hazelcast.sql.SqlRow;

import java.util.ArrayList;
import java.util.List;

/** The rows of a bounded SQL query, each as its column values in order. */
public final class SqlRows {

    private SqlRows() {
    }

    /** The rows of {@code sql} with the parameters {@code args}, read to the end. */
    public static List<List<Object>> query(HazelcastInstance hz, String sql, Object... args) {
        List<List<Object>> rows = new ArrayList<>();
        try (SqlResult result = hz.getSql().execute(sql, args)) {
            for (SqlRow row : result) {
                List<Object> values = new ArrayList<>();
                for (int i = 0; i < row.getMetadata().getColumnCount(); i++) {
                    values.add(row.getObject(i));
                }
                rows.add(values);
            }
        }
        return rows;
    }
}
