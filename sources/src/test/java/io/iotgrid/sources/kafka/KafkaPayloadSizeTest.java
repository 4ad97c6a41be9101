package io.iotgrid.sources.kafka;

import io.iotgrid.core.DeadLetter;
import io.iotgrid.core.Decoded;
import io.iotgrid.core.PayloadLimit;
import io.iotgrid.core.ReadingFormat;
import io.iotgrid.core.SensorReading;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Properties;

import static io.iotgrid.core.testing.LargePayloads.paddedJson;
import static io.iotgrid.sources.kafka.TestPayloads.NESTED;
import static io.iotgrid.sources.kafka.TestPayloads.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/** The size limit is checked before any decoding, whatever the payload format. */
class KafkaPayloadSizeTest {

    private static final byte[] KEY = utf8("s-1");
    private static final String OPEN = NESTED.substring(0, NESTED.length() - 1);

    @Test
    void when_valueAboveLimit_then_deadLetterWithFirstBytesAndSize() {
        byte[] value = paddedJson(OPEN, 70_000);
        Decoded decoded = new KafkaPayloadDecoder(KafkaPayloadSettings.json(), ReadingFormat.nested())
                .decode("readings", 2, 40, KEY, value, 1L);

        DeadLetter dl = (DeadLetter) decoded;
        assertThat(dl.reason()).isEqualTo(PayloadLimit.reason(70_000, 65_536));
        assertThat(dl.payload()).isEqualTo(Arrays.copyOf(value, PayloadLimit.KEPT_BYTES));
        assertThat(dl.topic()).isEqualTo("readings");
        assertThat(dl.partition()).isEqualTo(2);
        assertThat(dl.offset()).isEqualTo(40);
        assertThat(dl.key()).isEqualTo(KEY);
    }

    @Test
    void when_valueAtLimit_then_decoded() {
        KafkaPayloadSettings settings = KafkaPayloadSettings.builder().set(KafkaPayloadSettings.MAX_BYTES, 2_000)
                .build();
        Decoded decoded = new KafkaPayloadDecoder(settings, ReadingFormat.nested())
                .decode("readings", 0, 0, KEY, paddedJson(OPEN, 2_000), 1L);

        assertThat(decoded).isInstanceOf(SensorReading.class);
    }

    @Test
    void when_avroValueAboveLimit_then_deadLetterBeforeDecoding() {
        KafkaPayloadSettings settings = KafkaPayloadSettings.confluentAvroRegistry("http://127.0.0.1:9")
                .toBuilder().set(KafkaPayloadSettings.MAX_BYTES, 10).build();
        // No registry listens there: a lookup would give another reason.
        Decoded decoded = new KafkaPayloadDecoder(settings, ReadingFormat.nested())
                .decode("readings", 0, 0, KEY, new byte[11], 1L);

        assertThat(((DeadLetter) decoded).reason()).isEqualTo(PayloadLimit.reason(11, 10));
    }

    @Test
    void when_limitInProperties_then_read() {
        Properties p = new Properties();
        p.setProperty("payload.max.bytes", "4096");

        assertThat(KafkaPayloadSettings.fromProperties(p).maxBytes()).isEqualTo(4096);
        assertThat(KafkaPayloadSettings.json().maxBytes()).isEqualTo(65_536);
    }
}
