package io.iotgrid.core.sql;

import com.hazelcast.internal.partition.IPartitionService;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicate;
import com.hazelcast.query.Predicates;
import com.hazelcast.spi.impl.NodeEngine;
import io.iotgrid.core.HistoryBlock;
import io.iotgrid.core.HistoryTier;
import io.iotgrid.core.WindowStats;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a history IMap entry holds, for the connector: the windows it unpacks into, and which of the member's
 * entries can hold a window of a {@link HistoryScope}.
 * <p>
 * An entry is a {@link HistoryBlock} keyed {@code id@blockStart}, which the job's sink indexes (sorted) on
 * {@value #BLOCK_START}; a history map holds nothing else (one written by a version before blocks must be cleared),
 * so a range is a predicate on the block start. For a fixed id and a bounded range the keys themselves are known,
 * {@code id@blockStart} for each block start in the range, so the entries are read by key (at most
 * {@value #MAX_KEY_LOOKUPS} blocks) instead of through the index, which holds every id's blocks of the range.
 */
final class HistoryEntries {

    /** A block's start: its first window starts at or after it, every window before the next block's start. */
    static final String BLOCK_START = "blockStart";
    /** The sensor or place id. */
    static final String ID = "id";
    /** Above this many blocks in a range, a fixed id's blocks are found through the index rather than by key. */
    static final int MAX_KEY_LOOKUPS = 4096;
    /** Key lookups only within years 0 to 9999: beyond, block starts of the day tier leave the calendar's range. */
    private static final long MIN_TIME = -62_167_219_200_000L;
    private static final long MAX_TIME = 253_402_300_799_999L;

    private HistoryEntries() {
    }

    /**
     * The windows of the entry values {@code values}, each entry's in ascending order of start; a value other than
     * a {@link HistoryBlock} fails the query, naming its class.
     */
    static List<WindowStats> windows(Iterable<Object> values) {
        List<WindowStats> windows = new ArrayList<>();
        for (Object value : values) {
            if (!(value instanceof HistoryBlock block)) {
                throw new IllegalStateException("a history map holds HistoryBlocks only (clear a map written by a "
                        + "version before blocks), found " + (value == null ? "null" : value.getClass().getName()));
            }
            windows.addAll(block.windows());
        }
        return windows;
    }

    /** The keys of the entries of {@code map} on this member that can hold a window of {@code scope}. */
    static Set<Object> localKeys(IMap<Object, Object> map, NodeEngine nodeEngine, HistoryTier tier,
                                 HistoryScope scope) {
        if (scope.isEmpty()) {
            return Set.of();
        }
        if (scope.id() != null) {
            List<Long> starts = blockStarts(tier, scope.from(), scope.to());
            if (starts != null) {
                IPartitionService partitions = nodeEngine.getPartitionService();
                Set<Object> keys = new HashSet<>();
                for (long start : starts) {
                    String key = HistoryTier.key(scope.id(), start);
                    if (partitions.isPartitionOwner(partitions.getPartitionId(key))) {
                        keys.add(key);
                    }
                }
                return keys;
            }
        }
        Predicate<Object, Object> predicate = predicate(tier, scope);
        return predicate == null ? map.localKeySet() : map.localKeySet(predicate);
    }

    /**
     * The starts of the blocks of {@code tier} that can hold a window starting from {@code from} to {@code to}
     * (inclusive), ascending; null when the range is unbounded, outside years 0 to 9999 or spans more than
     * {@value #MAX_KEY_LOOKUPS} blocks.
     */
    static List<Long> blockStarts(HistoryTier tier, long from, long to) {
        if (from < MIN_TIME || to > MAX_TIME) {
            return null;
        }
        List<Long> starts = new ArrayList<>();
        for (long start = HistoryBlock.blockStart(tier, from); start <= to;
             start = HistoryBlock.blockEnd(tier, start)) {
            if (starts.size() == MAX_KEY_LOOKUPS) {
                return null;
            }
            starts.add(start);
        }
        return starts;
    }

    /**
     * The predicate selecting every block that can hold a window of {@code scope}, or null when every block can
     * (a full scan needs no predicate).
     */
    static Predicate<Object, Object> predicate(HistoryTier tier, HistoryScope scope) {
        Predicate<Object, Object> start = null;
        if (scope.from() != Long.MIN_VALUE || scope.to() != Long.MAX_VALUE) {
            // A block holding a window that starts at `from` or later starts no earlier than that window's block.
            long blockFrom = scope.from() == Long.MIN_VALUE ? Long.MIN_VALUE
                    : HistoryBlock.blockStart(tier, scope.from());
            start = range(BLOCK_START, blockFrom, scope.to());
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
