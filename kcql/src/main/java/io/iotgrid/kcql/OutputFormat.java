package io.iotgrid.kcql;

import io.iotgrid.kcql.impl.KcqlGrammar;

/**
 * What a statement turns the selected fields into before they are stored, named by KCQL's {@code WITHFORMAT}
 * clause (case-insensitive). When a statement has no {@code WITHFORMAT}, the format is {@link #JSON}, as in
 * stream-reactor. The kcql grammar also knows {@code PROTOBUF}, {@code BINARY}, {@code OBJECT} and {@code MAP};
 * this sink, like stream-reactor's, rejects them.
 */
public enum OutputFormat {

    /** A JSON object as a {@code String}, fields in {@code SELECT} order. */
    JSON,
    /**
     * Avro binary encoding as a {@code byte[]}: the bare datum, with neither an Avro container nor a schema
     * registry's magic byte, so readers need the schema that {@link KcqlStatement#avroSchema} gives.
     */
    AVRO,
    /**
     * A {@code String}: the text of the value when exactly one field is selected, otherwise the JSON object.
     * stream-reactor wrote JSON for {@code TEXT} in every case.
     */
    TEXT;

    /**
     * The format named {@code name}, ignoring case, e.g. {@code OutputFormat.of("avro")}.
     *
     * @throws IllegalArgumentException if no format has that name; the message lists the valid ones
     */
    public static OutputFormat of(String name) {
        return KcqlGrammar.lookup(OutputFormat.class, "WITHFORMAT", name, null);
    }
}
