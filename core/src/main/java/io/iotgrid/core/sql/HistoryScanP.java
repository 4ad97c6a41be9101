package io.iotgrid.core.sql;

import com.hazelcast.jet.Traverser;
import com.hazelcast.jet.Traversers;
import com.hazelcast.jet.core.AbstractProcessor;
import com.hazelcast.jet.impl.util.Util;
import com.hazelcast.jet.sql.impl.ExpressionUtil;
import com.hazelcast.map.IMap;
import com.hazelcast.sql.impl.expression.Expression;
import com.hazelcast.sql.impl.expression.ExpressionEvalContext;
import com.hazelcast.sql.impl.row.JetSqlRow;
import io.iotgrid.core.HistoryTier;
import io.iotgrid.core.WindowColumn;
import io.iotgrid.core.WindowStats;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads the history entries of the member's own partitions that the {@link HistoryPushdown} lets through, unpacks
 * them into rows of the table's columns and emits those the query's predicate keeps, projected. One per member:
 * the partitions of a map are split between members, so every entry is read once. Not cooperative: reading the
 * map blocks.
 */
final class HistoryScanP extends AbstractProcessor {

    /** Entries read per {@code getAll}: bounds the rows held at once, whatever the range. */
    static final int BATCH = 256;

    /** Everything a scan needs, sent with the query to each member. */
    record Scan(String mapName, HistoryTier tier, List<String> columns, Expression<Boolean> filter,
                List<Expression<?>> projection, HistoryPushdown pushdown) implements Serializable {
    }

    private final Scan scan;
    private Traverser<JetSqlRow> rows;

    HistoryScanP(Scan scan) {
        this.scan = scan;
    }

    @Override
    public boolean isCooperative() {
        return false;
    }

    @Override
    protected void init(Context context) {
        ExpressionEvalContext eval = ExpressionEvalContext.from(context);
        IMap<Object, Object> map = context.hazelcastInstance().getMap(scan.mapName());
        Set<Object> keys = HistoryEntries.localKeys(map, Util.getNodeEngine(context.hazelcastInstance()),
                scan.tier(), scan.pushdown().scope(eval));
        Map<String, WindowColumn> byName = WindowColumn.all().stream()
                .collect(Collectors.toMap(WindowColumn::name, Function.identity()));
        WindowColumn[] columns = scan.columns().stream().map(byName::get).toArray(WindowColumn[]::new);
        Iterator<List<Object>> batches = batches(keys);
        rows = Traversers.traverseIterator(batches)
                .flatMap(batch -> Traversers.traverseIterable(
                        HistoryEntries.windows(map.getAll(Set.copyOf(batch)).values()))
                        .map(w -> row(w, columns, eval))
                        // null when the predicate rejects the row: map drops it.
                        .map(row -> ExpressionUtil.evaluate(scan.filter(), scan.projection(), row, eval)));
    }

    @Override
    public boolean complete() {
        return emitFromTraverser(rows);
    }

    private static JetSqlRow row(WindowStats w, WindowColumn[] columns, ExpressionEvalContext eval) {
        Object[] values = new Object[columns.length];
        for (int i = 0; i < columns.length; i++) {
            values[i] = columns[i].value(w);
        }
        return new JetSqlRow(eval.getSerializationService(), values);
    }

    private static Iterator<List<Object>> batches(Set<Object> keys) {
        Iterator<Object> it = keys.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public List<Object> next() {
                List<Object> batch = new ArrayList<>(BATCH);
                while (it.hasNext() && batch.size() < BATCH) {
                    batch.add(it.next());
                }
                return batch;
            }
        };
    }
}
