package io.iotgrid.sinks;

import com.hazelcast.function.FunctionEx;
import com.hazelcast.jet.core.DAG;
import com.hazelcast.jet.core.Edge;
import com.hazelcast.jet.core.Vertex;
import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.Sink;
import com.hazelcast.jet.pipeline.test.TestSources;
import org.junit.jupiter.api.Test;

import static io.iotgrid.sinks.CoapSinkSettings.CONFIRMABLE;
import static io.iotgrid.sinks.CoapSinkSettings.ERROR_POLICY;
import static io.iotgrid.sinks.CoapSinkSettings.METHOD;
import static com.hazelcast.internal.serialization.impl.SerializationUtil.checkSerializable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CoapSinksTest {

    @Test
    void when_sinkBuilt_then_stageNameCarriesMethodAndType() {
        assertThat(CoapSinks.json(r -> "coap://127.0.0.1/a").name()).isEqualTo("coapSink(PUT CON)");
        assertThat(CoapSinks.json(r -> "coap://127.0.0.1/a",
                CoapSinkSettings.builder().set(METHOD, CoapMethod.POST).set(CONFIRMABLE, false).build()).name())
                .isEqualTo("coapSink(POST NON)");
    }

    @Test
    void when_sinkBuilt_then_oneLocalProcessorOnALocalEdgeWhoseSupplierIsSerializable() {
        String base = "coap://127.0.0.1:5683/sensors/";
        FunctionEx<String, String> uriFn = id -> base + id;
        Sink<String> sink = CoapSinks.json(uriFn,
                CoapSinkSettings.builder().set(ERROR_POLICY, ErrorPolicy.RETRY).build());

        Pipeline p = Pipeline.create();
        p.readFrom(TestSources.items("s-1")).writeTo(sink);
        DAG dag = p.toDag();
        Vertex vertex = dag.getVertex(sink.name());

        assertThat(vertex.getLocalParallelism()).isEqualTo(1);
        assertThat(dag.getInboundEdges(vertex.getName()).get(0).getRoutingPolicy())
                .isEqualTo(Edge.RoutingPolicy.UNICAST);
        checkSerializable(vertex.getMetaSupplier(), "the sink's processor supplier");
    }

    @Test
    void when_argumentsMissing_then_messageNamesThem() {
        assertThatThrownBy(() -> CoapSinks.json(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("uriFn must not be null");
        assertThatThrownBy(() -> CoapSinks.json(r -> "coap://127.0.0.1/a", null))
                .hasMessage("settings must not be null");
    }
}
