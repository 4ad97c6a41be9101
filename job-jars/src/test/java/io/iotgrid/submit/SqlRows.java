package io.iotgrid.submit;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.sql.SqlResult;
import com.hazelcast.sql.SqlRow;

import java.util.ArrayList;
import java.util.List;

/** The rows of a bounded SQL query, each as its column values in order. */
final class SqlRows {

    private SqlRows() {
    }

    static List<List<Object>> query(HazelcastInstance hz, String sql) {
        List<List<Object>> rows = new ArrayList<>();
        try (SqlResult result = hz.getSql().execute(sql)) {
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
