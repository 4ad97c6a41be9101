package io.iotgrid.jobs;

import com.hazelcast.function.ConsumerEx;
import com.hazelcast.function.FunctionEx;
import com.hazelcast.jet.core.processor.SourceProcessors;
import com.hazelcast.jet.pipeline.Sources;
import com.hazelcast.jet.pipeline.StreamSource;
import io.iotgrid.core.Decoded;
import io.iotgrid.core.RawReading;
import io.iotgrid.core.ReadingParser;
import io.iotgrid.sources.WallClockFloor;

import java.nio.charset.StandardCharsets;

/**
 * A stream source for exactly-once tests, replayable like a Kafka partition: payload {@code i} is due at
 * {@code startMillis + i * periodMillis}, and the source keeps the offset of its next payload in every snapshot,
 * so after a restore it replays exactly what came after the snapshot and catches up in batches. Started without
 * a snapshot it joins the stream live, at the first payload not yet due: a restart that restores no snapshot
 * loses what was due meanwhile, as a live stream would. One instance in the cluster; when all {@code count}
 * payloads are out it stays open, like a stream gone quiet. Like the job's real sources, it parses in the source,
 * in the settings' format, and stamps event time there, with the settings' wall-clock floor.
 */
final class ReplayableSource {

    private ReplayableSource() {
    }

    static StreamSource<Decoded> of(int count, long startMillis, long periodMillis,
                                    FunctionEx<Integer, String> payloadFn, AggregationSettings settings) {
        ReadingParser parser = settings.parser();
        return Sources.streamFromProcessorWithWatermarks("replayable(" + count + ')', false,
                policy -> SourceProcessors.<Offset, Decoded, Integer>convenientTimestampedSourceP(
                        ctx -> new Offset(due(count, startMillis, periodMillis)),
                        (offset, buf) -> {
                            int due = due(count, startMillis, periodMillis);
                            for (int n = 0; n < 256 && offset.next < due; n++, offset.next++) {
                                buf.add(parser.parse(new RawReading("replayable", System.currentTimeMillis(),
                                        payloadFn.apply(offset.next).getBytes(StandardCharsets.UTF_8))));
                            }
                        },
                        WallClockFloor.apply(policy, settings.quietCloseAfter()),
                        offset -> offset.next,
                        (offset, saved) -> offset.next = saved.get(0),
                        ConsumerEx.noop(), 0));
    }

    /** How many payloads are due now: 0 before {@code startMillis}, at most {@code count}. */
    private static int due(int count, long startMillis, long periodMillis) {
        long now = System.currentTimeMillis();
        return now < startMillis ? 0 : (int) Math.min(count, (now - startMillis) / periodMillis + 1);
    }

    private static final class Offset {
        int next;

        Offset(int next) {
            this.next = next;
        }
    }
}
