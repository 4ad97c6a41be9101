package io.iotgrid.jobs.impl;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.StreamSerializer;
import io.iotgrid.jobs.JobSerializers;
import io.iotgrid.jobs.StatsAccumulator;

import java.io.IOException;

/**
 * Part of a window of {@code key}: what one processor of {@link SensorStageP} added to it since the last part it
 * sent. {@link ChangedWindowsP} combines the parts of a key's window from every processor, so the shuffle by place
 * carries a part per place, window and processor each early-results period instead of every reading.
 *
 * @param key         the window's key, a place id
 * @param windowStart the window's start, ms
 * @param acc         what the part adds; handed over: the sender keeps no reference to it
 */
public record WindowPartial(String key, long windowStart, StatsAccumulator acc) {

    /** The job-level serializer (see {@link JobSerializers}): version byte, key, start, accumulator. */
    public static final class Serializer implements StreamSerializer<WindowPartial> {

        @Override
        public int getTypeId() {
            return JobSerializers.FIRST_TYPE_ID + 23;
        }

        @Override
        public void write(ObjectDataOutput out, WindowPartial partial) throws IOException {
            out.writeByte(RecordSerializers.VERSION);
            out.writeString(partial.key);
            out.writeLong(partial.windowStart);
            out.writeObject(partial.acc);
        }

        @Override
        public WindowPartial read(ObjectDataInput in) throws IOException {
            RecordSerializers.readVersion(in, "WindowPartial");
            return new WindowPartial(in.readString(), in.readLong(), in.readObject());
        }
    }
}
