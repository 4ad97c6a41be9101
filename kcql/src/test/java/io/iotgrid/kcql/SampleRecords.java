package io.iotgrid.kcql;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

import java.io.IOException;
import java.io.UncheckedIOException;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/** One CoAP sensor reading as the seed articles show it, as JSON and as the equivalent Avro record. */
final class SampleRecords {

    static final String TOPIC = "coap_sensor_topic";
    static final String KEY = "k1";
    static final String JSON = "{\"sensor_id\":\"s1\",\"place_id\":\"p2\",\"timestamp\":1486997194029,"
            + "\"temperature\":23.6,\"payload\":{\"sensorId\":\"Sensor4\",\"message\":\"Sensor message 98\"}}";

    static final Schema PAYLOAD_SCHEMA = SchemaBuilder.record("Payload").fields()
            .requiredString("sensorId")
            .requiredString("message")
            .endRecord();
    static final Schema READING_SCHEMA = SchemaBuilder.record("Reading").namespace("coap").fields()
            .requiredString("sensor_id")
            .requiredString("place_id")
            .requiredLong("timestamp")
            .requiredDouble("temperature")
            .name("payload").type(PAYLOAD_SCHEMA).noDefault()
            .endRecord();

    private SampleRecords() {
    }

    static TopicRecord json(String topic) {
        return TopicRecord.json(topic, KEY, JSON.getBytes(UTF_8));
    }

    static TopicRecord avro(String topic) {
        GenericRecord payload = new GenericData.Record(PAYLOAD_SCHEMA);
        payload.put("sensorId", "Sensor4");
        payload.put("message", "Sensor message 98");
        GenericRecord reading = new GenericData.Record(READING_SCHEMA);
        reading.put("sensor_id", "s1");
        reading.put("place_id", "p2");
        reading.put("timestamp", 1486997194029L);
        reading.put("temperature", 23.6);
        reading.put("payload", payload);
        return new TopicRecord(topic, KEY, reading);
    }

    /** Reads back Avro bytes the way a consumer of the structure would, checking nothing is left over. */
    static GenericRecord decode(Object bytes, Schema schema) {
        assertThat(bytes).isInstanceOf(byte[].class);
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder((byte[]) bytes, null);
        try {
            GenericRecord decoded = new GenericDatumReader<GenericRecord>(schema).read(null, decoder);
            assertThat(decoder.isEnd()).as("bytes after the record").isTrue();
            return decoded;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
