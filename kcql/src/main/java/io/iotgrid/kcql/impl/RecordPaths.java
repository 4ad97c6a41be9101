package io.iotgrid.kcql.impl;

import io.iotgrid.kcql.TopicRecord;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Finds fields by dotted path in JSON object trees and Avro records alike. */
public final class RecordPaths {

    private RecordPaths() {
    }

    /**
     * A field taken from a record.
     *
     * @param name   the name it gets in the output
     * @param value  its value as the record holds it (Avro values stay Avro values)
     * @param schema the Avro schema the record declares for it; {@code null} when it comes from a JSON tree
     */
    public record Selected(String name, Object value, Schema schema) {
    }

    /** Rejects a path with an empty segment; {@code what} names it in the message. */
    public static void requirePath(String what, String path) {
        if (path == null || path.isEmpty() || path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
            throw new IllegalArgumentException(what + " must be a field name or a dotted path, was '" + path + "'");
        }
    }

    /**
     * The field at {@code path} ({@code payload.sensorId}) of the record's value, output as {@code name}.
     *
     * @throws IllegalArgumentException if the record has no value or no such field
     */
    public static Selected find(TopicRecord record, String path, String name) {
        Object current = valueOf(record);
        Schema schema = current instanceof GenericRecord avroRoot ? avroRoot.getSchema() : null;
        int start = 0;
        while (true) {
            int dot = path.indexOf('.', start);
            String segment = dot < 0 ? path.substring(start) : path.substring(start, dot);
            if (current instanceof GenericRecord avroRecord) {
                Schema.Field field = avroRecord.getSchema().getField(segment);
                if (field == null) {
                    throw notFound(path, record, "");
                }
                current = avroRecord.get(field.pos());
                schema = field.schema();
            } else if (current instanceof Map<?, ?> map) {
                Object key = keyIn(map, segment, schema != null);
                if (key == null) {
                    throw notFound(path, record, "");
                }
                current = map.get(key);
                schema = mapValueSchema(schema);
            } else {
                throw notFound(path, record, " ('" + path.substring(0, start - 1) + "' is "
                        + Json.describe(current) + ", not an object)");
            }
            if (dot < 0) {
                return new Selected(name, current, schema);
            }
            start = dot + 1;
        }
    }

    /** Every top-level field of the record's value in record order, except those named in {@code ignored}. */
    public static List<Selected> all(TopicRecord record, Collection<String> ignored) {
        Object value = valueOf(record);
        List<Selected> selected = new ArrayList<>();
        if (value instanceof GenericRecord avroRecord) {
            for (Schema.Field field : avroRecord.getSchema().getFields()) {
                if (!ignored.contains(field.name())) {
                    selected.add(new Selected(field.name(), avroRecord.get(field.pos()), field.schema()));
                }
            }
        } else {
            ((Map<?, ?>) value).forEach((key, fieldValue) -> {
                String name = String.valueOf(key);
                if (!ignored.contains(name)) {
                    selected.add(new Selected(name, fieldValue, null));
                }
            });
        }
        return selected;
    }

    /**
     * {@code value} as a JSON object tree holds it: Avro strings and enum symbols become {@code String}, records
     * and maps {@code LinkedHashMap}, arrays {@code List}, bytes and fixed {@code byte[]}; maps and lists are
     * copied, so the result shares nothing mutable with the record.
     */
    public static Object toJava(Object value) {
        if (value instanceof CharSequence || value instanceof GenericEnumSymbol<?>) {
            return value.toString();
        }
        if (value instanceof GenericRecord avroRecord) {
            Map<String, Object> fields = new LinkedHashMap<>();
            for (Schema.Field field : avroRecord.getSchema().getFields()) {
                fields.put(field.name(), toJava(avroRecord.get(field.pos())));
            }
            return fields;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, entry) -> copy.put(String.valueOf(key), toJava(entry)));
            return copy;
        }
        if (value instanceof Collection<?> items) {
            List<Object> copy = new ArrayList<>(items.size());
            items.forEach(item -> copy.add(toJava(item)));
            return copy;
        }
        if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return bytes;
        }
        if (value instanceof GenericFixed fixed) {
            return fixed.bytes().clone();
        }
        return value;
    }

    private static Object valueOf(TopicRecord record) {
        if (record.value() == null) {
            throw new IllegalArgumentException("record from topic " + record.topic() + " has no value");
        }
        return record.value();
    }

    // Avro maps read by GenericDatumReader have Utf8 keys, which never equal a String.
    private static Object keyIn(Map<?, ?> map, String name, boolean avro) {
        if (map.containsKey(name)) {
            return name;
        }
        Utf8 avroName = new Utf8(name);
        return avro && map.containsKey(avroName) ? avroName : null;
    }

    private static Schema mapValueSchema(Schema schema) {
        if (schema == null) {
            return null;
        }
        if (schema.getType() == Schema.Type.MAP) {
            return schema.getValueType();
        }
        if (schema.getType() == Schema.Type.UNION) {
            for (Schema branch : schema.getTypes()) {
                if (branch.getType() == Schema.Type.MAP) {
                    return branch.getValueType();
                }
            }
        }
        return null;
    }

    private static IllegalArgumentException notFound(String path, TopicRecord record, String detail) {
        return new IllegalArgumentException("field '" + path + "' not found in record from topic " + record.topic()
                + detail);
    }
}
