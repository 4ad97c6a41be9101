package io.iotgrid.jobs.impl;

import com.hazelcast.config.IndexType;
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
 * submits a key's updates in the order they came, so a block's owner applies them in that order. Creates the sorted
 * index on {@code blockStart} of each map when it starts.
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
                IMap<String, HistoryBlock> map = hz.getMap(tier.mapName(statsMap));
                map.addIndex(IndexType.SORTED, "blockStart");
                maps.put(tier, map);
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
