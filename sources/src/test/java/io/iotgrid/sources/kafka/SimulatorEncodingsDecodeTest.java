package io.iotgrid.sources.kafka;

import io.iotgrid.core.DeadLetter;
import io.iotgrid.core.ReadingFormat;
import io.iotgrid.core.SensorReading;
import io.iotgrid.simulator.KafkaEncoding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the simulator writes in each encoding decodes back to the reading with the settings its docs give. */
class SimulatorEncodingsDecodeTest {

    private static final SensorReading READING = new SensorReading("s-3", "p-1", 1_700_000_000_321L,
            21.37, 48.5, 1012.25, 300.0);

    @ParameterizedTest
    @EnumSource(KafkaEncoding.class)
    void when_simulatorEncodes_then_decoderGivesTheSameReading(KafkaEncoding encoding) {
        byte[] value = encoding.encode(READING, 7, 42);

        assertThat(new KafkaPayloadDecoder(settings(encoding), ReadingFormat.nested()).decode("t", 0, 0, null, value, 0))
                .isEqualTo(READING);
    }

    @ParameterizedTest
    @EnumSource(KafkaEncoding.class)
    void when_simulatorSendsBadPayloads_then_decoderGivesDeadLetters(KafkaEncoding encoding) {
        KafkaPayloadDecoder decoder = new KafkaPayloadDecoder(settings(encoding), ReadingFormat.nested());

        // Odd and even sequence numbers: the two kinds of malformed payload.
        for (long seq : new long[]{7, 8}) {
            assertThat(decoder.decode("t", 0, seq, null, encoding.encodeBad(READING, seq, 42), 0))
                    .as("seq %d", seq).isInstanceOf(DeadLetter.class);
        }
    }

    /** The payload settings the simulator's docs give for {@code encoding}. */
    static KafkaPayloadSettings settings(KafkaEncoding encoding) {
        return switch (encoding) {
            case JSON -> KafkaPayloadSettings.json();
            case CONNECT_JSON -> KafkaPayloadSettings.connectJson();
            case JSON_IN_FIELD -> KafkaPayloadSettings.builder().set(KafkaPayloadSettings.PAYLOAD_FIELD, "payload").build();
            case AVRO -> KafkaPayloadSettings.builder().set(KafkaPayloadSettings.FORMAT, PayloadFormat.AVRO)
                    .set(KafkaPayloadSettings.AVRO_SCHEMA, KafkaEncoding.AVRO_SCHEMA).build();
            case CONFLUENT_AVRO -> KafkaPayloadSettings.builder().set(KafkaPayloadSettings.FORMAT, PayloadFormat.CONFLUENT_AVRO)
                    .set(KafkaPayloadSettings.SCHEMAS_BY_ID, Map.of(42, KafkaEncoding.AVRO_SCHEMA)).build();
        };
    }
}
