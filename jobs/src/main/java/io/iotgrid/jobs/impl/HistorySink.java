package io.iotgrid.jobs.impl;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.core.ProcessorMetaSupplier;
import com.hazelcast.jet.core.processor.SinkProcessors;
import com.hazelcast.jet.pipeline.Sink;
import com.hazelcast.jet.pipeline.Sinks;
import com.hazelcast.map.IMap;
import io.iotgrid.core.HistoryBlock;
import io.iotgrid.core.HistoryTier;
import io.iotgrid.core.HistoryUpdate;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The sink of {@link HistoryUpdate}s: each runs as an entry processor on the owner of its block, in the history map
 * of its tier ({@link HistoryTier#mapName}). The input edge is partitioned by the block's key, and one processor
 * submits a key's updates in the order they came, so a block's owner applies them in that order. The maps get no
 * index: a block's key names its id and start, which is all a reader chooses blocks by (the SQL connector's
 * {@code HistoryEntries}), and an index would cost every update a removal and an insertion.
 * <p>
 * <b>Delivery:</b> at least once: after each batch it waits for every update of the batch, so a snapshot never
 * passes an update still on its way; a failed update fails the job.
 */
public final class HistorySink {

    /** Updates in flight at most per processor before it waits for them. */
    private static final int MAX_IN_FLIGHT = 1_024;

    private HistorySink() {
    }

    /** The sink of the history of {@code statsMap}; local parallelism 2. */
    public static Sink<HistoryUpdate> of(String statsMap) {
        return Sinks.fromProcessor("historySink(" + statsMap + ')', ProcessorMetaSupplier.of(2,
                        SinkProcessors.writeBufferedP(ctx -> new Writer(ctx.hazelcastInstance(), statsMap),
                                Writer::submit, Writer::flush, Writer::flush)),
                HistoryUpdate::key);
    }

    private static final class Writer {
        private final Map<HistoryTier, IMap<String, HistoryBlock>> maps = new EnumMap<>(HistoryTier.class);
        private final List<CompletableFuture<Void>> inFlight = new ArrayList<>();

        Writer(HazelcastInstance hz, String statsMap) {
            for (HistoryTier tier : HistoryTier.values()) {
                maps.put(tier, hz.getMap(tier.mapName(statsMap)));
            }
        }

        void submit(HistoryUpdate update) {
            inFlight.add(maps.get(update.tier()).submitToKey(update.key(), update).toCompletableFuture());
            if (inFlight.size() >= MAX_IN_FLIGHT) {
                flush();
            }
        }

        void flush() {
            CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
            inFlight.clear();
        }
    }
}
