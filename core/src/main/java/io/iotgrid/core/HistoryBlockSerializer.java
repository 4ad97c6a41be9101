package io.iotgrid.core;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;

/**
 * Compact serializer of {@link HistoryBlock} that writes exactly the schema Hazelcast's zero-config serialization
 * derives from the class's fields (type name the class name; {@code id} STRING, {@code blockStart} INT64,
 * {@code windowOffsets} and {@code windowLengths} ARRAY_OF_INT32, {@code counts} ARRAY_OF_INT64, {@code values}
 * ARRAY_OF_FLOAT64), so a member or client without it (zero-config, reflective) reads and writes the same blocks; it
 * spares the reflection and the copies of the arrays. {@link GridConfigs#member()} and {@link GridConfigs#client()}
 * register it.
 */
public final class HistoryBlockSerializer implements CompactSerializer<HistoryBlock> {

    @Override
    public HistoryBlock read(CompactReader in) {
        return new HistoryBlock(in.readString("id"), in.readInt64("blockStart"), in.readArrayOfInt32("windowOffsets"),
                in.readArrayOfInt32("windowLengths"), in.readArrayOfInt64("counts"),
                in.readArrayOfFloat64("values"));
    }

    @Override
    public void write(CompactWriter out, HistoryBlock block) {
        out.writeString("id", block.id());
        out.writeInt64("blockStart", block.blockStart());
        out.writeArrayOfInt32("windowOffsets", block.windowOffsets());
        out.writeArrayOfInt32("windowLengths", block.windowLengths());
        out.writeArrayOfInt64("counts", block.counts());
        out.writeArrayOfFloat64("values", block.values());
    }

    @Override
    public String getTypeName() {
        return HistoryBlock.class.getName();
    }

    @Override
    public Class<HistoryBlock> getCompactClass() {
        return HistoryBlock.class;
    }
}
