package io.iotgrid.sources.kafka;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Payloads written with Avro's and plain string APIs, independently of the decoder under test. */
final class TestPayloads {

    static final String SENSOR = "s-1";
    static final String PLACE = "p-2";
    static final long TIMESTAMP = 1_700_000_000_123L;
    static final double TEMPERATURE = 21.5;
    static final double HUMIDITY = 40.25;

    /** The reading in the nested format, as a sensor sends it. */
    static final String NESTED = "{\"id\":\"s-1\",\"name\":\"sensor s-1\",\"place_id\":\"p-2\",\"timestamp\":1700000000123,"
            + "\"payload\":{\"temperature\":21.5,\"humidity\":40.25}}";

    private TestPayloads() {
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Path resource(String name) {
        try {
            return Paths.get(TestPayloads.class.getResource("/kafka/" + name).toURI());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Schema schema(String name) {
        try {
            return new Schema.Parser().parse(Files.readString(resource(name)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kafka Connect JsonConverter's envelope around {@link #NESTED}. */
    static String connectEnvelope(String payload) {
        return "{\"schema\":{\"type\":\"struct\",\"optional\":false,\"fields\":["
                + "{\"field\":\"id\",\"type\":\"string\"},{\"field\":\"place_id\",\"type\":\"string\"},"
                + "{\"field\":\"timestamp\",\"type\":\"int64\"},{\"field\":\"payload\",\"type\":\"struct\",\"fields\":["
                + "{\"field\":\"temperature\",\"type\":\"double\"},{\"field\":\"humidity\",\"type\":\"double\"}]}]},"
                + "\"payload\":" + payload + "}";
    }

    /** A stream-reactor CoAP source record: the sensor's JSON as a string in {@code payload}. */
    static String coapSourceRecord(String sensorJson) {
        return "{\"message_id\":17,\"type\":\"CON\",\"code\":\"2.05\",\"raw_code\":69,\"rtt\":12,\"is_last\":false,"
                + "\"is_notification\":true,\"source\":\"127.0.0.1:5683\",\"destination\":\"\",\"timestamp\":1700000000999,"
                + "\"token\":\"a1b2\",\"is_duplicate\":false,\"payload\":" + quote(sensorJson) + "}";
    }

    static String quote(String s) {
        return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + '"';
    }

    /** The reading as an Avro record of {@code schema} (reading.avsc or reading-v2.avsc). */
    static GenericRecord avroReading(Schema schema) {
        Schema measuresSchema = schema.getField("payload").schema();
        GenericRecord measures = new GenericData.Record(measuresSchema);
        measures.put("temperature", TEMPERATURE);
        measures.put("humidity", HUMIDITY);
        if (measuresSchema.getField("pressure") != null) {
            measures.put("pressure", 1013.0);
        }
        GenericRecord reading = new GenericData.Record(schema);
        reading.put("id", SENSOR);
        reading.put("place_id", PLACE);
        reading.put("timestamp", TIMESTAMP);
        reading.put("payload", measures);
        return reading;
    }

    static byte[] avroBinary(GenericRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Confluent's wire format: magic byte 0, the schema id big-endian, then the Avro binary. */
    static byte[] confluent(int schemaId, byte[] avro) {
        return ByteBuffer.allocate(5 + avro.length).put((byte) 0).putInt(schemaId).put(avro).array();
    }
}
