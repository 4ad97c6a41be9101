package io.iotgrid.core.sql;

/**
 * The windows a query can match, as far as its predicate says: one id or any ({@code null}), and window starts
 * from {@code from} to {@code to}, both inclusive ({@link Long#MIN_VALUE} and {@link Long#MAX_VALUE} when
 * unbounded). A superset of the matching rows: the full predicate still runs on every row.
 */
record HistoryScope(String id, long from, long to) {

    /** True when no window can match, e.g. {@code window_start > 10 AND window_start < 5}. */
    boolean isEmpty() {
        return from > to;
    }
}
