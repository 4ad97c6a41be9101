package io.iotgrid.core;

import com.hazelcast.nio.serialization.FieldKind;
import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;

/**
 * Compact serializer of {@link WindowStats} that writes exactly the schema Hazelcast's zero-config record
 * serialization derives from the record (type name the class name, one field per component, same names and
 * kinds: {@code long} as INT64, {@code boolean} as BOOLEAN, {@code Double} as NULLABLE_FLOAT64, {@code Integer} as
 * NULLABLE_INT32), so the stats
 * maps, their SQL mappings and every client see the same entries whichever member wrote them. It spares the
 * reflective read of every component per window result, which with early results is per key and period; the
 * fields of the measure × statistic matrix follow {@link Measure} and {@link Statistic}.
 * {@link GridConfigs#member()} registers it.
 */
public final class WindowStatsSerializer implements CompactSerializer<WindowStats> {

    private static final Measure[] MEASURES = Measure.values();
    private static final Statistic[] STATISTICS = Statistic.values();
    private static final String SILENT_SENSORS = "silentSensors";

    @Override
    public WindowStats read(CompactReader in) {
        MeasureStats[] byMeasure = new MeasureStats[MEASURES.length];
        for (Measure m : MEASURES) {
            Object[] values = new Object[STATISTICS.length];
            for (Statistic s : STATISTICS) {
                values[s.ordinal()] = s.type() == long.class ? (Object) in.readInt64(s.component(m))
                        : in.readNullableFloat64(s.component(m));
            }
            byMeasure[m.ordinal()] = MeasureStats.wrap(values);
        }
        // Entries written before the field existed have none: they count no silent sensors.
        Integer silentSensors = in.getFieldKind(SILENT_SENSORS) == FieldKind.NOT_AVAILABLE ? null
                : in.readNullableInt32(SILENT_SENSORS);
        return WindowStats.of(in.readString("id"), in.readInt64("windowStart"), in.readInt64("windowEnd"),
                in.readBoolean("early"), in.readInt64("count"), byMeasure, silentSensors);
    }

    @Override
    public void write(CompactWriter out, WindowStats w) {
        out.writeString("id", w.id());
        out.writeInt64("windowStart", w.windowStart());
        out.writeInt64("windowEnd", w.windowEnd());
        out.writeBoolean("early", w.early());
        out.writeInt64("count", w.count());
        for (Measure m : MEASURES) {
            for (Statistic s : STATISTICS) {
                Object value = w.value(m, s);
                if (s.type() == long.class) {
                    out.writeInt64(s.component(m), (Long) value);
                } else {
                    out.writeNullableFloat64(s.component(m), (Double) value);
                }
            }
        }
        out.writeNullableInt32(SILENT_SENSORS, w.silentSensors());
    }

    @Override
    public String getTypeName() {
        return WindowStats.class.getName();
    }

    @Override
    public Class<WindowStats> getCompactClass() {
        return WindowStats.class;
    }
}
