package io.iotgrid.core.sql;

import com.hazelcast.internal.partition.IPartitionService;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicate;
import com.hazelcast.spi.impl.NodeEngine;
import io.iotgrid.core.HistoryBlock;
import io.iotgrid.core.HistoryTier;
import io.iotgrid.core.WindowStats;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a history IMap entry holds, for the connector: the windows it unpacks into, and which of the member's
 * entries can hold a window of a {@link HistoryScope}.
 * <p>
 * An entry is a {@link HistoryBlock} keyed {@code id@blockStart} ({@link HistoryTier#key}); a history map holds
 * nothing else (one written by a version before blocks must be cleared). The key alone says which windows an entry
 * can hold, so entries are chosen by key and no value is read to choose them. For a fixed id and a bounded range
 * the keys themselves are known, {@code id@blockStart} for each block start in the range, and the entries are read
 * by key (at most {@value #MAX_KEY_LOOKUPS} blocks); otherwise a {@link BlockKeys} predicate over the member's
 * keys picks them. There is no index: keeping one cost every window's update an index removal and insertion, 6 to
 * 8 % of the aggregation job's CPU (BENCHMARKS.md 13), while choosing among the keys of a member's blocks costs
 * little beside unpacking the blocks chosen.
 */
final class HistoryEntries {

    /** Above this many blocks in a range, a fixed id's blocks are chosen by a predicate over the keys. */
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
        boolean ranged = scope.from() != Long.MIN_VALUE || scope.to() != Long.MAX_VALUE;
        if (!ranged && scope.id() == null) {
            return null;
        }
        // A block holding a window that starts at `from` or later starts no earlier than that window's block.
        long blockFrom = scope.from() == Long.MIN_VALUE ? Long.MIN_VALUE : HistoryBlock.blockStart(tier, scope.from());
        return new BlockKeys(scope.id(), blockFrom, scope.to());
    }

    /**
     * Entries whose key, {@code id@blockStart}, names {@code id} (any when null) and a block start from
     * {@code fromStart} to {@code toStart}, inclusive; reads the key only, never the value. A key of another shape
     * fails the query, naming it.
     */
    record BlockKeys(String id, long fromStart, long toStart) implements Predicate<Object, Object> {

        @Override
        public boolean apply(Map.Entry<Object, Object> entry) {
            String key = String.valueOf(entry.getKey());
            int at = key.lastIndexOf('@');
            long start;
            try {
                if (at < 0) {
                    throw new NumberFormatException("no '@'");
                }
                start = Long.parseLong(key, at + 1, key.length(), 10);
            } catch (NumberFormatException e) {
                throw new IllegalStateException("a history map's keys are id@blockStart (clear a map written by "
                        + "a version before blocks), found '" + key + "'");
            }
            return start >= fromStart && start <= toStart
                    && (id == null || at == id.length() && key.startsWith(id));
        }

        @Override
        public String toString() {
            return "key " + (id == null ? "*" : id) + "@[" + fromStart + ".." + toStart + ']';
        }
    }
}
