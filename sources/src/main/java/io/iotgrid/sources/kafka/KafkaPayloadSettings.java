package io.iotgrid.sources.kafka;

import io.iotgrid.core.PayloadLimit;
import io.iotgrid.core.settings.Setting;
import io.iotgrid.core.settings.SettingGroup;
import io.iotgrid.core.settings.Settings;
import io.iotgrid.core.settings.SettingsBuilder;
import io.iotgrid.core.settings.SettingsReader;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * How the values of Kafka records carry readings, the {@code kafka.payload.*} and schema keys. Avro schemas are
 * parsed when the settings are built, so a bad one fails before a job starts; they are kept as text, so a job built
 * on a client carries them to the members: the members need none of the files.
 * <pre>{@code
 * KafkaPayloadSettings.json();                                                // {"id":"s-1",...}
 * KafkaPayloadSettings.builder().set(KafkaPayloadSettings.PAYLOAD_FIELD, "payload").build(); // stream-reactor CoAP
 * KafkaPayloadSettings.avro(Path.of("reading.avsc"));
 * KafkaPayloadSettings.confluentAvroRegistry("http://registry:8081");
 * }</pre>
 */
public final class KafkaPayloadSettings extends Settings {

    private static final long serialVersionUID = 1L;

    /** Every setting of the payload format. */
    public static final SettingGroup GROUP = new SettingGroup("Kafka payload");

    public static final Setting<PayloadFormat> FORMAT = GROUP.add(Setting.of("kafka.payload.format",
            "json, connect-json, avro or confluent-avro", PayloadFormat.JSON, PayloadFormat::of, PayloadFormat::key,
            "the record value's format (docs/sources.md, Payload formats)"));
    public static final Setting<String> PAYLOAD_FIELD = GROUP.add(Setting.string("kafka.payload.field", null,
            "dotted path of a string field of the decoded value that holds the reading as JSON, e.g. `payload`")
            .require(p -> !p.startsWith(".") && !p.endsWith(".") && !p.contains(".."), "a field name or a dotted "
                    + "path").optional());
    /** The Avro schema's text, read from the file the key names. */
    public static final Setting<String> AVRO_SCHEMA = GROUP.add(Setting.of("kafka.avro.schema.file",
            "the path of an Avro schema file", null, file -> read("kafka.avro.schema.file", Path.of(file)),
            schema -> "(schema)", "`avro`: the writer and reader schema (required); `confluent-avro`: an optional "
                    + "reader schema").require(KafkaPayloadSettings::isSchema, "an Avro schema").optional());
    /** Writer schemas by id, read from the {@code <id>.avsc} files of the directory the key names. */
    public static final Setting<Map<Integer, String>> SCHEMAS_BY_ID = GROUP.add(Setting.<Map<Integer, String>>of(
            "kafka.schema.dir", "a directory of <schema id>.avsc files", Map.of(),
            dir -> readDirectory(Path.of(dir)), schemas -> "", "`confluent-avro`: a directory of `<schema id>.avsc` "
                    + "writer schemas").require(s -> s.values().stream().allMatch(KafkaPayloadSettings::isSchema),
            "Avro schemas"));
    public static final Setting<String> SCHEMA_REGISTRY_URL = GROUP.add(Setting.string("kafka.schema.registry.url",
            null, "`confluent-avro`: a Schema Registry asked `GET <url>/schemas/ids/<id>` once per id")
            .require(u -> u.startsWith("http://") || u.startsWith("https://"), "an http or https URL")
            .require(KafkaPayloadSettings::isUri, "a valid URL").optional());
    /** {@link PayloadLimit#MAX_BYTES}: a larger record value becomes a dead letter before it is decoded. */
    public static final Setting<Integer> MAX_BYTES = GROUP.add(PayloadLimit.MAX_BYTES);

    private KafkaPayloadSettings(Builder builder) {
        super(builder);
    }

    /** A builder with every setting at its default (JSON, the value being the reading). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** JSON without a schema, the record's value being the reading. */
    public static KafkaPayloadSettings json() {
        return builder().build();
    }

    /** Kafka Connect's JSON envelope, the reading being its {@code payload}. */
    public static KafkaPayloadSettings connectJson() {
        return builder().set(FORMAT, PayloadFormat.CONNECT_JSON).build();
    }

    /** Avro binary written with the schema in {@code schemaFile}. */
    public static KafkaPayloadSettings avro(Path schemaFile) {
        return builder().set(FORMAT, PayloadFormat.AVRO).set(AVRO_SCHEMA, read(AVRO_SCHEMA.key(), schemaFile))
                        .build();
    }

    /** Confluent's wire format with the writer schemas in {@code schemaDir}, one {@code <id>.avsc} file each. */
    public static KafkaPayloadSettings confluentAvro(Path schemaDir) {
        return builder().set(FORMAT, PayloadFormat.CONFLUENT_AVRO).set(SCHEMAS_BY_ID, readDirectory(schemaDir))
                        .build();
    }

    /** Confluent's wire format with the writer schemas resolved by the Schema Registry at {@code url}. */
    public static KafkaPayloadSettings confluentAvroRegistry(String url) {
        return builder().set(FORMAT, PayloadFormat.CONFLUENT_AVRO).set(SCHEMA_REGISTRY_URL, url).build();
    }

    /** Settings from properties with the keys of {@link #GROUP}; files are read now. */
    public static KafkaPayloadSettings fromProperties(Properties properties) {
        return builder().read(SettingsReader.of(properties)).build();
    }

    /** {@link #FORMAT}. */
    public PayloadFormat format() {
        return get(FORMAT);
    }

    /** {@link #PAYLOAD_FIELD}; {@code null} when the value itself is the reading. */
    public String payloadField() {
        return get(PAYLOAD_FIELD);
    }

    /** {@link #AVRO_SCHEMA}, as JSON text; {@code null} when none. */
    public String avroSchema() {
        return get(AVRO_SCHEMA);
    }

    /** {@link #SCHEMAS_BY_ID}; empty when a registry resolves them. */
    public Map<Integer, String> schemasById() {
        return get(SCHEMAS_BY_ID);
    }

    /** {@link #SCHEMA_REGISTRY_URL}; {@code null} when the ids are in {@link #schemasById()}. */
    public String schemaRegistryUrl() {
        return get(SCHEMA_REGISTRY_URL);
    }

    /** {@link #MAX_BYTES}. */
    public int maxBytes() {
        return get(MAX_BYTES);
    }

    private static boolean isSchema(String schema) {
        try {
            new Schema.Parser().parse(schema);
            return true;
        } catch (SchemaParseException | NullPointerException e) {
            return false;
        }
    }

    private static boolean isUri(String url) {
        try {
            URI.create(url);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
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
        String key = "kafka.schema.dir";
        Map<Integer, String> schemas = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.avsc")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String id = name.substring(0, name.length() - ".avsc".length());
                try {
                    schemas.put(Integer.parseInt(id), read(key, file));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(key + " must hold files named <schema id>.avsc, found '"
                            + file + "'");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(key + " cannot be read: '" + dir + "'", e);
        }
        if (schemas.isEmpty()) {
            throw new IllegalArgumentException(key + " holds no <schema id>.avsc file: '" + dir + "'");
        }
        return Map.copyOf(schemas);
    }

    /** Builds {@link KafkaPayloadSettings}; {@link #build()} checks which keys the format reads. */
    public static final class Builder extends SettingsBuilder<KafkaPayloadSettings, Builder> {

        private Builder() {
            super(GROUP);
        }

        private Builder(KafkaPayloadSettings from) {
            super(GROUP, from);
        }

        @Override
        protected void sanityCheck() {
            PayloadFormat format = get(FORMAT);
            boolean schemas = !get(SCHEMAS_BY_ID).isEmpty();
            String url = get(SCHEMA_REGISTRY_URL);
            switch (format) {
                case AVRO -> {
                    if (get(AVRO_SCHEMA) == null) {
                        throw new IllegalArgumentException(FORMAT.key() + " avro needs " + AVRO_SCHEMA.key());
                    }
                    requireNoRegistry(format, schemas, url);
                }
                case CONFLUENT_AVRO -> {
                    if (schemas == (url != null)) {
                        throw new IllegalArgumentException(FORMAT.key() + " confluent-avro needs exactly one of "
                                + SCHEMAS_BY_ID.key() + " and " + SCHEMA_REGISTRY_URL.key() + ", was "
                                + get(SCHEMAS_BY_ID).size() + " schemas and '" + url + "'");
                    }
                }
                default -> {
                    if (get(AVRO_SCHEMA) != null) {
                        throw new IllegalArgumentException(AVRO_SCHEMA.key() + " is only read by the avro and "
                                + "confluent-avro formats, not by " + FORMAT.key() + " " + format.key());
                    }
                    requireNoRegistry(format, schemas, url);
                }
            }
        }

        private static void requireNoRegistry(PayloadFormat format, boolean schemas, String url) {
            if (schemas || url != null) {
                throw new IllegalArgumentException(SCHEMAS_BY_ID.key() + " and " + SCHEMA_REGISTRY_URL.key()
                        + " are only read by the confluent-avro format, not by " + FORMAT.key() + " " + format.key());
            }
        }

        @Override
        protected KafkaPayloadSettings create() {
            return new KafkaPayloadSettings(this);
        }
    }
}
