package io.iotgrid.jobs;

import com.hazelcast.function.FunctionEx;
import com.hazelcast.jet.pipeline.SourceBuilder;
import com.hazelcast.jet.pipeline.StreamSource;
import io.iotgrid.core.RawReading;

import java.nio.charset.StandardCharsets;

/**
 * A stream source for exactly-once tests, replayable like a Kafka partition: payload {@code i} is due at
 * {@code startMillis + i * periodMillis}, and the source keeps the offset of its next payload in every snapshot,
 * so after a restore it replays exactly what came after the snapshot and catches up in batches. Started without
 * a snapshot it joins the stream live, at the first payload not yet due: a restart that restores no snapshot
 * loses what was due meanwhile, as a live stream would. One instance in the cluster; when all {@code count}
 * payloads are out it stays open, like a stream gone quiet.
 */
final class ReplayableSource {

    private ReplayableSource() {
    }

    static StreamSource<RawReading> of(int count, long startMillis, long periodMillis,
                                       FunctionEx<Integer, String> payloadFn) {
        return SourceBuilder.stream("replayable(" + count + ')',
                        ctx -> new Offset(due(count, startMillis, periodMillis)))
                .<RawReading>fillBufferFn((offset, buf) -> {
                    int due = due(count, startMillis, periodMillis);
                    for (int n = 0; n < 256 && offset.next < due; n++, offset.next++) {
                        buf.add(new RawReading("replayable", System.currentTimeMillis(),
                                payloadFn.apply(offset.next).getBytes(StandardCharsets.UTF_8)));
                    }
                })
                .createSnapshotFn(offset -> offset.next)
                .restoreSnapshotFn((offset, saved) -> offset.next = saved.get(0))
                .build();
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
