package io.iotgrid.sinks.impl;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.core.metrics.Metric;
import com.hazelcast.jet.core.metrics.Metrics;
import com.hazelcast.map.IMap;
import io.iotgrid.core.DeadLetter;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Where every sink processor puts the items it gives up: an IMap of the cluster the job runs in, each
 * {@link DeadLetter} under a random UUID, counted in the processor's user metric {@code deadLetters}.
 */
public final class DeadLetterWriter {

    private final IMap<String, DeadLetter> map;
    /** Created on first use: Jet hands out user metrics only on the threads of processing methods. */
    private Metric written;

    public DeadLetterWriter(HazelcastInstance instance, String mapName) {
        this.map = instance.getMap(mapName);
    }

    /** The IMap's name, for messages. */
    public String mapName() {
        return map.getName();
    }

    /** Sends every one of {@code letters}; completes when all are stored, exceptionally when one failed. */
    public CompletableFuture<Boolean> write(List<DeadLetter> letters) {
        return GridWriters.allOf(letters.stream().map(letter -> map.setAsync(UUID.randomUUID().toString(), letter)));
    }

    /** Adds {@code count} stored dead letters to the metric; call it on the processor's thread. */
    public void count(int count) {
        if (written == null) {
            written = Metrics.metric("deadLetters");
        }
        written.increment(count);
    }
}
