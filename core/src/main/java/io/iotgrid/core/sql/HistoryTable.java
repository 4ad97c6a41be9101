package io.iotgrid.core.sql;

import com.hazelcast.jet.sql.impl.connector.SqlConnector;
import com.hazelcast.jet.sql.impl.schema.JetTable;
import com.hazelcast.sql.impl.optimizer.PlanObjectKey;
import com.hazelcast.sql.impl.schema.ConstantTableStatistics;
import com.hazelcast.sql.impl.schema.TableField;
import io.iotgrid.core.HistoryTier;

import java.util.List;

/** A history table: the IMap it reads, the tier of its windows and its columns, in the mapping's order. */
final class HistoryTable extends JetTable {

    /** Identifies the table in the plan cache: a plan stays valid while map, tier and columns stay the same. */
    private record Key(String schema, String name, String mapName, HistoryTier tier, List<TableField> fields)
            implements PlanObjectKey {
    }

    private final String mapName;
    private final HistoryTier tier;

    HistoryTable(SqlConnector connector, String schema, String name, String mapName, HistoryTier tier,
                 List<TableField> fields, String objectType) {
        // The row count is unknown without reading the map; the planner has no choice to make for a single scan.
        super(connector, fields, schema, name, new ConstantTableStatistics(0), objectType, false);
        this.mapName = mapName;
        this.tier = tier;
    }

    String mapName() {
        return mapName;
    }

    HistoryTier tier() {
        return tier;
    }

    List<String> columnNames() {
        return getFields().stream().map(TableField::getName).toList();
    }

    @Override
    public PlanObjectKey getObjectKey() {
        return new Key(getSchemaName(), getSqlName(), mapName, tier, getFields());
    }
}
