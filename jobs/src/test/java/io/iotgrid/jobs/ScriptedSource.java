package io.iotgrid.jobs;

import com.hazelcast.function.ConsumerEx;
import com.hazelcast.jet.core.processor.SourceProcessors;
import com.hazelcast.jet.pipeline.Sources;
import com.hazelcast.jet.pipeline.StreamSource;
import io.iotgrid.core.Decoded;
import io.iotgrid.core.RawReading;
import io.iotgrid.core.ReadingParser;
import io.iotgrid.sources.WallClockFloor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;

/**
 * A stream source for tests: emits the given payloads once, in order, then stays open like a stream gone quiet.
 * Like the job's real sources, it parses in the source, in the settings' format, and stamps event time where the
 * payloads enter, with the settings' wall-clock floor. One instance in the cluster.
 */
final class ScriptedSource {

    /** The source every scripted payload names, as a CoAP or Kafka source would name its resource or topic. */
    static final String SOURCE = "scripted";

    private ScriptedSource() {
    }

    static StreamSource<Decoded> of(List<String> payloads, AggregationSettings settings) {
        List<String> script = List.copyOf(payloads);
        ReadingParser parser = settings.parser();
        return Sources.streamFromProcessorWithWatermarks(SOURCE, false,
                policy -> SourceProcessors.<ArrayDeque<String>, Decoded, Void>convenientTimestampedSourceP(
                        ctx -> new ArrayDeque<>(script),
                        (remaining, buf) -> {
                            for (String next; buf.size() < 64 && (next = remaining.poll()) != null; ) {
                                buf.add(parser.parse(new RawReading(SOURCE, System.currentTimeMillis(),
                                        next.getBytes(StandardCharsets.UTF_8))));
                            }
                        },
                        WallClockFloor.apply(policy, settings.quietCloseAfter()),
                        ctx -> null, (ctx, states) -> { }, ConsumerEx.noop(), 0));
    }
}
