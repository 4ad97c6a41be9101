package io.iotgrid.core;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;

/**
 * Compact serializer of {@link SensorStatus} that writes exactly the schema Hazelcast's zero-config record
 * serialization derives from the record (type name the class name, one field per component, the state as the
 * constant's name in a string field, as zero-config writes enums), so members with and without it store the same
 * entries and the {@value GridNames#SENSOR_STATUS} SQL mapping reads the state as {@code VARCHAR}. It spares the
 * reflective read per status update. {@link GridConfigs#member()} registers it.
 */
public final class SensorStatusSerializer implements CompactSerializer<SensorStatus> {

    @Override
    public SensorStatus read(CompactReader in) {
        String state = in.readString("state");
        return new SensorStatus(in.readString("sensorId"), in.readString("placeId"),
                state == null ? null : SensorState.valueOf(state), in.readInt64("lastEventAt"),
                in.readInt64("lastSeenAt"), in.readInt64("intervalMs"), in.readInt64("silentAfterMs"),
                in.readInt64("stateSince"));
    }

    @Override
    public void write(CompactWriter out, SensorStatus s) {
        out.writeString("sensorId", s.sensorId());
        out.writeString("placeId", s.placeId());
        out.writeString("state", s.state() == null ? null : s.state().name());
        out.writeInt64("lastEventAt", s.lastEventAt());
        out.writeInt64("lastSeenAt", s.lastSeenAt());
        out.writeInt64("intervalMs", s.intervalMs());
        out.writeInt64("silentAfterMs", s.silentAfterMs());
        out.writeInt64("stateSince", s.stateSince());
    }

    @Override
    public String getTypeName() {
        return SensorStatus.class.getName();
    }

    @Override
    public Class<SensorStatus> getCompactClass() {
        return SensorStatus.class;
    }
}
