package io.iotgrid.jobs;

import io.iotgrid.core.DeadLetter;
import io.iotgrid.kcql.TopicRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class KcqlRoutingJobTest {

    @Test
    void when_valueIsJsonObject_then_recordWithTextKey() {
        var decoded = KcqlRoutingJob.decode(new ConsumerRecord<>("t", 2, 7L,
                "k-1".getBytes(StandardCharsets.UTF_8),
                "{\"sensor_id\":\"s-1\",\"t\":21.5}".getBytes(StandardCharsets.UTF_8)));

        assertThat(decoded.f1()).isNull();
        TopicRecord r = decoded.f0();
        assertThat(r.topic()).isEqualTo("t");
        assertThat(r.key()).isEqualTo("k-1");
        assertThat(r.value()).isEqualTo(Map.of("sensor_id", "s-1", "t", 21.5));
    }

    @Test
    void when_valueIsNotJsonObject_then_deadLetterWithCoordinatesReasonAndBytes() {
        byte[] bad = "{\"sensor_id\":".getBytes(StandardCharsets.UTF_8);

        byte[] key = "k-1".getBytes(StandardCharsets.UTF_8);

        var decoded = KcqlRoutingJob.decode(new ConsumerRecord<>("t", 2, 7L, key, bad));

        assertThat(decoded.f0()).isNull();
        DeadLetter d = decoded.f1();
        assertThat(d.source()).isEqualTo("kafka:t/2@7");
        assertThat(d.topic()).isEqualTo("t");
        assertThat(d.partition()).isEqualTo(2);
        assertThat(d.offset()).isEqualTo(7L);
        assertThat(d.key()).isEqualTo(key);
        assertThat(d.reason()).contains("record from topic t");
        assertThat(d.payload()).isEqualTo(bad);
    }
}
