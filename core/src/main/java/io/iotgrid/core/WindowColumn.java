package io.iotgrid.core;

import java.util.ArrayList;
import java.util.List;

/**
 * One SQL column of a table of {@link WindowStats}: the stats maps' mappings ({@link SqlMappings#windowStats}) and
 * the history tables' connector ({@code io.iotgrid.core.sql.HistorySqlConnector}) both derive their columns from
 * {@link #all()}, so the two kinds of table keep the same names and types.
 *
 * @param name      the column name, snake_case, e.g. {@code avg_temperature}
 * @param sqlType   {@code VARCHAR}, {@code BIGINT}, {@code BOOLEAN} or {@code DOUBLE}
 * @param component the {@link WindowStats} component (and Compact field) it shows, e.g. {@code temperatureAvg}
 * @param measure   the measure of a statistic column, null for the header columns
 * @param statistic the statistic of a statistic column, null for the header columns
 */
public record WindowColumn(String name, String sqlType, String component, Measure measure, Statistic statistic) {

    private static final List<WindowColumn> ALL = columns();

    /**
     * {@code id, window_start, window_end} (epoch ms, end exclusive), {@code early, readings}, then
     * {@code <statistic>_<measure>} for each {@link Measure} and each {@link Statistic}, measure by measure.
     */
    public static List<WindowColumn> all() {
        return ALL;
    }

    /** The value of this column in {@code w}: a String, Long, Boolean or (nullable) Double as {@link #sqlType()}. */
    public Object value(WindowStats w) {
        if (measure != null) {
            return w.value(measure, statistic);
        }
        return switch (component) {
            case "id" -> w.id();
            case "windowStart" -> w.windowStart();
            case "windowEnd" -> w.windowEnd();
            case "early" -> w.early();
            case "count" -> w.count();
            default -> throw new IllegalStateException("no header component " + component);
        };
    }

    private static List<WindowColumn> columns() {
        List<WindowColumn> columns = new ArrayList<>(List.of(
                header("id", "VARCHAR", "id"),
                header("window_start", "BIGINT", "windowStart"),
                header("window_end", "BIGINT", "windowEnd"),
                header("early", "BOOLEAN", "early"),
                // `count` is a reserved word in SQL.
                header("readings", "BIGINT", "count")));
        for (Measure m : Measure.values()) {
            for (Statistic s : Statistic.values()) {
                columns.add(new WindowColumn(s.column(m), s.type() == long.class ? "BIGINT" : "DOUBLE",
                        s.component(m), m, s));
            }
        }
        return List.copyOf(columns);
    }

    private static WindowColumn header(String name, String sqlType, String component) {
        return new WindowColumn(name, sqlType, component, null, null);
    }
}
