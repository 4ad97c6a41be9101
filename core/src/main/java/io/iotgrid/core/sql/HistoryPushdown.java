package io.iotgrid.core.sql;

import com.hazelcast.jet.sql.impl.connector.HazelcastRexNode;
import com.hazelcast.jet.sql.impl.connector.SqlConnector.DagBuildContext;
import com.hazelcast.shaded.com.google.common.collect.BoundType;
import com.hazelcast.shaded.com.google.common.collect.Range;
import com.hazelcast.shaded.org.apache.calcite.plan.RelOptUtil;
import com.hazelcast.shaded.org.apache.calcite.rex.RexCall;
import com.hazelcast.shaded.org.apache.calcite.rex.RexDynamicParam;
import com.hazelcast.shaded.org.apache.calcite.rex.RexInputRef;
import com.hazelcast.shaded.org.apache.calcite.rex.RexLiteral;
import com.hazelcast.shaded.org.apache.calcite.rex.RexNode;
import com.hazelcast.shaded.org.apache.calcite.sql.SqlKind;
import com.hazelcast.shaded.org.apache.calcite.util.Sarg;
import com.hazelcast.sql.impl.expression.Expression;
import com.hazelcast.sql.impl.expression.ExpressionEvalContext;
import com.hazelcast.sql.impl.row.EmptyRow;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of a query's predicate the history connector pushes down to the choice of IMap entries: the top-level
 * conjuncts {@code id = <constant>} and {@code window_start <op> <constant>} ({@code =, <, <=, >, >=}, either side,
 * and the ranges Calcite folds literal bounds into, e.g. {@code BETWEEN}), where a constant is a literal or a
 * {@code ?} parameter. Anything else (OR, functions of the columns, other columns) is left to the full predicate,
 * which runs on every unpacked row anyway: the pushdown only narrows which entries are read, never which rows are
 * returned. Parameters are known only when the query runs, so bounds are kept as expressions and evaluated by
 * {@link #scope(ExpressionEvalContext)} on each member.
 */
final class HistoryPushdown implements Serializable {

    private static final long serialVersionUID = 1L;

    /** A pushed-down conjunct: the constant side as an expression, or already a number (folded ranges). */
    private record Bound(Kind kind, Expression<?> value, Long constant) implements Serializable {
    }

    private enum Kind { ID_EQUALS, START_FROM, START_TO, START_ABOVE, START_BELOW, START_EQUALS }

    private final List<Bound> bounds;

    private HistoryPushdown(List<Bound> bounds) {
        this.bounds = bounds;
    }

    /** No pushdown: every entry is read. */
    static HistoryPushdown none() {
        return new HistoryPushdown(List.of());
    }

    /**
     * The pushdown of {@code predicate} (null: none) over a table whose {@code id} and {@code window_start} columns
     * are at {@code idIndex} and {@code startIndex} (-1 when the mapping lacks them).
     */
    static HistoryPushdown of(HazelcastRexNode predicate, int idIndex, int startIndex, DagBuildContext context) {
        if (predicate == null) {
            return none();
        }
        List<Bound> bounds = new ArrayList<>();
        for (RexNode conjunct : RelOptUtil.conjunctions(predicate.unwrap(RexNode.class))) {
            if (!(conjunct instanceof RexCall call)) {
                continue;
            }
            if (call.getKind() == SqlKind.SEARCH) {
                search(call, startIndex, bounds);
                continue;
            }
            if (call.getOperands().size() != 2) {
                continue;
            }
            RexNode left = call.getOperands().get(0);
            RexNode right = call.getOperands().get(1);
            SqlKind kind = call.getKind();
            if (!(left instanceof RexInputRef) && right instanceof RexInputRef) {
                RexNode swap = left;
                left = right;
                right = swap;
                kind = kind.reverse();
            }
            if (!(left instanceof RexInputRef ref) || !isConstant(right)) {
                continue;
            }
            Kind pushed = ref.getIndex() == idIndex ? (kind == SqlKind.EQUALS ? Kind.ID_EQUALS : null)
                    : ref.getIndex() == startIndex ? startKind(kind) : null;
            if (pushed != null) {
                Expression<?> value = context.convertProjection(List.of(HazelcastRexNode.wrap(right))).get(0);
                bounds.add(new Bound(pushed, value, null));
            }
        }
        return new HistoryPushdown(List.copyOf(bounds));
    }

    /** The windows the query can match, with its parameters evaluated. */
    HistoryScope scope(ExpressionEvalContext eval) {
        String id = null;
        long from = Long.MIN_VALUE;
        long to = Long.MAX_VALUE;
        for (Bound b : bounds) {
            Object value = b.constant() != null ? b.constant() : b.value().eval(EmptyRow.INSTANCE, eval);
            if (b.kind() == Kind.ID_EQUALS) {
                if (value instanceof String s) {
                    id = s;
                }
                continue;
            }
            if (!(value instanceof Long || value instanceof Integer || value instanceof Short
                    || value instanceof Byte)) {
                // NULL (no row matches, the full predicate says so) or not a whole number: no narrowing.
                continue;
            }
            long v = ((Number) value).longValue();
            switch (b.kind()) {
                case START_FROM -> from = Math.max(from, v);
                // Nothing is above the largest long or below the smallest: an empty scope.
                case START_ABOVE -> from = v == Long.MAX_VALUE ? v : Math.max(from, v + 1);
                case START_TO -> to = Math.min(to, v);
                case START_BELOW -> to = v == Long.MIN_VALUE ? v : Math.min(to, v - 1);
                case START_EQUALS -> {
                    from = Math.max(from, v);
                    to = Math.min(to, v);
                }
                default -> throw new IllegalStateException(b.kind().name());
            }
            if (b.kind() == Kind.START_ABOVE && v == Long.MAX_VALUE
                    || b.kind() == Kind.START_BELOW && v == Long.MIN_VALUE) {
                return new HistoryScope(id, 1, 0);
            }
        }
        return new HistoryScope(id, from, to);
    }

    @Override
    public String toString() {
        return "HistoryPushdown" + bounds.stream().map(b -> b.kind().name()).toList();
    }

    private static Kind startKind(SqlKind kind) {
        return switch (kind) {
            case EQUALS -> Kind.START_EQUALS;
            case GREATER_THAN -> Kind.START_ABOVE;
            case GREATER_THAN_OR_EQUAL -> Kind.START_FROM;
            case LESS_THAN -> Kind.START_BELOW;
            case LESS_THAN_OR_EQUAL -> Kind.START_TO;
            default -> null;
        };
    }

    /** A literal, a {@code ?} parameter, or a cast of one. */
    private static boolean isConstant(RexNode node) {
        if (node instanceof RexLiteral || node instanceof RexDynamicParam) {
            return true;
        }
        return node instanceof RexCall call && call.getKind() == SqlKind.CAST && call.getOperands().size() == 1
                && isConstant(call.getOperands().get(0));
    }

    /** {@code SEARCH(window_start, Sarg[...])}, Calcite's form of literal ranges: bounded by the span of its ranges. */
    private static void search(RexCall call, int startIndex, List<Bound> bounds) {
        if (!(call.getOperands().get(0) instanceof RexInputRef ref) || ref.getIndex() != startIndex
                || !(call.getOperands().get(1) instanceof RexLiteral literal)) {
            return;
        }
        Sarg<?> sarg = literal.getValueAs(Sarg.class);
        if (sarg == null || sarg.rangeSet.isEmpty()) {
            return;
        }
        Range<?> span = sarg.rangeSet.span();
        if (span.hasLowerBound() && span.lowerEndpoint() instanceof BigDecimal low) {
            boolean open = span.lowerBoundType() == BoundType.OPEN;
            // Rounding up keeps every whole window start the range admits.
            BigDecimal first = low.setScale(0, RoundingMode.CEILING);
            if (open && first.compareTo(low) == 0) {
                first = first.add(BigDecimal.ONE);
            }
            bounds.add(new Bound(Kind.START_FROM, null, clamp(first)));
        }
        if (span.hasUpperBound() && span.upperEndpoint() instanceof BigDecimal high) {
            boolean open = span.upperBoundType() == BoundType.OPEN;
            BigDecimal last = high.setScale(0, RoundingMode.FLOOR);
            if (open && last.compareTo(high) == 0) {
                last = last.subtract(BigDecimal.ONE);
            }
            bounds.add(new Bound(Kind.START_TO, null, clamp(last)));
        }
    }

    private static long clamp(BigDecimal value) {
        return value.max(BigDecimal.valueOf(Long.MIN_VALUE)).min(BigDecimal.valueOf(Long.MAX_VALUE)).longValue();
    }
}
