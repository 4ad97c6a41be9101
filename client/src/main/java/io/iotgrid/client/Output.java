package io.iotgrid.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.iotgrid.core.Measure;
import io.iotgrid.core.Statistic;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the commands show values: text for people (times as ISO local date-times, measures rounded to their
 * {@link Measure#decimals()}), or one JSON object per line for scripts, with the values as SQL returns them (times
 * as epoch milliseconds, measures unrounded) under the same names as the SQL columns.
 */
final class Output {

    /** Columns of {@link io.iotgrid.core.SqlMappings} and fields of the commands that hold epoch milliseconds. */
    private static final Set<String> TIME_COLUMNS = Set.of("window_start", "window_end", "received_at", "timestamp",
            "reading_time", "watermark", "last_event_at", "last_seen_at", "state_since");

    /** The statistics whose values are in their measure's unit (not counts), by column name. */
    private static final Map<String, Measure> MEASURE_COLUMNS = new HashMap<>();

    static {
        for (Measure m : Measure.values()) {
            for (Statistic s : Statistic.values()) {
                if (s.type() == Double.class) {
                    MEASURE_COLUMNS.put(s.column(m), m);
                }
            }
        }
    }

    private static final JsonFactory JSON = new JsonFactory();

    private final ZoneId zone;

    Output(ZoneId zone) {
        this.zone = zone;
    }

    /** {@code epochMillis} as a local date-time in the output's zone, e.g. {@code 2026-12-04T19:45:26.125}. */
    String time(long epochMillis) {
        return LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), zone).truncatedTo(ChronoUnit.MILLIS)
                            .format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
    }

    /** The text of a value of {@code column}: times and measures formatted, {@code NULL} for null. */
    String text(String column, Object value) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof Long millis && TIME_COLUMNS.contains(column)) {
            return time(millis);
        }
        Measure measure = MEASURE_COLUMNS.get(column);
        if (measure != null && value instanceof Double d) {
            return measure.format(d);
        }
        return String.valueOf(value);
    }

    /** A row as {@link #json(Map)} of its columns and values, in their order. */
    static String json(List<String> columns, List<?> values) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            fields.put(columns.get(i), values.get(i));
        }
        return json(fields);
    }

    /** One JSON object on one line: the fields in their order; numbers, booleans and null as such, else text. */
    static String json(Map<String, ?> fields) {
        StringWriter s = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(s)) {
            g.writeStartObject();
            for (Map.Entry<String, ?> f : fields.entrySet()) {
                g.writeFieldName(f.getKey());
                Object v = f.getValue();
                if (v == null) {
                    g.writeNull();
                } else if (v instanceof Boolean b) {
                    g.writeBoolean(b);
                } else if (v instanceof Double d && !Double.isFinite(d)) {
                    // JSON has no NaN or infinity.
                    g.writeNull();
                } else if (v instanceof Double || v instanceof Float) {
                    g.writeNumber(((Number) v).doubleValue());
                } else if (v instanceof BigDecimal d) {
                    g.writeNumber(d);
                } else if (v instanceof BigInteger i) {
                    g.writeNumber(i);
                } else if (v instanceof Number n) {
                    g.writeNumber(n.longValue());
                } else {
                    g.writeString(String.valueOf(v));
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return s.toString();
    }
}
