package io.iotgrid.core;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;

/**
 * Compact serializer of {@link SensorReading} that writes exactly the schema Hazelcast's zero-config record
 * serialization derives from the record (type name the class name, one field per component, same names and
 * kinds), so readings written by a member that has it and by one that has not are the same to every reader,
 * SQL and clients included. It exists for speed: the zero-config serializer reads each component by reflection,
 * which the profile of the aggregation job showed as its costliest step per reading (the readings Ringbuffer
 * stores every reading). {@link GridConfigs#member()} registers it.
 */
public final class SensorReadingSerializer implements CompactSerializer<SensorReading> {

    @Override
    public SensorReading read(CompactReader in) {
        return new SensorReading(in.readString("sensorId"), in.readString("placeId"), in.readInt64("timestamp"),
                in.readFloat64("temperature"), in.readFloat64("humidity"), in.readFloat64("pressure"),
                in.readFloat64("luminosity"));
    }

    @Override
    public void write(CompactWriter out, SensorReading r) {
        out.writeString("sensorId", r.sensorId());
        out.writeString("placeId", r.placeId());
        out.writeInt64("timestamp", r.timestamp());
        out.writeFloat64("temperature", r.temperature());
        out.writeFloat64("humidity", r.humidity());
        out.writeFloat64("pressure", r.pressure());
        out.writeFloat64("luminosity", r.luminosity());
    }

    @Override
    public String getTypeName() {
        return SensorReading.class.getName();
    }

    @Override
    public Class<SensorReading> getCompactClass() {
        return SensorReading.class;
    }
}
