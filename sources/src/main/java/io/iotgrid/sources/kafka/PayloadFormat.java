package io.iotgrid.sources.kafka;

/**
 * How the value of a Kafka record carries a reading. Every format ends in the same {@code SensorReading}: the
 * decoded document is read with the job's {@code ReadingFormat} paths, optionally after taking a JSON document out
 * of a string field ({@link KafkaPayloadSettings#payloadField()}).
 */
public enum PayloadFormat {

    /** JSON without a schema, as bytes or as a UTF-8 string: {@code {"id":"s-1","timestamp":...,"payload":{...}}}. */
    JSON("json"),
    /**
     * Kafka Connect's {@code JsonConverter} with {@code schemas.enable=true}:
     * {@code {"schema":{...},"payload":{...}}}; the reading is read from {@code payload}.
     */
    CONNECT_JSON("connect-json"),
    /** Avro binary without any header, written with the schema of {@link KafkaPayloadSettings#avroSchema()}. */
    AVRO("avro"),
    /**
     * Confluent's wire format: magic byte 0, a 4-byte big-endian schema id, then Avro binary written with that
     * schema, resolved from a directory or a Schema Registry.
     */
    CONFLUENT_AVRO("confluent-avro");

    private final String key;

    PayloadFormat(String key) {
        this.key = key;
    }

    /** The name in properties files and on command lines, e.g. {@code connect-json}. */
    public String key() {
        return key;
    }

    /** The format named {@code key}; the message of a bad name lists the good ones. */
    public static PayloadFormat of(String key) {
        for (PayloadFormat f : values()) {
            if (f.key.equals(key)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown payload format '" + key
                + "', expected json, connect-json, avro or confluent-avro");
    }
}
