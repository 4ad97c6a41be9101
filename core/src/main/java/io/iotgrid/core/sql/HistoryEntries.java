package io.iotgrid.core.sql;

import com.hazelcast.query.Predicate;
import com.hazelcast.query.Predicates;
import io.iotgrid.core.HistoryTier;
import io.iotgrid.core.WindowStats;

import java.util.ArrayList;
import java.util.List;

/**
 * What a history IMap entry holds, for the connector: the windows it unpacks into and the attributes a predicate
 * selects entries by. Today an entry is one {@link WindowStats} (key {@code id@windowStart}), found by its
 * {@code windowStart}; the one class to change when entries become packed blocks.
 */
final class HistoryEntries {

    /** The entry attribute ranged over: the start of the first window an entry can hold. */
    static final String START_ATTRIBUTE = "windowStart";
    /** The entry attribute holding the sensor or place id. */
    static final String ID_ATTRIBUTE = "id";

    private HistoryEntries() {
    }

    /** The windows of the entry values {@code values}, each entry's in ascending order of start. */
    static List<WindowStats> windows(Iterable<Object> values) {
        List<WindowStats> windows = new ArrayList<>();
        for (Object value : values) {
            if (!(value instanceof WindowStats w)) {
                throw new IllegalStateException("a history map holds WindowStats, found "
                        + (value == null ? "null" : value.getClass().getName()));
            }
            windows.add(w);
        }
        return windows;
    }

    /**
     * The predicate selecting every entry of {@code tier} that can hold a window of {@code scope}, or null when
     * every entry can (a full scan needs no predicate).
     */
    static Predicate<Object, Object> predicate(HistoryTier tier, HistoryScope scope) {
        List<Predicate<Object, Object>> parts = new ArrayList<>();
        if (scope.id() != null) {
            parts.add(Predicates.equal(ID_ATTRIBUTE, scope.id()));
        }
        // An entry is one window: its start is the window's start.
        if (scope.from() != Long.MIN_VALUE && scope.to() != Long.MAX_VALUE) {
            parts.add(Predicates.between(START_ATTRIBUTE, scope.from(), scope.to()));
        } else if (scope.from() != Long.MIN_VALUE) {
            parts.add(Predicates.greaterEqual(START_ATTRIBUTE, scope.from()));
        } else if (scope.to() != Long.MAX_VALUE) {
            parts.add(Predicates.lessEqual(START_ATTRIBUTE, scope.to()));
        }
        if (parts.isEmpty()) {
            return null;
        }
        @SuppressWarnings("unchecked")
        Predicate<Object, Object>[] array = parts.toArray(new Predicate[0]);
        return parts.size() == 1 ? parts.get(0) : Predicates.and(array);
    }
}
