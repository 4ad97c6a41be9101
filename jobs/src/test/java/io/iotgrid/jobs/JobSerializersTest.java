package io.iotgrid.jobs;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.impl.serialization.DelegatingSerializationService;
import com.hazelcast.nio.serialization.StreamSerializer;
import io.iotgrid.core.AlertKind;
import io.iotgrid.core.DeadLetter;
import io.iotgrid.core.LateReading;
import io.iotgrid.core.MeasureStats;
import io.iotgrid.core.RawReading;
import io.iotgrid.core.SensorReading;
import io.iotgrid.core.SensorState;
import io.iotgrid.core.SensorStatus;
import io.iotgrid.core.ThresholdAlert;
import io.iotgrid.core.WindowStats;
import io.iotgrid.jobs.impl.LivenessRules;
import io.iotgrid.jobs.impl.PlaceSilenceP;
import io.iotgrid.jobs.impl.SensorLiveness;
import io.iotgrid.jobs.impl.WindowPartial;
import io.iotgrid.kcql.TopicRecord;
import io.iotgrid.sources.CoapNotification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job-level serializers, resolved from a {@link JobConfig} the way Jet resolves them for a job
 * ({@link DelegatingSerializationService#from}), over a plain member serialization service.
 */
class JobSerializersTest {

    /**
     * Every iot-grid type that a vertex of {@link AggregationJob}, {@link KafkaAggregationJob} or
     * {@link KcqlRoutingJob} emits to an edge, or that sits in their snapshots.
     */
    private static final Set<Class<?>> CROSSING_EDGES = Set.of(
            RawReading.class,              // CoAP source -> parse
            SensorReading.class,           // parse -> ringbuffer sink, alerts, bySensor (distributed)
            DeadLetter.class,              // source/undecodable/KCQL routing -> dead letters map sink (partitioned)
            LateReading.class,             // bySensor -> late readings map sink (partitioned)
            StatsAccumulator.class,        // keyed window results, window snapshots
            StatsAccumulator.Result.class, // keyed window results
            WindowPartial.class,           // bySensor -> byPlace (distributed)
            WindowStats.class,             // windows -> latest (grouped, distributed) -> map sink, Kafka sink
            ThresholdAlert.class,          // alerts, liveness -> reliable topic sink
            SensorStatus.class,            // liveness -> sensor status map sink (partitioned), placeSilence
            SensorLiveness.class,          // bySensor snapshots
            PlaceSilenceP.Place.class,     // placeSilence snapshots
            TopicRecord.class);            // Kafka source -> KCQL routes (Tuple2 field in the routing jar)

    /** iot-grid types that never leave the vertex that creates them, and why. */
    private static final Map<Class<?>, String> NOT_CROSSING_EDGES = Map.of(
            CoapNotification.class, "CoapSources maps it to a RawReading inside the source processor",
            MeasureStats.class, "only inside StatsAccumulator.Result and WindowStats, written by their serializers");

    private static final InternalSerializationService JOB_SERIALIZATION = DelegatingSerializationService.from(
            new DefaultSerializationServiceBuilder().build(),
            JobSerializers.register(new JobConfig()).getSerializerConfigs());

    @Test
    void when_jobConfigRegistered_then_everyTypeCrossingAnEdgeHasAJobLevelSerializer() {
        Set<String> registered = JobSerializers.register(new JobConfig()).getSerializerConfigs().keySet();
        assertThat(registered).containsExactlyInAnyOrderElementsOf(
                CROSSING_EDGES.stream().map(Class::getName).collect(Collectors.toSet()));
        assertThat(registered).doesNotContainAnyElementsOf(
                NOT_CROSSING_EDGES.keySet().stream().map(Class::getName).toList());
    }

    static Stream<Object> samples() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("sensor_id", "s-1");
        json.put("temperature", 21.5);
        json.put("tags", List.of("a", "b"));
        json.put("nested", new HashMap<>(Map.of("k", 1L)));
        return Stream.of(
                new SensorReading("s-1", "p-1", 1_700_000_000_123L, 21.5, -3.25, 1013.0, 0.0),
                new SensorReading("s-2", "", Long.MIN_VALUE, Double.NaN, Double.NaN, Double.POSITIVE_INFINITY,
                        Double.NEGATIVE_INFINITY),
                new RawReading("coap://127.0.0.1:5683/sensors/s-1", 42, "{\"id\":\"s-1\"}".getBytes(
                        StandardCharsets.UTF_8), 50),
                new RawReading("kafka:readings/0@7", 0, new byte[0]),
                new DeadLetter("coap://127.0.0.1/x", 5, "not JSON: ü", new byte[]{0, -1, 127}),
                DeadLetter.ofKafka("readings", 3, 99, "key".getBytes(StandardCharsets.UTF_8), null, 6, "bad"),
                new WindowStats("p-1", 1000, 2000, true, 3, 2, -1.5, 4.0, 1.25, 2.75, 0, null, null, null, null,
                        1, 1013.0, 1013.0, 1013.0, 0.0, 3, 0.0, Double.NaN, Double.MAX_VALUE, Double.NaN, 2),
                new WindowStats("s-1", 1000, 2000, false, 1, 1, 20.0, 20.0, 20.0, 0.0, 0, null, null, null, null,
                        0, null, null, null, null, 0, null, null, null, null, null),
                new ThresholdAlert("s-1", "p-1", 77, "temperature", 80.5, "temperature > 80"),
                LateReading.of(new SensorReading("s-1", "p-1", 61_000, 21.5, Double.NaN, 1013.0, 0.0), 60_000,
                        120_000, 180_000, 1_700_000_000_000L),
                new ThresholdAlert("s-1", "p-1", 77, "humidity", Double.NaN, null),
                new ThresholdAlert("s-1", "p-1", 77, null, 31.5, "ONLINE->SILENT", AlertKind.STATUS),
                new SensorStatus("s-1", "p-1", SensorState.SILENT, 1_700_000_000_123L, 1_700_000_000_456L, 1000,
                        30_000, 1_700_000_031_000L),
                sensorLiveness(),
                new PlaceSilenceP.Place(new WindowStats("p-1", 0, 1000, true, 1, 1, 20.0, 20.0, 20.0, 0.0, 0, null,
                        null, null, null, 0, null, null, null, null, 0, null, null, null, null, 1),
                        new HashSet<>(Set.of("s-1", "s-2"))),
                new PlaceSilenceP.Place(null, new HashSet<>()),
                new TopicRecord("readings", "s-1", json),
                new TopicRecord("readings", null, null),
                filledAccumulator(),
                new StatsAccumulator(),
                new WindowPartial("p-1", 60_000, filledAccumulator()),
                filledAccumulator().result(),
                new StatsAccumulator().result());
    }

    @ParameterizedTest
    @MethodSource("samples")
    void when_serializedWithJobSerializers_then_roundTripsEveryFieldInOurTypeIdRange(Object sample) {
        Data data = JOB_SERIALIZATION.toData(sample);

        assertThat(data.getType()).isBetween(JobSerializers.FIRST_TYPE_ID, JobSerializers.LAST_TYPE_ID);
        Object back = JOB_SERIALIZATION.toObject(data);
        assertThat(back).isInstanceOf(sample.getClass())
                        // Exact doubles, NaN equal to NaN: the default comparator has a tolerance and NaN != NaN.
                        .usingRecursiveComparison().withComparatorForType(Double::compare, Double.class)
                        .isEqualTo(sample);
    }

    @Test
    void when_typeIdsAssigned_then_eachIsDistinctAndInTheDocumentedRange() throws Exception {
        Set<Integer> ids = new HashSet<>();
        for (String serializer : JobSerializers.register(new JobConfig()).getSerializerConfigs().values()) {
            int id = ((StreamSerializer<?>) Class.forName(serializer)
                    .getDeclaredConstructor().newInstance()).getTypeId();
            assertThat(id).as(serializer).isBetween(JobSerializers.FIRST_TYPE_ID, JobSerializers.LAST_TYPE_ID);
            assertThat(ids.add(id)).as("type id %d of %s used twice", id, serializer).isTrue();
        }
    }

    /** A sensor's liveness with an interval learned, runs of equal values and two windows of history. */
    private static SensorLiveness sensorLiveness() {
        LivenessRules rules = new LivenessRules(3, 1000, 5000, 2000, 3, 4.0, 2, 1000);
        List<Object> ignored = new java.util.ArrayList<>();
        SensorLiveness s = SensorLiveness.first(new SensorReading("s-1", "p-1", 0, 20.0, 50.0, Double.NaN, 0.0), 5,
                rules, ignored::add);
        s.onReading(new SensorReading("s-1", "p-2", 900, 21.0, 50.0, Double.NaN, 0.0), 905, rules, ignored::add);
        s.onReading(new SensorReading("s-1", "p-2", 1100, 23.5, 50.0, Double.NaN, 0.0), 1105, rules, ignored::add);
        return s;
    }

    private static StatsAccumulator filledAccumulator() {
        StatsAccumulator acc = new StatsAccumulator();
        acc.add(new SensorReading("s-1", "p-1", 1, 20.0, Double.NaN, 1000.0, 5.0));
        acc.add(new SensorReading("s-2", "p-1", 2, 22.0, Double.NaN, 1010.0, -5.0));
        return acc;
    }
}
