package io.iotgrid.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.iotgrid.core.Measure;
import io.iotgrid.core.SensorReading;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How {@link KafkaSensorProducer} writes a reading into a record value: each of the payload formats the Kafka flavour
 * of the aggregation job reads. The job settings that read each one are given with it ({@code kafka.payload.*} keys).
 */
public enum KafkaEncoding {

    /** The nested JSON of the CoAP simulator; read with {@code kafka.payload.format=json}. */
    JSON("json"),
    /**
     * Kafka Connect's {@code JsonConverter} envelope around the nested JSON; read with
     * {@code kafka.payload.format=connect-json}.
     */
    CONNECT_JSON("connect-json"),
    /**
     * A stream-reactor CoAP source record whose string field {@code payload} holds the nested JSON; read with
     * {@code kafka.payload.format=json} and {@code kafka.payload.field=payload}.
     */
    JSON_IN_FIELD("json-in-field"),
    /** Avro binary of {@link #AVRO_SCHEMA}; read with {@code kafka.payload.format=avro} and that schema. */
    AVRO("avro"),
    /**
     * Confluent's wire format: magic byte 0, the schema id, then Avro binary of {@link #AVRO_SCHEMA}; read with
     * {@code kafka.payload.format=confluent-avro} and that schema under the id.
     */
    CONFLUENT_AVRO("confluent-avro");

    /** The Avro schema of the {@link #AVRO} and {@link #CONFLUENT_AVRO} values (nested format, as JSON text). */
    public static final String AVRO_SCHEMA = resource("reading.avsc");

    private static final JsonFactory JSON_FACTORY = new JsonFactory();
    private static final Schema SCHEMA = new Schema.Parser().parse(AVRO_SCHEMA);
    private static final Schema MEASURES = SCHEMA.getField("payload").schema();

    private final String key;

    KafkaEncoding(String key) {
        this.key = key;
    }

    /** The name on command lines, e.g. {@code json-in-field}. */
    public String key() {
        return key;
    }

    /** The encoding named {@code key}; the message of a bad name lists the good ones. */
    public static KafkaEncoding of(String key) {
        for (KafkaEncoding e : values()) {
            if (e.key.equals(key)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown Kafka encoding '" + key
                + "', expected json, connect-json, json-in-field, avro or confluent-avro");
    }

    /** {@code reading} with sequence number {@code seq} as a record value; {@code schemaId} for confluent-avro. */
    public byte[] encode(SensorReading reading, long seq, int schemaId) {
        return switch (this) {
            case JSON -> SensorWalk.json(reading, seq);
            case CONNECT_JSON -> connectEnvelope(SensorWalk.json(reading, seq));
            case JSON_IN_FIELD -> coapSourceRecord(reading, seq, SensorWalk.json(reading, seq));
            case AVRO -> avro(reading, seq, null);
            case CONFLUENT_AVRO -> avro(reading, seq, schemaId);
        };
    }

    /**
     * {@code reading} as a record value no reader of this encoding accepts (the JSON ones with the temperature as text
     * or cut short, see {@link SensorWalk#badJson}; the Avro ones cut short), as a faulty sensor would send it.
     */
    public byte[] encodeBad(SensorReading reading, long seq, int schemaId) {
        return switch (this) {
            case JSON -> SensorWalk.badJson(reading, seq);
            case CONNECT_JSON -> connectEnvelope(SensorWalk.badJson(reading, seq));
            case JSON_IN_FIELD -> coapSourceRecord(reading, seq, SensorWalk.badJson(reading, seq));
            case AVRO, CONFLUENT_AVRO -> {
                byte[] whole = encode(reading, seq, schemaId);
                yield Arrays.copyOf(whole, whole.length / 2);
            }
        };
    }

    private static byte[] connectEnvelope(byte[] payload) {
        String schema = "{\"type\":\"struct\",\"name\":\"io.iotgrid.Reading\",\"optional\":false,\"fields\":["
                + "{\"field\":\"id\",\"type\":\"string\",\"optional\":false},"
                + "{\"field\":\"name\",\"type\":\"string\",\"optional\":false},"
                + "{\"field\":\"place_id\",\"type\":\"string\",\"optional\":false},"
                + "{\"field\":\"timestamp\",\"type\":\"int64\",\"optional\":false},"
                + "{\"field\":\"seq\",\"type\":\"int64\",\"optional\":false},"
                + "{\"field\":\"payload\",\"type\":\"struct\",\"optional\":false,\"fields\":["
                + "{\"field\":\"temperature\",\"type\":\"double\",\"optional\":true},"
                + "{\"field\":\"humidity\",\"type\":\"double\",\"optional\":true},"
                + "{\"field\":\"pressure\",\"type\":\"double\",\"optional\":true},"
                + "{\"field\":\"luminosity\",\"type\":\"double\",\"optional\":true}]}]}";
        byte[] head = ("{\"schema\":" + schema + ",\"payload\":").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + payload.length + 1];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(payload, 0, out, head.length, payload.length);
        out[out.length - 1] = '}';
        return out;
    }

    /** The record stream-reactor's CoAP source makes of a notification, with the sensor's JSON as a string. */
    private static byte[] coapSourceRecord(SensorReading reading, long seq, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(384);
        try (JsonGenerator g = JSON_FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("message_id", seq & 0xFFFF);
            g.writeStringField("type", "CON");
            g.writeStringField("code", "2.05");
            g.writeNumberField("raw_code", 69);
            g.writeNumberField("rtt", 0);
            g.writeBooleanField("is_last", false);
            g.writeBooleanField("is_notification", true);
            g.writeStringField("source", "sensors/" + reading.sensorId());
            g.writeStringField("destination", "");
            g.writeNumberField("timestamp", reading.timestamp());
            g.writeStringField("token", Long.toHexString(seq));
            g.writeBooleanField("is_duplicate", false);
            g.writeStringField("payload", new String(payload, StandardCharsets.UTF_8));
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the record of " + reading.sensorId(), e);
        }
        return out.toByteArray();
    }

    private static byte[] avro(SensorReading reading, long seq, Integer schemaId) {
        GenericRecord measures = new GenericData.Record(MEASURES);
        for (Measure m : Measure.values()) {
            measures.put(m.key(), reading.has(m) ? reading.value(m) : null);
        }
        GenericRecord record = new GenericData.Record(SCHEMA);
        record.put("id", reading.sensorId());
        record.put("name", "sensor " + reading.sensorId());
        record.put("place_id", reading.placeId());
        record.put("timestamp", reading.timestamp());
        record.put("seq", seq);
        record.put("payload", measures);
        ByteArrayOutputStream out = new ByteArrayOutputStream(96);
        if (schemaId != null) {
            out.write(0);
            out.write(schemaId >>> 24);
            out.write(schemaId >>> 16);
            out.write(schemaId >>> 8);
            out.write(schemaId);
        }
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            new GenericDatumWriter<GenericRecord>(SCHEMA).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Avro record of " + reading.sensorId(), e);
        }
        return out.toByteArray();
    }

    private static String resource(String name) {
        try (InputStream in = KafkaEncoding.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the simulator's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
