package io.iotgrid.sources.kafka;

import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * How the values of Kafka records carry readings, validated when built (Avro schemas are parsed here, so a bad
 * one fails before a job starts). Schemas are kept as text, so a job built on a client carries them to the members:
 * the members need none of the files.
 * <pre>{@code
 * KafkaPayloadSettings.json();                                      // {"id":"s-1",...}
 * KafkaPayloadSettings.json().withPayloadField("payload");          // stream-reactor CoAP records
 * KafkaPayloadSettings.avro(Path.of("reading.avsc"));
 * KafkaPayloadSettings.confluentAvroRegistry("http://registry:8081");
 * }</pre>
 *
 * @param format            the value's format; default {@link PayloadFormat#JSON}
 * @param payloadField      dotted path of a string field of the decoded value that holds the reading as a JSON
 *                          document, e.g. {@code payload}; {@code null} (default) when the value itself is the
 *                          reading
 * @param avroSchema        Avro schema (JSON text): the writer and reader schema of {@link PayloadFormat#AVRO}
 *                          (required there); with {@link PayloadFormat#CONFLUENT_AVRO} an optional reader schema
 *                          the writer's schema is resolved to; otherwise {@code null}
 * @param schemasById       {@link PayloadFormat#CONFLUENT_AVRO}: writer schemas by id, e.g. read from a directory of
 *                          {@code <id>.avsc} files; empty when a registry resolves them
 * @param schemaRegistryUrl {@link PayloadFormat#CONFLUENT_AVRO}: base URL of a Schema Registry, asked
 *                          {@code GET <url>/schemas/ids/<id>} once per id; {@code null} when the ids are in
 *                          {@code schemasById}
 */
public record KafkaPayloadSettings(PayloadFormat format, String payloadField, String avroSchema,
                                   Map<Integer, String> schemasById, String schemaRegistryUrl)
        implements Serializable {

    /** Property key of {@link #format()}, e.g. {@code json} (default), {@code connect-json}, {@code avro}. */
    public static final String FORMAT_KEY = "kafka.payload.format";
    /** Property key of {@link #payloadField()}. */
    public static final String PAYLOAD_FIELD_KEY = "kafka.payload.field";
    /** Property key of the file of {@link #avroSchema()}. */
    public static final String AVRO_SCHEMA_FILE_KEY = "kafka.avro.schema.file";
    /** Property key of the directory of {@code <id>.avsc} files behind {@link #schemasById()}. */
    public static final String SCHEMA_DIR_KEY = "kafka.schema.dir";
    /** Property key of {@link #schemaRegistryUrl()}. */
    public static final String SCHEMA_REGISTRY_URL_KEY = "kafka.schema.registry.url";

    public KafkaPayloadSettings {
        if (format == null) {
            throw new IllegalArgumentException("format must not be null");
        }
        if (payloadField != null && (payloadField.isBlank() || payloadField.startsWith(".")
                || payloadField.endsWith(".") || payloadField.contains(".."))) {
            throw new IllegalArgumentException("payloadField must be a field name or a dotted path, was '"
                    + payloadField + "'");
        }
        schemasById = schemasById == null ? Map.of() : Map.copyOf(schemasById);
        if (avroSchema != null) {
            parse("avroSchema", avroSchema);
        }
        schemasById.forEach((id, schema) -> parse("schemasById[" + id + "]", schema));
        switch (format) {
            case AVRO -> {
                if (avroSchema == null) {
                    throw new IllegalArgumentException("format avro needs avroSchema (" + AVRO_SCHEMA_FILE_KEY + ")");
                }
                requireNoRegistry(format, schemasById, schemaRegistryUrl);
            }
            case CONFLUENT_AVRO -> {
                if (schemasById.isEmpty() == (schemaRegistryUrl == null)) {
                    throw new IllegalArgumentException("format confluent-avro needs exactly one of schemasById ("
                            + SCHEMA_DIR_KEY + ") and schemaRegistryUrl (" + SCHEMA_REGISTRY_URL_KEY + "), was "
                            + schemasById.size() + " schemas and '" + schemaRegistryUrl + "'");
                }
                if (schemaRegistryUrl != null) {
                    URI uri = URI.create(schemaRegistryUrl);
                    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                        throw new IllegalArgumentException("schemaRegistryUrl must be an http or https URL, was '"
                                + schemaRegistryUrl + "'");
                    }
                }
            }
            default -> {
                if (avroSchema != null) {
                    throw new IllegalArgumentException("avroSchema is only read by the avro and confluent-avro "
                            + "formats, not by " + format.key());
                }
                requireNoRegistry(format, schemasById, schemaRegistryUrl);
            }
        }
    }

    /** JSON without a schema, the record's value being the reading. */
    public static KafkaPayloadSettings json() {
        return new KafkaPayloadSettings(PayloadFormat.JSON, null, null, Map.of(), null);
    }

    /** Kafka Connect's JSON envelope, the reading being its {@code payload}. */
    public static KafkaPayloadSettings connectJson() {
        return new KafkaPayloadSettings(PayloadFormat.CONNECT_JSON, null, null, Map.of(), null);
    }

    /** Avro binary written with the schema in {@code schemaFile}. */
    public static KafkaPayloadSettings avro(Path schemaFile) {
        return new KafkaPayloadSettings(PayloadFormat.AVRO, null, read(AVRO_SCHEMA_FILE_KEY, schemaFile), Map.of(),
                null);
    }

    /** Confluent's wire format with the writer schemas in {@code schemaDir}, one {@code <id>.avsc} file each. */
    public static KafkaPayloadSettings confluentAvro(Path schemaDir) {
        return new KafkaPayloadSettings(PayloadFormat.CONFLUENT_AVRO, null, null, readDirectory(schemaDir), null);
    }

    /** Confluent's wire format with the writer schemas resolved by the Schema Registry at {@code url}. */
    public static KafkaPayloadSettings confluentAvroRegistry(String url) {
        return new KafkaPayloadSettings(PayloadFormat.CONFLUENT_AVRO, null, null, Map.of(), url);
    }

    /**
     * Settings from properties (keys {@value #FORMAT_KEY}, {@value #PAYLOAD_FIELD_KEY},
     * {@value #AVRO_SCHEMA_FILE_KEY}, {@value #SCHEMA_DIR_KEY}, {@value #SCHEMA_REGISTRY_URL_KEY}); files are read
     * now. Absent keys take the defaults.
     */
    public static KafkaPayloadSettings fromProperties(Properties properties) {
        PayloadFormat format = PayloadFormat.of(properties.getProperty(FORMAT_KEY, PayloadFormat.JSON.key()).trim());
        String field = blankToNull(properties.getProperty(PAYLOAD_FIELD_KEY));
        String schemaFile = blankToNull(properties.getProperty(AVRO_SCHEMA_FILE_KEY));
        String schemaDir = blankToNull(properties.getProperty(SCHEMA_DIR_KEY));
        String url = blankToNull(properties.getProperty(SCHEMA_REGISTRY_URL_KEY));
        return new KafkaPayloadSettings(format, field,
                schemaFile == null ? null : read(AVRO_SCHEMA_FILE_KEY, Path.of(schemaFile)),
                schemaDir == null ? Map.of() : readDirectory(Path.of(schemaDir)), url);
    }

    /** A copy that takes the reading out of the string field at {@code path} of the decoded value. */
    public KafkaPayloadSettings withPayloadField(String path) {
        return new KafkaPayloadSettings(format, path, avroSchema, schemasById, schemaRegistryUrl);
    }

    /** A copy with {@code avroSchema} read from {@code file}: for confluent-avro, the reader schema. */
    public KafkaPayloadSettings withAvroSchemaFile(Path file) {
        return new KafkaPayloadSettings(format, payloadField, read(AVRO_SCHEMA_FILE_KEY, file), schemasById,
                schemaRegistryUrl);
    }

    private static void requireNoRegistry(PayloadFormat format, Map<Integer, String> schemas, String url) {
        if (!schemas.isEmpty() || url != null) {
            throw new IllegalArgumentException("schemasById and schemaRegistryUrl are only read by the "
                    + "confluent-avro format, not by " + format.key());
        }
    }

    private static void parse(String key, String schema) {
        try {
            new Schema.Parser().parse(schema);
        } catch (SchemaParseException | NullPointerException e) {
            throw new IllegalArgumentException(key + " is not an Avro schema: " + e.getMessage());
        }
    }

    private static String read(String key, Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(key + " cannot be read from '" + file + "': " + e);
        }
    }

    private static Map<Integer, String> readDirectory(Path dir) {
        Map<Integer, String> schemas = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.avsc")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String id = name.substring(0, name.length() - ".avsc".length());
                try {
                    schemas.put(Integer.parseInt(id), read(SCHEMA_DIR_KEY, file));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(SCHEMA_DIR_KEY + " must hold files named <schema id>.avsc, "
                            + "found '" + file + "'");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(SCHEMA_DIR_KEY + " cannot be read: '" + dir + "'", e);
        }
        if (schemas.isEmpty()) {
            throw new IllegalArgumentException(SCHEMA_DIR_KEY + " holds no <schema id>.avsc file: '" + dir + "'");
        }
        return schemas;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
