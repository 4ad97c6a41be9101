package io.iotgrid.kcql;

import io.iotgrid.core.DeadLetter;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class KcqlSinksTest {

    @Test
    void when_recordFits_then_keyAndFormattedValue() {
        KcqlStatement s = KcqlStatement.parse("INSERT INTO sensors SELECT temperature FROM t PK sensor_id, place_id "
                + "STOREAS IMAP");

        Object routed = KcqlSinks.route(s, record("{\"sensor_id\":\"s1\",\"place_id\":\"p2\",\"temperature\":20.5}"));

        assertThat(routed).isEqualTo(Map.entry("s1-p2", "{\"temperature\":20.5}"));
    }

    @Test
    void when_recordLacksSelectedField_then_deadLetterWithReasonAndRawValue() {
        KcqlStatement s = KcqlStatement.parse("INSERT INTO q SELECT sensor_id FROM t STOREAS QUEUE");
        String json = "{\"place_id\":\"p2\"}";

        Object routed = KcqlSinks.route(s, record(json));

        assertThat(routed).isInstanceOfSatisfying(DeadLetter.class, dl -> {
            assertThat(dl.source()).isEqualTo("kcql:t");
            assertThat(dl.reason()).contains("field 'sensor_id' not found");
            assertThat(new String(dl.payload(), StandardCharsets.UTF_8)).isEqualTo(json);
        });
    }

    private static TopicRecord record(String json) {
        return TopicRecord.json("t", null, json.getBytes(StandardCharsets.UTF_8));
    }
}
