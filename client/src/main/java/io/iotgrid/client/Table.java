package io.iotgrid.client;

import com.hazelcast.sql.SqlColumnMetadata;
import com.hazelcast.sql.SqlRow;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Plain-text output: one record as {@code column value} lines, or rows as an aligned table. */
final class Table {

    private Table() {
    }

    static void printRecord(PrintWriter out, SqlRow row) {
        List<SqlColumnMetadata> columns = row.getMetadata().getColumns();
        int width = columns.stream().mapToInt(c -> c.getName().length()).max().orElse(0);
        for (int i = 0; i < columns.size(); i++) {
            out.printf("%-" + width + "s  %s%n", columns.get(i).getName(), text(row.getObject(i)));
        }
        out.flush();
    }

    /** Prints the header and rows aligned on the widest value of each column. */
    static void print(PrintWriter out, List<String> header, List<List<String>> rows) {
        int[] widths = header.stream().mapToInt(String::length).toArray();
        for (List<String> row : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                line.append(i == widths.length - 1 ? row.get(i) : String.format("%-" + widths[i] + "s  ", row.get(i)));
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }

    static String text(Object value) {
        return value == null ? "NULL" : String.valueOf(value);
    }
}
