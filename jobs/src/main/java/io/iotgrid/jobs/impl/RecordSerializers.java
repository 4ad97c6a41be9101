package io.iotgrid.jobs.impl;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.StreamSerializer;
import io.iotgrid.core.AlertKind;
import io.iotgrid.core.DeadLetter;
import io.iotgrid.core.LateReading;
import io.iotgrid.core.Measure;
import io.iotgrid.core.MeasureStats;
import io.iotgrid.core.RawReading;
import io.iotgrid.core.SensorReading;
import io.iotgrid.core.SensorState;
import io.iotgrid.core.SensorStatus;
import io.iotgrid.core.Statistic;
import io.iotgrid.core.ThresholdAlert;
import io.iotgrid.core.WindowStats;
import io.iotgrid.jobs.JobSerializers;
import io.iotgrid.kcql.TopicRecord;

import java.io.IOException;

/**
 * The job-level serializers of the records of core and kcql that travel between the iot-grid jobs' vertices (see
 * {@link JobSerializers}). Each form starts with a version byte; version 1 is the fields in declaration order, a
 * window's statistics measure by measure as {@link #writeMeasureStats} writes them (a {@link ThresholdAlert} is
 * version 2, with its kind after them; a {@link WindowStats} is version 2, with its silent sensors last).
 */
public final class RecordSerializers {

    /** The format every serializer here writes. */
    public static final byte VERSION = 1;

    private static final Measure[] MEASURES = Measure.values();
    private static final Statistic[] STATISTICS = Statistic.values();

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

    /** Writes each {@link Statistic} of {@code stats} in declaration order, as {@link #writeStatistic} does. */
    public static void writeMeasureStats(ObjectDataOutput out, MeasureStats stats) throws IOException {
        for (Statistic s : STATISTICS) {
            writeStatistic(out, s, stats.value(s));
        }
    }

    /** Reads what {@link #writeMeasureStats} wrote. */
    public static MeasureStats readMeasureStats(ObjectDataInput in) throws IOException {
        Object[] values = new Object[STATISTICS.length];
        for (Statistic s : STATISTICS) {
            values[s.ordinal()] = s.type() == long.class ? (Object) in.readLong() : readNullable(in);
        }
        return MeasureStats.of(values);
    }

    /** Writes the value of a statistic: a {@code long} as is, a nullable Double as {@link #writeNullable} does. */
    private static void writeStatistic(ObjectDataOutput out, Statistic s, Object value) throws IOException {
        if (s.type() == long.class) {
            out.writeLong((Long) value);
        } else {
            writeNullable(out, (Double) value);
        }
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

        /** Version 2 adds the silent sensors of a place; version 1, written before it existed, is read with none. */
        static final byte WITH_SILENT_SENSORS = 2;

        @Override
        public int getTypeId() {
            return JobSerializers.FIRST_TYPE_ID + 3;
        }

        @Override
        public void write(ObjectDataOutput out, WindowStats s) throws IOException {
            out.writeByte(WITH_SILENT_SENSORS);
            out.writeString(s.id());
            out.writeLong(s.windowStart());
            out.writeLong(s.windowEnd());
            out.writeBoolean(s.early());
            out.writeLong(s.count());
            for (Measure m : MEASURES) {
                for (Statistic st : STATISTICS) {
                    writeStatistic(out, st, s.value(m, st));
                }
            }
            out.writeBoolean(s.silentSensors() != null);
            if (s.silentSensors() != null) {
                out.writeInt(s.silentSensors());
            }
        }

        @Override
        public WindowStats read(ObjectDataInput in) throws IOException {
            byte version = in.readByte();
            if (version != VERSION && version != WITH_SILENT_SENSORS) {
                throw new IOException("cannot read WindowStats serialized in format version " + version
                        + ", this iot-grid reads versions " + VERSION + " and " + WITH_SILENT_SENSORS);
            }
            String id = in.readString();
            long windowStart = in.readLong();
            long windowEnd = in.readLong();
            boolean early = in.readBoolean();
            long count = in.readLong();
            MeasureStats[] byMeasure = new MeasureStats[MEASURES.length];
            for (Measure m : MEASURES) {
                byMeasure[m.ordinal()] = readMeasureStats(in);
            }
            Integer silentSensors = version == WITH_SILENT_SENSORS && in.readBoolean() ? in.readInt() : null;
            return WindowStats.of(id, windowStart, windowEnd, early, count, byMeasure, silentSensors);
        }
    }

    /** {@link ThresholdAlert}. */
    public static final class ThresholdAlertSerializer implements StreamSerializer<ThresholdAlert> {

        @Override
        public int getTypeId() {
            return JobSerializers.FIRST_TYPE_ID + 4;
        }

        /** Version 2 adds the kind; version 1, written before alerts had kinds, is read as a threshold alert. */
        static final byte WITH_KIND = 2;

        @Override
        public void write(ObjectDataOutput out, ThresholdAlert a) throws IOException {
            out.writeByte(WITH_KIND);
            out.writeString(a.sensorId());
            out.writeString(a.placeId());
            out.writeLong(a.timestamp());
            out.writeString(a.measure());
            out.writeDouble(a.value());
            out.writeString(a.rule());
            out.writeString(a.kind().name());
        }

        @Override
        public ThresholdAlert read(ObjectDataInput in) throws IOException {
            byte version = in.readByte();
            if (version != VERSION && version != WITH_KIND) {
                throw new IOException("cannot read ThresholdAlert serialized in format version " + version
                        + ", this iot-grid reads versions " + VERSION + " and " + WITH_KIND);
            }
            return new ThresholdAlert(in.readString(), in.readString(), in.readLong(), in.readString(),
                    in.readDouble(), in.readString(),
                    version == VERSION ? AlertKind.THRESHOLD : AlertKind.valueOf(in.readString()));
        }
    }

    /** {@link SensorStatus}. */
    public static final class SensorStatusSerializer implements StreamSerializer<SensorStatus> {

        @Override
        public int getTypeId() {
            return JobSerializers.FIRST_TYPE_ID + 20;
        }

        @Override
        public void write(ObjectDataOutput out, SensorStatus s) throws IOException {
            out.writeByte(VERSION);
            out.writeString(s.sensorId());
            out.writeString(s.placeId());
            out.writeString(s.state().name());
            out.writeLong(s.lastEventAt());
            out.writeLong(s.lastSeenAt());
            out.writeLong(s.intervalMs());
            out.writeLong(s.silentAfterMs());
            out.writeLong(s.stateSince());
        }

        @Override
        public SensorStatus read(ObjectDataInput in) throws IOException {
            readVersion(in, "SensorStatus");
            return new SensorStatus(in.readString(), in.readString(), SensorState.valueOf(in.readString()),
                    in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong());
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

    /** {@link LateReading}. */
    public static final class LateReadingSerializer implements StreamSerializer<LateReading> {

        @Override
        public int getTypeId() {
            return JobSerializers.FIRST_TYPE_ID + 6;
        }

        @Override
        public void write(ObjectDataOutput out, LateReading r) throws IOException {
            out.writeByte(VERSION);
            out.writeString(r.sensorId());
            out.writeString(r.placeId());
            out.writeLong(r.timestamp());
            out.writeDouble(r.temperature());
            out.writeDouble(r.humidity());
            out.writeDouble(r.pressure());
            out.writeDouble(r.luminosity());
            out.writeLong(r.windowStart());
            out.writeLong(r.windowEnd());
            out.writeLong(r.watermark());
            out.writeLong(r.lateBy());
            out.writeLong(r.receivedAt());
        }

        @Override
        public LateReading read(ObjectDataInput in) throws IOException {
            readVersion(in, "LateReading");
            return new LateReading(in.readString(), in.readString(), in.readLong(), in.readDouble(), in.readDouble(),
                    in.readDouble(), in.readDouble(), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                    in.readLong());
        }
    }
}
