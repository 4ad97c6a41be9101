package io.iotgrid.core.sql;

import com.hazelcast.function.FunctionEx;
import com.hazelcast.jet.core.EventTimePolicy;
import com.hazelcast.jet.core.ProcessorMetaSupplier;
import com.hazelcast.jet.core.ProcessorSupplier;
import com.hazelcast.jet.core.Vertex;
import com.hazelcast.jet.sql.impl.connector.HazelcastRexNode;
import com.hazelcast.jet.sql.impl.connector.SqlConnector;
import com.hazelcast.spi.impl.NodeEngine;
import com.hazelcast.sql.impl.QueryException;
import com.hazelcast.sql.impl.expression.Expression;
import com.hazelcast.sql.impl.expression.ExpressionEvalContext;
import com.hazelcast.sql.impl.row.JetSqlRow;
import com.hazelcast.sql.impl.schema.MappingField;
import com.hazelcast.sql.impl.schema.Table;
import com.hazelcast.sql.impl.schema.TableField;
import com.hazelcast.sql.impl.type.QueryDataType;
import io.iotgrid.core.HistoryTier;
import io.iotgrid.core.WindowColumn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hazelcast SQL connector of the window history maps ({@link HistoryTier}): one row per window with the columns of
 * {@link WindowColumn#all()} ({@code id, window_start, window_end, early, readings, <statistic>_<measure>...}), the
 * same as the stats maps' tables, unpacked from the map's {@link io.iotgrid.core.HistoryBlock}s (a map holding
 * anything else fails the query, naming the class found). {@code io.iotgrid.core.SqlMappings} creates
 * the mappings; by hand:
 * <pre>{@code
 * CREATE OR REPLACE MAPPING sensor_stats_history_hour TYPE IotGridHistory OPTIONS ('tier' = 'hour')
 * }</pre>
 * The IMap read is the mapping's name or its {@code EXTERNAL NAME}; option {@value #OPTION_TIER} ({@code window},
 * {@code hour} or {@code day}) is required. Columns may be left out of the mapping (all of them) or listed (a
 * subset, by name, with their types); they cannot be renamed. Read-only: the job writes history.
 * <p>
 * A query runs on every member; each reads only the entries of the partitions it owns (no row twice with any
 * number of members; an entry migrating while the query runs may be missed or read twice, as with any IMap scan
 * in Hazelcast). Pushed down to the choice of entries (see {@code HistoryPushdown}): the top-level conjuncts
 * {@code id = <literal or ?>} and {@code window_start} compared ({@code =, <, <=, >, >=, BETWEEN}) with a literal or
 * {@code ?}. With a fixed id and a bounded range the blocks' keys are known ({@code id@blockStart}) and read by
 * key; otherwise a {@code localKeySet} predicate on the keys selects them without reading a value, so a time range
 * reads only the entries in it; without such conjuncts every local entry is read (see {@code HistoryEntries}). The whole predicate and the projection then
 * run on each unpacked row, on the member, before rows travel; ORDER BY, GROUP BY and joins run above the scan.
 * <p>
 * Members load the connector at start from {@code META-INF/services/com.hazelcast.sql.Connectors}: iot-grid's core
 * module must be on their class path, as on embedded members (the demo, tests, applications that start their own).
 * Members of the distribution load nothing of iot-grid at start, so there the mappings cannot be created
 * ({@code SqlMappings} says so and goes on).
 */
public final class HistorySqlConnector implements SqlConnector {

    /** The connector's type in {@code CREATE MAPPING ... TYPE IotGridHistory}. */
    public static final String TYPE_NAME = "IotGridHistory";
    /** The mapping option naming the {@link HistoryTier} of the map by its label. */
    public static final String OPTION_TIER = "tier";

    private static final Map<String, WindowColumn> COLUMNS = columnsByName();

    @Override
    public String typeName() {
        return TYPE_NAME;
    }

    @Override
    public String defaultObjectType() {
        return "IMap";
    }

    @Override
    public List<MappingField> resolveAndValidateFields(NodeEngine nodeEngine, SqlExternalResource resource,
                                                       List<MappingField> userFields) {
        tier(resource.options());
        if (userFields.isEmpty()) {
            return WindowColumn.all().stream().map(c -> new MappingField(c.name(), type(c))).toList();
        }
        List<MappingField> fields = new ArrayList<>();
        for (MappingField f : userFields) {
            WindowColumn c = COLUMNS.get(f.name());
            if (c == null) {
                throw QueryException.error("history tables have no column '" + f.name() + "'; columns: "
                        + String.join(", ", COLUMNS.keySet()));
            }
            if (f.externalName() != null && !f.externalName().equals(f.name())) {
                throw QueryException.error("history table column '" + f.name() + "' cannot take an external name");
            }
            if (!f.type().equals(type(c))) {
                throw QueryException.error("history table column '" + f.name() + "' is " + c.sqlType() + ", not "
                        + f.type().getTypeFamily());
            }
            fields.add(new MappingField(c.name(), type(c)));
        }
        return fields;
    }

    @Override
    public Table createTable(NodeEngine nodeEngine, String schemaName, String mappingName,
                             SqlExternalResource resource, List<MappingField> resolvedFields) {
        List<TableField> fields = resolvedFields.stream()
                .map(f -> new TableField(f.name(), f.type(), false)).toList();
        String[] external = resource.externalName();
        return new HistoryTable(this, schemaName, mappingName, external[external.length - 1],
                tier(resource.options()), fields, resource.objectType());
    }

    @Override
    public Vertex fullScanReader(DagBuildContext context, HazelcastRexNode predicate,
                                 List<HazelcastRexNode> projection,
                                 List<Map<String, Expression<?>>> partitionPruningCandidates,
                                 FunctionEx<ExpressionEvalContext, EventTimePolicy<JetSqlRow>> eventTimePolicy) {
        if (eventTimePolicy != null) {
            throw QueryException.error("history tables are not streams: no ordering functions over them");
        }
        HistoryTable table = context.getTable();
        List<String> columns = table.columnNames();
        HistoryScanP.Scan scan = new HistoryScanP.Scan(table.mapName(), table.tier(), columns,
                predicate == null ? null : context.convertFilter(predicate), context.convertProjection(projection),
                HistoryPushdown.of(predicate, columns.indexOf("id"), columns.indexOf("window_start"), context));
        Vertex scanner = context.getDag().newUniqueVertex("historyScan(" + table.mapName() + ')',
                ProcessorMetaSupplier.of(1, ProcessorSupplier.of(() -> new HistoryScanP(scan))));
        return scanner.localParallelism(1);
    }

    /**
     * Every expression: the scan evaluates Hazelcast's own expressions on each row, as the IMap connector does, so
     * the planner hands it the whole predicate and projection (the default keeps all but parameters above the scan,
     * and the pushdown would see nothing).
     */
    @Override
    public boolean supportsExpression(HazelcastRexNode expression) {
        return true;
    }

    @Override
    public Set<String> nonSensitiveConnectorOptions() {
        return Set.of(OPTION_TIER);
    }

    private static HistoryTier tier(Map<String, String> options) {
        String label = options.get(OPTION_TIER);
        if (label == null) {
            throw QueryException.error("a " + TYPE_NAME + " mapping needs the option '" + OPTION_TIER
                    + "' (window, hour or day)");
        }
        try {
            return HistoryTier.of(label);
        } catch (IllegalArgumentException e) {
            throw QueryException.error("option '" + OPTION_TIER + "': " + e.getMessage());
        }
    }

    private static QueryDataType type(WindowColumn c) {
        return switch (c.sqlType()) {
            case "VARCHAR" -> QueryDataType.VARCHAR;
            case "BIGINT" -> QueryDataType.BIGINT;
            case "BOOLEAN" -> QueryDataType.BOOLEAN;
            case "DOUBLE" -> QueryDataType.DOUBLE;
            default -> throw new IllegalStateException("no SQL type " + c.sqlType());
        };
    }

    private static Map<String, WindowColumn> columnsByName() {
        Map<String, WindowColumn> byName = new LinkedHashMap<>();
        WindowColumn.all().forEach(c -> byName.put(c.name(), c));
        return byName;
    }
}
