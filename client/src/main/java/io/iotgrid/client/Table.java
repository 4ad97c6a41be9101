package io.iotgrid.client;

import com.hazelcast.sql.SqlColumnMetadata;
import com.hazelcast.sql.SqlRow;
import com.hazelcast.sql.SqlRowMetadata;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Rows of SQL results: one record as {@code column value} lines, rows as an aligned table, or JSON lines. */
final class Table {

    private Table() {
    }

    static List<String> columns(SqlRowMetadata metadata) {
        return metadata.getColumns().stream().map(SqlColumnMetadata::getName).toList();
    }

    static List<Object> values(SqlRow row) {
        int n = row.getMetadata().getColumnCount();
        List<Object> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            values.add(row.getObject(i));
        }
        return values;
    }

    /** One row as {@code column value} lines, the values aligned. */
    static void printRecord(PrintWriter out, Output output, List<String> columns, List<Object> values) {
        int width = columns.stream().mapToInt(String::length).max().orElse(0);
        for (int i = 0; i < columns.size(); i++) {
            out.printf("%-" + width + "s  %s%n", columns.get(i), output.text(columns.get(i), values.get(i)));
        }
        out.flush();
    }

    /** The header and rows aligned on the widest value of each column. */
    static void print(PrintWriter out, Output output, List<String> header, List<List<Object>> rows) {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        for (List<Object> row : rows) {
            List<String> texts = new ArrayList<>(header.size());
            for (int i = 0; i < header.size(); i++) {
                texts.add(output.text(header.get(i), row.get(i)));
            }
            all.add(texts);
        }
        int[] widths = new int[header.size()];
        for (List<String> row : all) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                line.append(i == widths.length - 1 ? row.get(i) : String.format("%-" + widths[i] + "s  ", row.get(i)));
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }
}
