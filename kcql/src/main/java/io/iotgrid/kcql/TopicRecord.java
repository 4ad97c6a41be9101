package io.iotgrid.kcql;

import io.iotgrid.kcql.impl.Json;
import org.apache.avro.generic.GenericRecord;

import java.util.Map;
import java.util.Objects;

/**
 * One record read from a topic, decoded the way a Kafka Connect converter would: the value is either a JSON
 * object tree ({@code Map<String, Object>} whose values are {@code String}, {@code Number}, {@code Boolean},
 * {@code null}, {@code Map} or {@code List}) or an Avro {@link GenericRecord}. A {@code null} value is a
 * tombstone, which every statement rejects when it projects it.
 * <p>
 * Not {@code Serializable}: Hazelcast sends it between members with its zero-configuration Compact serializer.
 *
 * @param topic the topic the record was read from; it chooses the statements that apply ({@link
 *              KcqlStatement#source()})
 * @param key   the record's key, any object or {@code null}
 * @param value a JSON object tree, a {@code GenericRecord} or {@code null}
 */
public record TopicRecord(String topic, Object key, Object value) {

    public TopicRecord {
        Objects.requireNonNull(topic, "topic");
        if (value != null && !(value instanceof Map) && !(value instanceof GenericRecord)) {
            throw new IllegalArgumentException("the value of a record from topic " + topic + " must be a JSON "
                    + "object tree (Map) or an Avro GenericRecord, was " + value.getClass().getName());
        }
    }

    /**
     * A record whose value is parsed from {@code json}, which must hold one JSON object, e.g.
     * {@code TopicRecord.json("coap_sensor_topic", null, "{\"sensor_id\":\"s1\"}".getBytes(UTF_8))}. Objects
     * become {@code LinkedHashMap}s in document order, integers {@code Integer}, {@code Long} or
     * {@code BigInteger}, other numbers {@code Double}.
     *
     * @throws IllegalArgumentException if {@code json} is not one JSON object (malformed, another kind of value
     *                                  at the root, trailing content or a name twice in one object); the
     *                                  message says why, for a dead letter
     */
    public static TopicRecord json(String topic, Object key, byte[] json) {
        Objects.requireNonNull(topic, "topic");
        return new TopicRecord(topic, key, Json.readObject(json, "record from topic " + topic));
    }
}
