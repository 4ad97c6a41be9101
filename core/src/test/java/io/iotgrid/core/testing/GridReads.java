package io.iotgrid.core.testing;

import com.hazelcast.ringbuffer.ReadResultSet;
import com.hazelcast.ringbuffer.Ringbuffer;

import java.util.ArrayList;
import java.util.List;

/** Reads grid structures whole, for tests that compare what a job wrote with what it was given. */
public final class GridReads {

    private GridReads() {
    }

    /** Every item the Ringbuffer holds now, oldest first, read in batches of up to 1000. */
    public static <T> List<T> readAll(Ringbuffer<T> ringbuffer) {
        List<T> all = new ArrayList<>();
        long seq = ringbuffer.headSequence();
        long tail = ringbuffer.tailSequence();
        while (seq <= tail) {
            ReadResultSet<T> batch = ringbuffer.readManyAsync(seq, 1, 1000, null).toCompletableFuture().join();
            batch.forEach(all::add);
            seq = batch.getNextSequenceToReadFrom();
        }
        return all;
    }
}
