package io.iotgrid.jobs.impl;

import com.hazelcast.jet.pipeline.SourceBuilder;
import com.hazelcast.map.IMap;
import io.iotgrid.core.WindowStats;

import java.util.ArrayList;
import java.util.List;

/** Source state of {@code StatsGaugesJob}: every period, all entries this member owns, as one item. */
public final class LocalEntries {

    private final IMap<String, WindowStats> map;
    private final long periodMillis;
    private long nextRead;

    public LocalEntries(IMap<String, WindowStats> map, long periodMillis) {
        this.map = map;
        this.periodMillis = periodMillis;
    }

    public void fill(SourceBuilder.SourceBuffer<List<WindowStats>> buf) {
        long now = System.currentTimeMillis();
        if (now < nextRead) {
            return;
        }
        nextRead = now + periodMillis;
        // Local keys only: each member publishes what it owns, so a key has one gauge in the cluster.
        buf.add(new ArrayList<>(map.getAll(map.localKeySet()).values()));
    }
}
