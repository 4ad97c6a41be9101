package io.iotgrid.sinks;

import com.hazelcast.function.FunctionEx;
import com.hazelcast.jet.core.DAG;
import com.hazelcast.jet.core.Edge;
import com.hazelcast.jet.core.Vertex;
import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.Sink;
import com.hazelcast.jet.pipeline.test.TestSources;
import com.hazelcast.ringbuffer.OverflowPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GridSinksTest {

    @Test
    void when_keyedSink_then_inputPartitionedByKey() {
        FunctionEx<Map.Entry<String, Integer>, String> key = Map.Entry::getKey;
        FunctionEx<Map.Entry<String, Integer>, Integer> value = Map.Entry::getValue;

        assertThat(edgeInto(GridSinks.map("m", key, value, MapSinkOptions.defaults(), GridSinkSettings.defaults())))
                .satisfies(GridSinksTest::partitioned);
        assertThat(edgeInto(GridSinks.cache("c", key, value, null, GridSinkSettings.defaults())))
                .satisfies(GridSinksTest::partitioned);
        assertThat(edgeInto(GridSinks.multiMap("mm", key, value, GridSinkSettings.defaults())))
                .satisfies(GridSinksTest::partitioned);
        assertThat(edgeInto(GridSinks.queue("q")).getRoutingPolicy()).as("queue keeps the local edge")
                .isEqualTo(Edge.RoutingPolicy.UNICAST);
    }

    @Test
    void when_deadLettersMapBlank_then_rejected() {
        assertThatThrownBy(() -> GridSinks.deadLetters(" "))
                .hasMessage("dead letters map name must not be blank, was ' '");
        assertThat(GridSinks.deadLetters("dead_letters").name()).isEqualTo("deadLettersSink(dead_letters)");
    }

    private static void partitioned(Edge edge) {
        assertThat(edge.getRoutingPolicy()).as("one processor per key").isEqualTo(Edge.RoutingPolicy.PARTITIONED);
    }

    private static <T> Edge edgeInto(Sink<T> sink) {
        Pipeline p = Pipeline.create();
        p.readFrom(TestSources.<T>items()).writeTo(sink);
        DAG dag = p.toDag();
        Vertex sinkVertex = dag.getVertex(sink.name());
        return dag.getInboundEdges(sinkVertex.getName()).get(0);
    }

    private static final GridSinkSettings DEFAULTS = GridSinkSettings.defaults();

    @Test
    void when_sinkBuilt_then_stageNameCarriesStructureAndName() {
        assertThat(GridSinks.queue("q").name()).isEqualTo("queueSink(q)");
        assertThat(GridSinks.set("s").name()).isEqualTo("setSink(s)");
        assertThat(GridSinks.list("l").name()).isEqualTo("listSink(l)");
        assertThat(GridSinks.multiMap("mm").name()).isEqualTo("multiMapSink(mm)");
        assertThat(GridSinks.cache("c").name()).isEqualTo("cacheSink(c)");
        assertThat(GridSinks.map("m").name()).isEqualTo("mapSink(m)");
        assertThat(GridSinks.reliableTopic("t").name()).isEqualTo("reliableTopicSink(t)");
        assertThat(GridSinks.ringbuffer("r").name()).isEqualTo("ringbufferSink(r)");
    }

    @Test
    void when_argumentsInvalid_then_messageNamesThem() {
        assertThatThrownBy(() -> GridSinks.queue(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("queue name must not be blank, was ' '");
        assertThatThrownBy(() -> GridSinks.reliableTopic(null))
                .hasMessage("reliableTopic name must not be blank, was 'null'");
        assertThatThrownBy(() -> GridSinks.set("s", FunctionEx.identity(), null))
                .hasMessage("settings must not be null");
        assertThatThrownBy(() -> GridSinks.list("l", null, DEFAULTS))
                .hasMessage("valueFn must not be null");
        assertThatThrownBy(() -> GridSinks.multiMap("mm", null, FunctionEx.identity()))
                .hasMessage("keyFn must not be null");
        assertThatThrownBy(() -> GridSinks.cache("c", FunctionEx.identity(), FunctionEx.identity(), Duration.ZERO,
                DEFAULTS))
                .hasMessage("ttl must be null or at least 1 ms, was PT0S");
        assertThatThrownBy(() -> GridSinks.map("m", FunctionEx.identity(), FunctionEx.identity(), null, DEFAULTS))
                .hasMessage("options must not be null");
        assertThatThrownBy(() -> GridSinks.ringbuffer(" "))
                .hasMessage("ringbuffer name must not be blank, was ' '");
        assertThatThrownBy(() -> GridSinks.ringbuffer("r", FunctionEx.identity(), null, DEFAULTS))
                .hasMessage("overflowPolicy must not be null");
        assertThatThrownBy(() -> GridSinks.ringbuffer("r", OverflowPolicy.FAIL, 0))
                .hasMessage("max.in.flight must be at least 1, was '0'");
    }
}
