package io.iotgrid.kcql;

import org.apache.avro.Schema;

/**
 * A record's value as a statement stores it, with the Avro schema its bytes follow.
 *
 * @param value  a JSON or text {@code String}, or the Avro {@code byte[]}
 * @param schema the schema of an {@link OutputFormat#AVRO} value; {@code null} for the other formats
 */
public record Formatted(Object value, Schema schema) {
}
