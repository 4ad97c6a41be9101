package io.iotgrid.sources.kafka;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.iotgrid.core.DeadLetter;
import io.iotgrid.core.Decoded;
import io.iotgrid.core.Measure;
import io.iotgrid.core.PayloadLimit;
import io.iotgrid.core.PlausibleRange;
import io.iotgrid.core.RawReading;
import io.iotgrid.core.ReadingFormat;
import io.iotgrid.core.ReadingParser;
import io.iotgrid.sources.kafka.impl.AvroTrees;
import io.iotgrid.sources.kafka.impl.BoundedDecoder;
import io.iotgrid.sources.kafka.impl.BoundedDecoder.DeclaredLengthException;
import io.iotgrid.sources.kafka.impl.JsonTrees;
import io.iotgrid.sources.kafka.impl.JsonTrees.RepeatedFieldException;
import io.iotgrid.sources.kafka.impl.SchemaRegistryClient;
import io.iotgrid.sources.kafka.impl.SchemaRegistryClient.SchemaLookupException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decodes the value of a Kafka record into a {@code SensorReading}, or into a {@link DeadLetter} with the record's
 * topic, partition, offset, raw key and value and the reason; it never throws on bad input. Use it as the projection
 * of Hazelcast's Kafka source:
 * <pre>{@code
 * KafkaPayloadDecoder decoder = new KafkaPayloadDecoder(KafkaPayloadSettings.json(), ReadingFormat.nested());
 * p.readFrom(KafkaSources.<byte[], byte[], Decoded>kafka(props, decoder::decode, "readings"))
 * }</pre>
 * (with {@code ByteArrayDeserializer} for keys and values). The value is first decoded as its
 * {@link PayloadFormat} says, then, if {@link KafkaPayloadSettings#payloadField()} is set, the JSON document in that
 * string field is taken, and the result is read with the {@link ReadingFormat} by {@link ReadingParser}, whose
 * checks every format shares: a field given twice, a measure that is not finite (also an Avro {@code NaN} or
 * infinity) or outside its {@link PlausibleRange}, or a timestamp beyond a {@code long} makes the record a dead
 * letter whose reason names the field. A name given twice in any object of a JSON or Connect JSON value, envelope
 * included, and a key given twice in an Avro map are refused as well, since decoding would keep only one of the
 * values. Avro data that declares a string, bytes, array or map larger than the whole value is refused before
 * anything is allocated: Avro alone would allocate what a few hostile bytes declare.
 * <p>
 * A value larger than {@link KafkaPayloadSettings#maxBytes()} is not decoded at all: its dead letter holds its first
 * {@value PayloadLimit#KEPT_BYTES} bytes and its size in the reason.
 * <p>
 * Thread-safe and serializable; resolved Confluent schemas are cached per instance (the lazily built caches may be
 * built twice by racing threads, which only costs a lookup). A schema that cannot be resolved
 * (unknown id, registry unreachable) sends the record to the dead letters with that reason, so a registry outage
 * shows up there, ready to replay, instead of failing the job.
 */
public final class KafkaPayloadDecoder implements Serializable {

    private static final long serialVersionUID = 1L;
    // Trees are written back as JSON for the ReadingParser: NaN and infinities (Avro has them) as bare tokens, which
    // it reads to name the field that holds one, not as strings it would only call "not a number".
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .build();
    private static final byte CONFLUENT_MAGIC = 0;
    private static final int CONFLUENT_HEADER = 5;

    private final KafkaPayloadSettings settings;
    private final ReadingParser parser;
    // Read from the settings once: each look-up there is a map look-up, which the profile showed per record.
    private final int maxBytes;
    private final PayloadFormat format;
    private final String payloadField;
    private transient Schema avroSchema;
    private transient Map<Integer, GenericDatumReader<Object>> readers;
    private transient SchemaRegistryClient registry;
    /** {@code kafka:<topic>} by topic: the source of a {@link RawReading}, built once per topic, not per record. */
    private transient Map<String, String> sources;

    /**
     * A decoder of values in {@code settings}' format, read with {@code format}'s paths, each measure within its
     * {@link Measure#defaultPlausibleRange()}.
     */
    public KafkaPayloadDecoder(KafkaPayloadSettings settings, ReadingFormat format) {
        this(settings, new ReadingParser(format));
    }

    /** A decoder of values in {@code settings}' format, read by {@code parser} (its format and plausible ranges). */
    public KafkaPayloadDecoder(KafkaPayloadSettings settings, ReadingParser parser) {
        this.settings = settings;
        this.parser = parser;
        this.maxBytes = settings.maxBytes();
        this.format = settings.format();
        this.payloadField = settings.payloadField();
    }

    /** Decodes {@code record}, a record read with byte-array deserializers, stamped as received now. */
    public Decoded decode(ConsumerRecord<byte[], byte[]> record) {
        return decode(record.topic(), record.partition(), record.offset(), record.key(), record.value(),
                System.currentTimeMillis());
    }

    /** Decodes the value of the record at {@code topic}/{@code partition}@{@code offset}. */
    public Decoded decode(String topic, int partition, long offset, byte[] key, byte[] value, long receivedAt) {
        if (value != null && PayloadLimit.exceeds(value.length, maxBytes)) {
            return DeadLetter.ofKafka(topic, partition, offset, key, PayloadLimit.head(value), receivedAt,
                    PayloadLimit.reason(value.length, maxBytes));
        }
        String reasonPrefix = "";
        try {
            if (value == null) {
                throw new InvalidPayloadException("record has no value (a tombstone)");
            }
            byte[] document;
            if (format == PayloadFormat.JSON && payloadField == null) {
                document = value;
            } else {
                JsonNode tree = tree(value);
                if (payloadField != null) {
                    reasonPrefix = "in field '" + payloadField + "': ";
                    document = fieldDocument(tree);
                } else {
                    document = JSON.writeValueAsBytes(tree);
                }
            }
            Decoded decoded = parser.parse(new RawReading(source(topic), receivedAt, document));
            if (decoded instanceof DeadLetter dl) {
                return DeadLetter.ofKafka(topic, partition, offset, key, value, receivedAt, reasonPrefix + dl.reason());
            }
            return decoded;
        } catch (InvalidPayloadException | RepeatedFieldException | RepeatedMapKeyException e) {
            return DeadLetter.ofKafka(topic, partition, offset, key, value, receivedAt, e.getMessage());
        } catch (DeclaredLengthException e) {
            return DeadLetter.ofKafka(topic, partition, offset, key, value, receivedAt,
                    "malformed " + settings.format().key() + " value: " + e.getMessage());
        } catch (JsonProcessingException e) {
            return DeadLetter.ofKafka(topic, partition, offset, key, value, receivedAt, "malformed JSON: "
                    + e.getOriginalMessage());
        } catch (IOException | RuntimeException e) {
            // Avro reports corrupt input with EOFException, AvroRuntimeException and its subclasses, or index
            // errors from a bad union branch or enum ordinal.
            return DeadLetter.ofKafka(topic, partition, offset, key, value, receivedAt,
                    "malformed " + settings.format().key() + " value: " + e);
        }
    }

    private JsonNode tree(byte[] value) throws IOException, InvalidPayloadException {
        return switch (format) {
            case JSON -> object(readJson(value), "value");
            case CONNECT_JSON -> {
                JsonNode envelope = object(readJson(value), "value");
                if (!envelope.has("schema") || !envelope.has("payload")) {
                    throw new InvalidPayloadException("not a Kafka Connect JSON envelope: expected the fields "
                            + "'schema' and 'payload'");
                }
                yield object(envelope.get("payload"), "envelope's 'payload'");
            }
            case AVRO -> AvroTrees.toTree(readAvro(reader(-1, avroSchema()), value, 0));
            case CONFLUENT_AVRO -> {
                if (value.length < CONFLUENT_HEADER) {
                    throw new InvalidPayloadException("too short for Confluent's wire format: " + value.length
                            + " bytes, expected a magic byte, a 4-byte schema id and Avro data");
                }
                if (value[0] != CONFLUENT_MAGIC) {
                    throw new InvalidPayloadException("not Confluent's wire format: magic byte is " + value[0]
                            + ", expected 0");
                }
                int id = ByteBuffer.wrap(value, 1, 4).getInt();
                yield AvroTrees.toTree(readAvro(confluentReader(id), value, CONFLUENT_HEADER));
            }
        };
    }

    /** The JSON value in {@code value}, {@code null} when there is none; a name given twice is refused. */
    private static JsonNode readJson(byte[] value) throws IOException, InvalidPayloadException {
        try (JsonParser p = JSON.createParser(value)) {
            if (p.nextToken() == null) {
                return null;
            }
            JsonNode tree = JsonTrees.read(p);
            if (p.nextToken() != null) {
                throw new InvalidPayloadException("malformed JSON: trailing content after the value");
            }
            return tree;
        }
    }

    private byte[] fieldDocument(JsonNode tree) throws InvalidPayloadException {
        JsonNode node = tree;
        for (String part : settings.payloadField().split("\\.")) {
            node = node.isObject() ? node.get(part) : null;
            if (node == null) {
                throw new InvalidPayloadException("missing field '" + settings.payloadField() + "'");
            }
        }
        if (!node.isTextual()) {
            throw new InvalidPayloadException("field '" + settings.payloadField()
                    + "' must be a string holding a JSON document but was " + node.getNodeType().name().toLowerCase());
        }
        return node.asText().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode object(JsonNode node, String what) throws InvalidPayloadException {
        if (node == null || !node.isObject()) {
            throw new InvalidPayloadException(what + " is not a JSON object");
        }
        return node;
    }

    private static Object readAvro(GenericDatumReader<Object> reader, byte[] value, int offset) throws IOException,
            InvalidPayloadException {
        BoundedDecoder decoder = new BoundedDecoder(value, offset);
        Object datum = reader.read(null, decoder);
        if (!decoder.isEnd()) {
            throw new InvalidPayloadException("trailing bytes after the Avro record");
        }
        return datum;
    }

    private GenericDatumReader<Object> confluentReader(int id) throws InvalidPayloadException {
        GenericDatumReader<Object> cached = readers().get(id);
        if (cached != null) {
            return cached;
        }
        Schema writer;
        if (settings.schemaRegistryUrl() == null) {
            String text = settings.schemasById().get(id);
            if (text == null) {
                throw new InvalidPayloadException("schema id " + id + " is not among the configured schemas "
                        + settings.schemasById().keySet());
            }
            writer = new Schema.Parser().parse(text);
        } else {
            try {
                writer = registry().schema(id);
            } catch (SchemaLookupException e) {
                throw new InvalidPayloadException(e.getMessage());
            }
        }
        return reader(id, writer);
    }

    private GenericDatumReader<Object> reader(int id, Schema writer) {
        Schema reader = settings.format() == PayloadFormat.CONFLUENT_AVRO && settings.avroSchema() != null
                ? avroSchema() : writer;
        return readers().computeIfAbsent(id, k -> new UniqueKeysReader(writer, reader));
    }

    private Schema avroSchema() {
        if (avroSchema == null) {
            avroSchema = new Schema.Parser().parse(settings.avroSchema());
        }
        return avroSchema;
    }

    private String source(String topic) {
        Map<String, String> s = sources;
        if (s == null) {
            // Built lazily because it is transient; racing threads may each build one, which only costs a lookup.
            s = new ConcurrentHashMap<>();
            sources = s;
        }
        String source = s.get(topic);
        if (source == null) {
            source = "kafka:" + topic;
            s.putIfAbsent(topic, source);
        }
        return source;
    }

    private Map<Integer, GenericDatumReader<Object>> readers() {
        if (readers == null) {
            // Built lazily because it is transient: a deserialized decoder starts with an empty cache.
            readers = new ConcurrentHashMap<>();
        }
        return readers;
    }

    private SchemaRegistryClient registry() {
        if (registry == null) {
            registry = new SchemaRegistryClient(settings.schemaRegistryUrl());
        }
        return registry;
    }

    /**
     * Avro's reader, except that a map with a key twice is refused: Avro's binary encoding allows it, and the
     * reader would keep the last value.
     */
    private static final class UniqueKeysReader extends GenericDatumReader<Object> {

        UniqueKeysReader(Schema writer, Schema reader) {
            super(writer, reader);
        }

        @Override
        @SuppressWarnings("unchecked")
        protected void addToMap(Object map, Object key, Object value) {
            Map<Object, Object> m = (Map<Object, Object>) map;
            if (m.containsKey(key)) {
                throw new RepeatedMapKeyException("Avro map has the key '" + key + "' twice");
            }
            m.put(key, value);
        }
    }

    /** An Avro map with a key twice; unchecked, as {@link GenericDatumReader#addToMap} declares nothing. */
    private static final class RepeatedMapKeyException extends RuntimeException {
        RepeatedMapKeyException(String message) {
            super(message, null, false, false);
        }
    }

    /** Bad input; thrown often enough on a bad stream that it skips the stack trace. */
    private static final class InvalidPayloadException extends Exception {
        InvalidPayloadException(String message) {
            super(message, null, false, false);
        }
    }
}
