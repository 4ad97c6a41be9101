package io.iotgrid.jobs;

import com.hazelcast.jet.config.JobConfig;
import io.iotgrid.core.DeadLetter;
import io.iotgrid.core.LateReading;
import io.iotgrid.core.RawReading;
import io.iotgrid.core.SensorReading;
import io.iotgrid.core.SensorStatus;
import io.iotgrid.core.ThresholdAlert;
import io.iotgrid.core.WindowStats;
import io.iotgrid.jobs.impl.RecordSerializers;
import io.iotgrid.jobs.impl.PlaceSilenceP;
import io.iotgrid.jobs.impl.SensorLiveness;
import io.iotgrid.jobs.impl.WindowPartial;
import io.iotgrid.kcql.TopicRecord;

/**
 * Job-level serializers of every iot-grid type that crosses a Jet edge or lives in a snapshot of the iot-grid jobs
 * ({@link AggregationJob}, {@link KafkaAggregationJob}, {@link KcqlRoutingJob}):
 * {@code JobSerializers.register(new JobConfig().setName("iot-grid-aggregation"))}.
 * <p>
 * Why: a job submitted from a jar gets a class loader of its own, while Hazelcast's zero-config Compact serializer
 * caches the class of a type name member-wide, loaded by the first job that read one. A second job (another jar,
 * or the same jar again after a cancel) would then receive the first job's classes on its distributed edges and
 * fail with {@code ClassCastException: SensorReading cannot be cast to SensorReading}. Serializers registered on
 * the {@link JobConfig} are resolved per job with that job's class loader, so any number of iot-grid jobs share a
 * cluster.
 * <p>
 * What the grid stores stays zero-config Compact (the SQL mappings of {@code io.iotgrid.core.SqlMappings} and
 * generic clients read it): the iot-grid sinks write through the member's own serialization, which job-level
 * serializers do not reach. Do not write these types with Jet's {@code Sinks.map}/{@code Sinks.list} to a
 * local structure: those sinks serialize with the job's serializers, and the stored form would be this private
 * binary format instead of Compact.
 * <p>
 * Type ids: iot-grid's job-level serializers use {@value #FIRST_TYPE_ID} to {@value #LAST_TYPE_ID}. Each
 * serialized form starts with a format version byte, so a newer serializer can still read an older snapshot.
 */
public final class JobSerializers {

    /** The first type id iot-grid's job-level serializers use. */
    public static final int FIRST_TYPE_ID = 7_100;
    /** The last type id reserved for iot-grid's job-level serializers. */
    public static final int LAST_TYPE_ID = 7_199;

    private JobSerializers() {
    }

    /**
     * Registers the serializers of {@link SensorReading}, {@link RawReading}, {@link DeadLetter}, {@link LateReading},
     * {@link WindowStats}, {@link ThresholdAlert}, {@link StatsAccumulator}, {@link StatsAccumulator.Result},
     * {@link TopicRecord}, {@link SensorStatus}, {@link SensorLiveness}, {@link PlaceSilenceP.Place} and {@link WindowPartial} on
     * {@code config}.
     *
     * @return {@code config}
     */
    public static JobConfig register(JobConfig config) {
        return config.registerSerializer(SensorReading.class, RecordSerializers.SensorReadingSerializer.class)
                     .registerSerializer(RawReading.class, RecordSerializers.RawReadingSerializer.class)
                     .registerSerializer(DeadLetter.class, RecordSerializers.DeadLetterSerializer.class)
                     .registerSerializer(LateReading.class, RecordSerializers.LateReadingSerializer.class)
                     .registerSerializer(WindowStats.class, RecordSerializers.WindowStatsSerializer.class)
                     .registerSerializer(ThresholdAlert.class, RecordSerializers.ThresholdAlertSerializer.class)
                     .registerSerializer(TopicRecord.class, RecordSerializers.TopicRecordSerializer.class)
                     .registerSerializer(StatsAccumulator.class, StatsAccumulator.Serializer.class)
                     .registerSerializer(StatsAccumulator.Result.class, StatsAccumulator.ResultSerializer.class)
                     .registerSerializer(SensorStatus.class, RecordSerializers.SensorStatusSerializer.class)
                     .registerSerializer(SensorLiveness.class, SensorLiveness.Serializer.class)
                     .registerSerializer(PlaceSilenceP.Place.class, PlaceSilenceP.Place.Serializer.class)
                     .registerSerializer(WindowPartial.class, WindowPartial.Serializer.class);
    }
}
