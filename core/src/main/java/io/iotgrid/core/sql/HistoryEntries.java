package io.iotgrid.core.sql;

import com.hazelcast.query.Predicate;
import com.hazelcast.query.Predicates;
import io.iotgrid.core.HistoryBlock;
import io.iotgrid.core.HistoryTier;
import io.iotgrid.core.WindowStats;

import java.util.ArrayList;
import java.util.List;

/**
 * What a history IMap entry holds, for the connector: the windows it unpacks into and the predicate that selects
 * the entries that can hold a window of a {@link HistoryScope}. An entry is a {@link HistoryBlock} (key
 * {@code id@blockStart}), found by its {@value #BLOCK_START} and {@value #ID}; or, as history maps were written
 * before blocks, a single {@link WindowStats} (key {@code id@windowStart}), found by its {@value #WINDOW_START}.
 * Both forms are read, so a map written partly before and partly after the change answers whole; each attribute has
 * a sorted index in cluster-config (an entry without the attribute is null to it and never selected by a range).
 */
final class HistoryEntries {

    /** A block's start: the first window of a block starts at or after it, all before the next block's start. */
    static final String BLOCK_START = "blockStart";
    /** A single window's start, in maps written before blocks. */
    static final String WINDOW_START = "windowStart";
    /** The sensor or place id, in both forms. */
    static final String ID = "id";

    private HistoryEntries() {
    }

    /** The windows of the entry values {@code values}, each entry's in ascending order of start. */
    static List<WindowStats> windows(Iterable<Object> values) {
        List<WindowStats> windows = new ArrayList<>();
        for (Object value : values) {
            if (value instanceof HistoryBlock block) {
                windows.addAll(block.windows());
            } else if (value instanceof WindowStats w) {
                windows.add(w);
            } else {
                throw new IllegalStateException("a history map holds HistoryBlocks, found "
                        + (value == null ? "null" : value.getClass().getName()));
            }
        }
        return windows;
    }

    /**
     * The predicate selecting every entry of {@code tier} that can hold a window of {@code scope}, or null when
     * every entry can (a full scan needs no predicate).
     */
    static Predicate<Object, Object> predicate(HistoryTier tier, HistoryScope scope) {
        boolean from = scope.from() != Long.MIN_VALUE;
        boolean to = scope.to() != Long.MAX_VALUE;
        Predicate<Object, Object> start = null;
        if (from || to) {
            // A block holding a window that starts at `from` or later starts no earlier than that window's block.
            long blockFrom = from ? HistoryBlock.blockStart(tier, scope.from()) : Long.MIN_VALUE;
            start = Predicates.or(range(BLOCK_START, blockFrom, scope.to()),
                    range(WINDOW_START, scope.from(), scope.to()));
        }
        Predicate<Object, Object> id = scope.id() == null ? null : Predicates.equal(ID, scope.id());
        if (start != null && id != null) {
            return Predicates.and(id, start);
        }
        return start != null ? start : id;
    }

    private static Predicate<Object, Object> range(String attribute, long from, long to) {
        if (from == Long.MIN_VALUE) {
            return Predicates.lessEqual(attribute, to);
        }
        if (to == Long.MAX_VALUE) {
            return Predicates.greaterEqual(attribute, from);
        }
        return Predicates.between(attribute, from, to);
    }
}
