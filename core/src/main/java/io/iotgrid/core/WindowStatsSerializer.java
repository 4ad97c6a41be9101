package io.iotgrid.core;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;

/**
 * Compact serializer of {@link WindowStats} that writes exactly the schema Hazelcast's zero-config record
 * serialization derives from the record (type name the class name, one field per component, same names and
 * kinds: {@code long} as INT64, {@code boolean} as BOOLEAN, {@code Double} as NULLABLE_FLOAT64), so the stats
 * maps, their SQL mappings and every client see the same entries whichever member wrote them. It spares the
 * reflective read of 21 components per window result, which with early results is per key and period.
 * {@link GridConfigs#member()} registers it.
 */
public final class WindowStatsSerializer implements CompactSerializer<WindowStats> {

    @Override
    public WindowStats read(CompactReader in) {
        return new WindowStats(in.readString("id"), in.readInt64("windowStart"), in.readInt64("windowEnd"),
                in.readBoolean("early"), in.readInt64("count"),
                in.readInt64("temperatureCount"), in.readNullableFloat64("temperatureMin"),
                in.readNullableFloat64("temperatureMax"), in.readNullableFloat64("temperatureAvg"),
                in.readInt64("humidityCount"), in.readNullableFloat64("humidityMin"),
                in.readNullableFloat64("humidityMax"), in.readNullableFloat64("humidityAvg"),
                in.readInt64("pressureCount"), in.readNullableFloat64("pressureMin"),
                in.readNullableFloat64("pressureMax"), in.readNullableFloat64("pressureAvg"),
                in.readInt64("luminosityCount"), in.readNullableFloat64("luminosityMin"),
                in.readNullableFloat64("luminosityMax"), in.readNullableFloat64("luminosityAvg"));
    }

    @Override
    public void write(CompactWriter out, WindowStats w) {
        out.writeString("id", w.id());
        out.writeInt64("windowStart", w.windowStart());
        out.writeInt64("windowEnd", w.windowEnd());
        out.writeBoolean("early", w.early());
        out.writeInt64("count", w.count());
        out.writeInt64("temperatureCount", w.temperatureCount());
        out.writeNullableFloat64("temperatureMin", w.temperatureMin());
        out.writeNullableFloat64("temperatureMax", w.temperatureMax());
        out.writeNullableFloat64("temperatureAvg", w.temperatureAvg());
        out.writeInt64("humidityCount", w.humidityCount());
        out.writeNullableFloat64("humidityMin", w.humidityMin());
        out.writeNullableFloat64("humidityMax", w.humidityMax());
        out.writeNullableFloat64("humidityAvg", w.humidityAvg());
        out.writeInt64("pressureCount", w.pressureCount());
        out.writeNullableFloat64("pressureMin", w.pressureMin());
        out.writeNullableFloat64("pressureMax", w.pressureMax());
        out.writeNullableFloat64("pressureAvg", w.pressureAvg());
        out.writeInt64("luminosityCount", w.luminosityCount());
        out.writeNullableFloat64("luminosityMin", w.luminosityMin());
        out.writeNullableFloat64("luminosityMax", w.luminosityMax());
        out.writeNullableFloat64("luminosityAvg", w.luminosityAvg());
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
