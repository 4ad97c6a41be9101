package io.iotgrid.jobs.impl;

import com.hazelcast.jet.Traverser;
import com.hazelcast.jet.Traversers;
import com.hazelcast.jet.core.AbstractProcessor;

import java.util.Map;

/**
 * A processor that saves its state as the entries {@link #snapshotEntries()} lists when a snapshot starts, emitted
 * over as many calls as the snapshot's outbox needs: Jet's pattern for a processor's own snapshot, written once for
 * the aggregation job's keyed processors.
 */
abstract class SnapshottingP extends AbstractProcessor {

    /** The entries of the snapshot being saved; null between snapshots. */
    private Traverser<Map.Entry<?, ?>> snapshotting;

    /**
     * The processor's state as snapshot entries, taken once when a snapshot starts: an iterable that does not change
     * while it is emitted (a copy, or a view of what no call changes until the snapshot is saved).
     */
    abstract Iterable<? extends Map.Entry<?, ?>> snapshotEntries();

    @Override
    public boolean saveToSnapshot() {
        if (snapshotting == null) {
            snapshotting = Traversers.traverseIterable(snapshotEntries());
        }
        if (!emitFromTraverserToSnapshot(snapshotting)) {
            return false;
        }
        snapshotting = null;
        return true;
    }
}
