package io.iotgrid.kcql;

import io.iotgrid.kcql.impl.RecordPaths;

import java.io.Serializable;

/**
 * One field of a KCQL {@code SELECT} list, e.g. {@code payload.sensorId} or {@code temperature AS temp}.
 *
 * @param path  the field's name in the record, with dots for nested fields ({@code payload.sensorId})
 * @param alias the name given with {@code AS}, or {@code null} when there is none
 */
public record FieldSelection(String path, String alias) implements Serializable {

    public FieldSelection {
        RecordPaths.requirePath("a selected field", path);
        if (alias != null && alias.isBlank()) {
            throw new IllegalArgumentException("the alias of field '" + path + "' must not be blank");
        }
    }

    /** The name the field gets in the output: its alias, otherwise the last segment of its path. */
    public String outputName() {
        return alias != null ? alias : path.substring(path.lastIndexOf('.') + 1);
    }
}
