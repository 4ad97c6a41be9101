package io.iotgrid.jobs;

import com.hazelcast.jet.pipeline.SourceBuilder;
import com.hazelcast.jet.pipeline.StreamSource;
import io.iotgrid.core.RawReading;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;

/** A stream source for tests: emits the given payloads once, in order, then stays open like a stream gone quiet. */
final class ScriptedSource {

    /** The source every scripted payload names, as a CoAP or Kafka source would name its resource or topic. */
    static final String SOURCE = "scripted";

    private ScriptedSource() {
    }

    static StreamSource<RawReading> of(List<String> payloads) {
        List<String> script = List.copyOf(payloads);
        return SourceBuilder.stream(SOURCE, ctx -> new ArrayDeque<>(script))
                .<RawReading>fillBufferFn((remaining, buf) -> {
                    for (String next; buf.size() < 64 && (next = remaining.poll()) != null; ) {
                        buf.add(new RawReading(SOURCE, System.currentTimeMillis(),
                                next.getBytes(StandardCharsets.UTF_8)));
                    }
                })
                .build();
    }
}
