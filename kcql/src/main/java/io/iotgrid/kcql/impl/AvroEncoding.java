package io.iotgrid.kcql.impl;

import io.iotgrid.kcql.Formatted;
import io.iotgrid.kcql.impl.RecordPaths.Selected;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Builds the Avro record a statement stores: with the schemas an Avro input declares, or with schemas inferred
 * from a JSON tree. Encodes it as a bare binary datum.
 */
public final class AvroEncoding {

    // Keeps the records made here apart from the input's named types, even where a target has the same name.
    private static final String NAMESPACE = "io.iotgrid.kcql";
    private static final Schema NULL = Schema.create(Schema.Type.NULL);
    private static final Pattern AVRO_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Compiled once: {@link #recordName} runs for every record stored as AVRO. */
    private static final Pattern NOT_IN_AVRO_NAMES = Pattern.compile("[^A-Za-z0-9_]");

    private AvroEncoding() {
    }

    /** A record name for the statement writing to {@code target}: what Avro does not allow in names becomes _. */
    public static String recordName(String target) {
        String name = NOT_IN_AVRO_NAMES.matcher(target).replaceAll("_");
        return Character.isDigit(name.charAt(0)) ? '_' + name : name;
    }

    /** A record of the selected fields, each with the schema the input record declares for it. */
    public static Schema declaredSchema(String recordName, List<Selected> selected) {
        List<Schema.Field> fields = new ArrayList<>(selected.size());
        for (Selected field : selected) {
            fields.add(new Schema.Field(avroName(field.name(), field.name()), field.schema()));
        }
        return Schema.createRecord(recordName, null, NAMESPACE, false, fields);
    }

    /** The selected fields of an Avro input, encoded with {@link #declaredSchema}. */
    public static Formatted declared(String recordName, List<Selected> selected) {
        Schema schema = declaredSchema(recordName, selected);
        GenericData.Record datum = new GenericData.Record(schema);
        for (int i = 0; i < selected.size(); i++) {
            datum.put(i, selected.get(i).value());
        }
        return new Formatted(encode(schema, datum), schema);
    }

    /** The schema {@link #inferred} gives {@code projected}. */
    public static Schema inferredSchema(String recordName, Map<String, Object> projected) {
        return inferRecord(recordName, projected, "").schema();
    }

    /**
     * {@code projected} encoded with a schema inferred from its values as {@code KcqlStatement.avroSchema} tells;
     * {@code byte[]} values become {@code bytes}, and array elements are unions with {@code null} like fields.
     *
     * @throws IllegalArgumentException if a name is not a valid Avro name, an integer does not fit a
     *                                  {@code long}, or the elements of a list differ in type
     */
    public static Formatted inferred(String recordName, Map<String, Object> projected) {
        Typed typed = inferRecord(recordName, projected, "");
        return new Formatted(encode(typed.schema(), typed.datum()), typed.schema());
    }

    private record Typed(Schema schema, Object datum) {
    }

    private static Typed inferRecord(String recordName, Map<?, ?> object, String prefix) {
        List<Schema.Field> fields = new ArrayList<>(object.size());
        List<Object> values = new ArrayList<>(object.size());
        object.forEach((key, value) -> {
            String name = String.valueOf(key);
            String path = prefix + name;
            Typed typed = infer(value, recordName + '_' + avroName(name, path), path);
            fields.add(new Schema.Field(name, nullable(typed.schema()), null, Schema.Field.NULL_DEFAULT_VALUE));
            values.add(typed.datum());
        });
        Schema schema = Schema.createRecord(recordName, null, NAMESPACE, false, fields);
        GenericData.Record datum = new GenericData.Record(schema);
        for (int i = 0; i < values.size(); i++) {
            datum.put(i, values.get(i));
        }
        return new Typed(schema, datum);
    }

    private static Typed infer(Object value, String recordName, String path) {
        if (value == null) {
            return new Typed(NULL, null);
        }
        if (value instanceof CharSequence text) {
            return new Typed(Schema.create(Schema.Type.STRING), text.toString());
        }
        if (value instanceof Boolean) {
            return new Typed(Schema.create(Schema.Type.BOOLEAN), value);
        }
        if (value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long) {
            return new Typed(Schema.create(Schema.Type.LONG), ((Number) value).longValue());
        }
        if (value instanceof BigInteger big) {
            if (big.bitLength() > Long.SIZE - 1) {
                throw new IllegalArgumentException("field '" + path + "': " + big + " does not fit an Avro long");
            }
            return new Typed(Schema.create(Schema.Type.LONG), big.longValue());
        }
        if (value instanceof Float || value instanceof Double || value instanceof BigDecimal) {
            return new Typed(Schema.create(Schema.Type.DOUBLE), ((Number) value).doubleValue());
        }
        if (value instanceof byte[] bytes) {
            return new Typed(Schema.create(Schema.Type.BYTES), ByteBuffer.wrap(bytes));
        }
        if (value instanceof Map<?, ?> object) {
            return inferRecord(recordName, object, path + '.');
        }
        if (value instanceof List<?> list) {
            return inferArray(list, recordName, path);
        }
        throw new IllegalArgumentException("field '" + path + "' holds a " + value.getClass().getName()
                + ", which has no Avro type here");
    }

    private static Typed inferArray(List<?> list, String recordName, String path) {
        Schema items = null;
        List<Object> data = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            Typed element = infer(list.get(i), recordName, path + '[' + i + ']');
            if (element.datum() != null) {
                if (items == null) {
                    items = element.schema();
                } else if (!items.equals(element.schema())) {
                    throw new IllegalArgumentException("field '" + path + "' is a list whose elements differ in "
                            + "type: element " + i + " is " + element.schema() + ", an earlier one " + items);
                }
            }
            data.add(element.datum());
        }
        return new Typed(Schema.createArray(items == null ? NULL : nullable(items)), data);
    }

    private static Schema nullable(Schema schema) {
        return schema.getType() == Schema.Type.NULL ? schema : Schema.createUnion(NULL, schema);
    }

    private static String avroName(String name, String path) {
        if (!AVRO_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("field '" + path + "' cannot be an Avro field: '" + name + "' is not "
                    + "made of letters, digits and _ starting with a letter or _ (rename it with AS)");
        }
        return name;
    }

    private static byte[] encode(Schema schema, Object datum) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            new GenericDatumWriter<>(schema).write(datum, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            // Avro reports a null in a non-nullable field as a NullPointerException: the record is at fault.
            throw new IllegalArgumentException("cannot encode as Avro record " + schema.getName() + ": "
                    + e.getMessage(), e);
        }
        return out.toByteArray();
    }
}
