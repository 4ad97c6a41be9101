package io.iotgrid.kcql;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KcqlSubscriptionTest {

    @Test
    void when_streamReactorMqttStatements_then_topicFiltersAsWritten() {
        List<KcqlSubscription> s = KcqlSubscription.parseAll("INSERT INTO readings SELECT * FROM /hall/sensors; "
                + "INSERT INTO readings SELECT * FROM 'plant/+/sensors/#' WITHCONVERTER=`a.JsonConverter` "
                + "WITHKEY(id, place);INSERT INTO shared SELECT * FROM '$share/g1/plant/+/x'");

        assertThat(s).extracting(KcqlSubscription::topic)
                     .containsExactly("/hall/sensors", "plant/+/sensors/#", "$share/g1/plant/+/x");
        assertThat(s.get(0).target()).isEqualTo("readings");
        assertThat(s.get(0).converter()).isNull();
        assertThat(s.get(1).converter()).isEqualTo("a.JsonConverter");
        assertThat(s.get(1).keyFields()).containsExactly("id", "place");
    }

    @Test
    void when_hashOutsideQuotes_then_refusedAsTheGrammarWouldDropIt() {
        assertThatThrownBy(() -> KcqlSubscription.parse("INSERT INTO x SELECT * FROM plant/#"))
                .hasMessage("invalid KCQL statement \"INSERT INTO x SELECT * FROM plant/#\": '#' at column 35 is "
                        + "outside quotes, where the kcql grammar drops it: write a topic filter with # in single "
                        + "quotes, as stream-reactor does, e.g. FROM 'plant/+/sensors/#'");
    }

    @Test
    void when_notAnMqttSourceStatement_then_messageSaysWhy() {
        assertThatThrownBy(() -> KcqlSubscription.parse("UPSERT INTO x SELECT * FROM a"))
                .hasMessageContaining("a statement of the MQTT source is INSERT INTO <target> SELECT * FROM <topic>");
        assertThatThrownBy(() -> KcqlSubscription.parse("INSERT INTO x SELECT * FROM a PK id"))
                .hasMessageContaining("'PK' is not a clause of the MQTT source");
        assertThatThrownBy(() -> KcqlSubscription.parseAll(" ; "))
                .hasMessage("no KCQL statement in \" ; \"");
    }
}
