package io.iotgrid.jobs;

import com.hazelcast.jet.core.DAG;
import com.hazelcast.jet.core.Vertex;
import com.hazelcast.jet.pipeline.StreamSource;
import com.hazelcast.jet.pipeline.test.TestSources;
import io.iotgrid.core.Decoded;
import io.iotgrid.core.SensorReading;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The shape of the job's DAG: what each setting adds or leaves out. */
class AggregationJobTest {

    @Test
    void when_readingsRingbufferIsNone_then_noVertexWritesReadings() {
        List<String> kept = vertexNames(AggregationSettings.defaults());
        List<String> none = vertexNames(AggregationSettings.builder()
                .set(AggregationSettings.READINGS_RINGBUFFER, AggregationSettings.READINGS_RINGBUFFER.parse("none"))
                .build());

        assertThat(kept).anyMatch(name -> name.contains("sensor_readings"));
        assertThat(none).noneMatch(name -> name.contains("sensor_readings"));
        assertThat(none).hasSize(kept.size() - 1);
    }

    @Test
    void when_built_then_readingsCrossOneShuffleOnTheWayToTheWindows() {
        DAG dag = AggregationJob.build(source(), AggregationSettings.defaults()).toDag();

        // The readings' only keyed edge goes into bySensor; the place windows get parts, not readings.
        assertThat(vertexNames(AggregationSettings.defaults())).contains("bySensor", "byPlace");
        Vertex bySensor = dag.getVertex("bySensor");
        assertThat(dag.getInboundEdges(bySensor.getName())).singleElement()
                .satisfies(e -> assertThat(e.getSourceName()).isEqualTo("parse"));
        assertThat(dag.getInboundEdges("byPlace")).singleElement()
                .satisfies(e -> assertThat(e.getSourceName()).isEqualTo("placeParts"));
    }

    private static List<String> vertexNames(AggregationSettings settings) {
        List<String> names = new ArrayList<>();
        AggregationJob.build(source(), settings).toDag().forEach(v -> names.add(v.getName()));
        return names;
    }

    private static StreamSource<Decoded> source() {
        return TestSources.itemStream(10, (ts, seq) -> (Decoded) new SensorReading("s-" + seq % 3, "p", ts, 20.0,
                Double.NaN, Double.NaN, Double.NaN));
    }
}
