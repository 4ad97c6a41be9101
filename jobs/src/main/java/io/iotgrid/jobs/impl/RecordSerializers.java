package io.iotgrid.jobs.impl;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.StreamSerializer;
import io.iotgrid.core.DeadLetter;
import io.iotgrid.core.RawReading;
import io.iotgrid.core.SensorReading;
import io.iotgrid.core.ThresholdAlert;
import io.iotgrid.core.WindowStats;
import io.iotgrid.jobs.JobSerializers;
import io.iotgrid.kcql.TopicRecord;

import java.io.IOException;

/**
 * The job-level serializers of the records of core and kcql that travel between the iot-grid jobs' vertices (see
 * {@link JobSerializers}). Each form starts with a version byte; version 1 is the fields in declaration order.
 */
public final class RecordSerializers {

    /** The format every serializer here writes. */
    public static final byte VERSION = 1;

    private RecordSerializers() {
    }

    /** Reads the version byte, failing on one this code does not know (a snapshot of a newer iot-grid). */
    public static void readVersion(ObjectDataInput in, String type) throws IOException {
        byte version = in.readByte();
        if (version != VERSION) {
            throw new IOException("cannot read " + type + " serialized in format version " + version
                    + ", this iot-grid reads version " + VERSION);
        }
    }

    /** Writes a nullable Double as a presence flag and the value. */
    public static void writeNullable(ObjectDataOutput out, Double value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeDouble(value);
        }
    }

    /** Reads what {@link #writeNullable} wrote. */
    public static Double readNullable(ObjectDataInput in) throws IOException {
        return in.readBoolean() ? in.readDouble() : null;
    }

    /** {@link SensorReading}. */
    public static final class SensorReadingSerializer implements StreamSerializer<SensorReading> {

        @Override
        public int getTypeId() {
            return JobSerializers.FIRST_TYPE_ID;
        }

        @Override
        public void write(ObjectDataOutput out, SensorReading r) throws IOException {
            out.writeByte(VERSION);
            out.writeString(r.sensorId());
            out.writeString(r.placeId());
            out.writeLong(r.timestamp());
            out.writeDouble(r.temperature());
            out.writeDouble(r.humidity());
            out.writeDouble(r.pressure());
            out.writeDouble(r.luminosity());
        }

        @Override
        public SensorReading read(ObjectDataInput in) throws IOException {
            readVersion(in, "SensorReading");
            return new SensorReading(in.readString(), in.readString(), in.readLong(), in.readDouble(),
                    in.readDouble(), in.readDouble(), in.readDouble());
        }
    }

    /** {@link RawReading}. */
    public static final class RawReadingSerializer implements StreamSerializer<RawReading> {

        @Override
        public int getTypeId() {
            return JobSerializers.FIRST_TYPE_ID + 1;
        }

        @Override
        public void write(ObjectDataOutput out, RawReading r) throws IOException {
            out.writeByte(VERSION);
            out.writeString(r.source());
            out.writeLong(r.receivedAt());
            out.writeByteArray(r.payload());
            out.writeInt(r.contentFormat());
        }

        @Override
        public RawReading read(ObjectDataInput in) throws IOException {
            readVersion(in, "RawReading");
            return new RawReading(in.readString(), in.readLong(), in.readByteArray(), in.readInt());
        }
    }

    /** {@link DeadLetter}. */
    public static final class DeadLetterSerializer implements StreamSerializer<DeadLetter> {

        @Override
        public int getTypeId() {
            return JobSerializers.FIRST_TYPE_ID + 2;
        }

        @Override
        public void write(ObjectDataOutput out, DeadLetter d) throws IOException {
            out.writeByte(VERSION);
            out.writeString(d.source());
            out.writeLong(d.receivedAt());
            out.writeString(d.reason());
            out.writeByteArray(d.payload());
            out.writeString(d.topic());
            out.writeInt(d.partition());
            out.writeLong(d.offset());
            out.writeByteArray(d.key());
        }

        @Override
        public DeadLetter read(ObjectDataInput in) throws IOException {
            readVersion(in, "DeadLetter");
            return new DeadLetter(in.readString(), in.readLong(), in.readString(), in.readByteArray(),
                    in.readString(), in.readInt(), in.readLong(), in.readByteArray());
        }
    }

    /** {@link WindowStats}. */
    public static final class WindowStatsSerializer implements StreamSerializer<WindowStats> {

        @Override
        public int getTypeId() {
            return JobSerializers.FIRST_TYPE_ID + 3;
        }

        @Override
        public void write(ObjectDataOutput out, WindowStats s) throws IOException {
            out.writeByte(VERSION);
            out.writeString(s.id());
            out.writeLong(s.windowStart());
            out.writeLong(s.windowEnd());
            out.writeBoolean(s.early());
            out.writeLong(s.count());
            writeMeasure(out, s.temperatureCount(), s.temperatureMin(), s.temperatureMax(), s.temperatureAvg());
            writeMeasure(out, s.humidityCount(), s.humidityMin(), s.humidityMax(), s.humidityAvg());
            writeMeasure(out, s.pressureCount(), s.pressureMin(), s.pressureMax(), s.pressureAvg());
            writeMeasure(out, s.luminosityCount(), s.luminosityMin(), s.luminosityMax(), s.luminosityAvg());
        }

        @Override
        public WindowStats read(ObjectDataInput in) throws IOException {
            readVersion(in, "WindowStats");
            return new WindowStats(in.readString(), in.readLong(), in.readLong(), in.readBoolean(), in.readLong(),
                    in.readLong(), readNullable(in), readNullable(in), readNullable(in),
                    in.readLong(), readNullable(in), readNullable(in), readNullable(in),
                    in.readLong(), readNullable(in), readNullable(in), readNullable(in),
                    in.readLong(), readNullable(in), readNullable(in), readNullable(in));
        }

        private static void writeMeasure(ObjectDataOutput out, long count, Double min, Double max, Double avg)
                throws IOException {
            out.writeLong(count);
            writeNullable(out, min);
            writeNullable(out, max);
            writeNullable(out, avg);
        }
    }

    /** {@link ThresholdAlert}. */
    public static final class ThresholdAlertSerializer implements StreamSerializer<ThresholdAlert> {

        @Override
        public int getTypeId() {
            return JobSerializers.FIRST_TYPE_ID + 4;
        }

        @Override
        public void write(ObjectDataOutput out, ThresholdAlert a) throws IOException {
            out.writeByte(VERSION);
            out.writeString(a.sensorId());
            out.writeString(a.placeId());
            out.writeLong(a.timestamp());
            out.writeString(a.measure());
            out.writeDouble(a.value());
            out.writeString(a.rule());
        }

        @Override
        public ThresholdAlert read(ObjectDataInput in) throws IOException {
            readVersion(in, "ThresholdAlert");
            return new ThresholdAlert(in.readString(), in.readString(), in.readLong(), in.readString(),
                    in.readDouble(), in.readString());
        }
    }

    /**
     * {@link TopicRecord}: key and value (a JSON object tree or an Avro record) go through the job's serialization
     * as any object would.
     */
    public static final class TopicRecordSerializer implements StreamSerializer<TopicRecord> {

        @Override
        public int getTypeId() {
            return JobSerializers.FIRST_TYPE_ID + 5;
        }

        @Override
        public void write(ObjectDataOutput out, TopicRecord r) throws IOException {
            out.writeByte(VERSION);
            out.writeString(r.topic());
            out.writeObject(r.key());
            out.writeObject(r.value());
        }

        @Override
        public TopicRecord read(ObjectDataInput in) throws IOException {
            readVersion(in, "TopicRecord");
            return new TopicRecord(in.readString(), in.readObject(), in.readObject());
        }
    }
}
