package io.iotgrid.kcql;

import io.iotgrid.core.Durations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KcqlStatementParseTest {

    private static final String STRUCTURES = "RELIABLE_TOPIC, RING_BUFFER, QUEUE, SET, LIST, IMAP, MULTI_MAP, ICACHE";

    @Test
    void when_seedSpellsWithFormatAsTwoWords_then_rejectedNamingWithformat() {
        // kcql 3.0.0 itself accepts this statement: source "coap_sensor_topicWITHFORMAT", no format.
        String seed = "INSERT INTO sensor_ringbuffer SELECT sensor_id, timestamp, temperature FROM coap_sensor_topic "
                + "WITH FORMAT JSON";

        assertThatThrownBy(() -> KcqlStatement.parse(seed))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid KCQL statement \"" + seed + "\": source 'coap_sensor_topic WITH FORMAT' is "
                        + "several words, which the kcql grammar would join into 'coap_sensor_topicWITHFORMAT'; "
                        + "quote a name that has spaces with backticks; the format clause is one word: WITHFORMAT");
    }

    @Test
    void when_storeAsUnknown_then_rejectedListingValidStructures() {
        String kcql = "INSERT INTO dev SELECT * FROM coap_sensor_topic STOREAS TREE";

        assertThatThrownBy(() -> KcqlStatement.parse(kcql))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown STOREAS 'TREE' in \"" + kcql + "\": expected one of " + STRUCTURES);
    }

    @Test
    void when_storeAsOfName_then_caseIgnored_andUnknownRejected() {
        assertThat(StoreAs.of("ring_buffer")).isEqualTo(StoreAs.RING_BUFFER);
        assertThat(StoreAs.of("IMap")).isEqualTo(StoreAs.IMAP);
        assertThatThrownBy(() -> StoreAs.of("TREE"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown STOREAS 'TREE': expected one of " + STRUCTURES);
    }

    @Test
    void when_outputFormatOfName_then_caseIgnored_andUnknownRejected() {
        assertThat(OutputFormat.of("avro")).isEqualTo(OutputFormat.AVRO);
        assertThatThrownBy(() -> OutputFormat.of("PROTOBUF"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown WITHFORMAT 'PROTOBUF': expected one of JSON, AVRO, TEXT");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            # A format the grammar does not know, and one it knows but the sink does not write.
            INSERT INTO t SELECT * FROM s WITHFORMAT XML                | unknown WITHFORMAT 'XML' in "INSERT INTO t SELECT * FROM s WITHFORMAT XML": expected one of JSON, AVRO, TEXT
            INSERT INTO t SELECT * FROM s WITHFORMAT PROTOBUF           | unknown WITHFORMAT 'PROTOBUF' in
            INSERT INTO t SELECT * FROM s STOREAS `QUEUE`               | unknown STOREAS '`QUEUE`'
            INSERT INTO t SELECT a FROM s PK a STOREAS QUEUE            | PK a needs a structure with keys (IMAP, MULTI_MAP or ICACHE), but STOREAS QUEUE has none
            INSERT INTO t SELECT a FROM s PK a                          | but STOREAS RELIABLE_TOPIC (also the default without STOREAS) has none
            INSERT INTO t SELECT a FROM s PK a STOREAS RING_BUFFER      | needs a structure with keys
            # Out of order, kcql drops PK and everything after it.
            INSERT INTO t SELECT a FROM s STOREAS IMAP PK a TTL = 5     | unexpected 'PK' at line 1, column 44: the clauses must come in the order IGNORE, PK, BATCH, WITHFORMAT, STOREAS, TTL
            INSERT INTO t SELECT a FROM s WITHFORMAT JSON BATCH = 5     | unexpected 'BATCH'
            INSERT INTO t SELECT a FROM s PK a WITH FORMAT JSON         | unexpected 'WITH' at line 1, column 36: the clauses must come in the order IGNORE, PK, BATCH, WITHFORMAT, STOREAS, TTL, and the kcql grammar would drop everything from here; the format clause is one word: WITHFORMAT
            INSERT INTO t SELECT a FROM s PK a STOREAS IMAP TTL 60      | missing '=' at '60' at line 1, column 53
            INSERT INTO t SELECT a FROM s BATCH 100                     | missing '=' at '100'
            INSERT INTO t SELECT a FROM s PK a STOREAS IMAP TTL = 0     | 0 is not a valid number for a TTL
            INSERT INTO t SELECT a FROM s BATCH = 0                     | 0 is not a valid number for a batch Size
            INSERT INTO t SELECT a FROM s STOREAS RING_BUFFER TTL = 5   | TTL needs STOREAS IMAP or ICACHE, whose entries can expire one by one, but STOREAS RING_BUFFER has no such expiry; its items expire with STOREAS RING_BUFFER(timeToLive=...)
            INSERT INTO t SELECT a FROM s PK a STOREAS MULTI_MAP TTL = 5 | but STOREAS MULTI_MAP has no such expiry
            INSERT INTO t SELECT a FROM s AUTOCREATE                    | 'AUTOCREATE' is not supported by the Hazelcast sink, whose clauses are IGNORE, PK, BATCH, WITHFORMAT, STOREAS, TTL
            INSERT INTO t SELECT a FROM s WITHFORMAT JSON WITHKEY(a)    | 'WITHKEY(a)' is not supported
            INSERT INTO t SELECT a FROM s PK a STOREAS IMAP (k=v)       | STOREAS IMAP has no parameter 'k': its parameters are timeToLive
            INSERT INTO t SELECT a FROM s STOREAS RING_BUFFER(size=5)   | STOREAS RING_BUFFER has no parameter 'size': its parameters are capacity, timeToLive
            INSERT INTO t SELECT a FROM s STOREAS QUEUE(capacity=5)     | STOREAS QUEUE takes no parameters, but 'capacity' is given: configure the structure on the members instead
            INSERT INTO t SELECT a FROM s STOREAS RELIABLE_TOPIC(x=1)   | STOREAS RELIABLE_TOPIC takes no parameters, but 'x' is given
            INSERT INTO t SELECT a FROM s PK a STOREAS IMAP(capacity=5) | STOREAS IMAP has no parameter 'capacity': its parameters are timeToLive
            INSERT INTO t SELECT a FROM s STOREAS RING_BUFFER(capacity=0) | STOREAS RING_BUFFER parameter capacity must be at least 1, was '0'
            INSERT INTO t SELECT a FROM s STOREAS RING_BUFFER(capacity=-3) | capacity must be at least 1, was '-3'
            INSERT INTO t SELECT a FROM s STOREAS RING_BUFFER(capacity=1k) | STOREAS RING_BUFFER parameter capacity must be a whole number, was '1k'
            INSERT INTO t SELECT a FROM s PK a STOREAS IMAP(timeToLive=5000) | STOREAS IMAP parameter timeToLive must be a duration such as 500ms, 90s, 5m or 1h, was '5000'
            INSERT INTO t SELECT a FROM s STOREAS RING_BUFFER(timeToLive=1500ms) | STOREAS RING_BUFFER parameter timeToLive must be whole seconds (a Ringbuffer's time-to-live-seconds), was 1500ms
            INSERT INTO t SELECT a FROM s PK a STOREAS IMAP(timeToLive=5s) TTL = 5000 | TTL = 5000 and STOREAS IMAP parameter timeToLive both set the time to live: give one
            INSERT INTO t SELECT a FROM s STOREAS RING_BUFFER(capacity=5, CAPACITY=6) | CAPACITY is a duplicated entry in the storeAs parameters list
            # ttl is the grammar's TTL keyword, so it cannot name a parameter.
            INSERT INTO t SELECT a FROM s PK a STOREAS IMAP(ttl=5000)   | mismatched input 'ttl'
            INSERT INTO t SELECT a FROM s STOREAS RING_BUFFER()         | mismatched input ')'
            UPSERT INTO t SELECT a FROM s                               | 'UPSERT INTO' is not supported: the Hazelcast sink only has INSERT INTO
            SELECT a FROM s                                             | a statement starts with INSERT INTO <target>
            INSERT INTO t x SELECT a FROM s                             | target 't x' is several words, which the kcql grammar would join into 'tx'
            INSERT INTO t SELECT a, a FROM s                            | field 'a' is selected twice
            INSERT INTO t SELECT a.x, b.x FROM s                        | fields 'a.x' and 'b.x' would both be named 'x': rename one with AS
            INSERT INTO t SELECT a, b AS a FROM s                       | fields 'a' and 'b' would both be named 'a'
            INSERT INTO t SELECT *, a FROM s                            | SELECT * cannot be combined with named fields
            INSERT INTO t SELECT a.* FROM s                             | 'a.*' is not supported: name the nested fields
            INSERT INTO t SELECT a, c FROM s IGNORE b                   | IGNORE b names no selected field: with named fields IGNORE leaves out selected ones, named by their path as in the SELECT list (a, c)
            INSERT INTO t SELECT a AS b FROM s IGNORE b                 | IGNORE b names no selected field
            INSERT INTO t SELECT a, c FROM s IGNORE a, c                | IGNORE leaves out every selected field, so nothing would be stored
            INSERT INTO t SELECT * FROM s IGNORE b.c                    | IGNORE takes top-level fields with SELECT *, not 'b.c'
            INSERT INTO t SELECT * FROM s IGNORE b, b                   | IGNORE names 'b' twice
            INSERT INTO t SELECT _key.id, a FROM s                      | SELECT field '_key.id' is in the record's key: this sink reads fields from the record's value only
            INSERT INTO t SELECT _header.h FROM s                       | SELECT field '_header.h' is in the record's header
            INSERT INTO t SELECT a FROM s PK _key.id STOREAS IMAP       | PK field '_key.id' is in the record's key
            INSERT INTO t SELECT a FROM s;                              | ';' separates statements: parse them with parseAll
            garbage                                                     | invalid KCQL statement "garbage": mismatched input 'garbage' expecting {INSERT, UPSERT, UPDATE, SELECT} at line 1, column 1
            INSERT INTO t SELECT FROM s                                 | invalid KCQL statement "INSERT INTO t SELECT FROM s":
            """)
    void when_statementInvalid_then_rejectedSayingWhy(String kcql, String message) {
        assertThatThrownBy(() -> KcqlStatement.parse(kcql))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void when_severalStatements_then_eachParsed_andBlankOnesSkipped() {
        List<KcqlStatement> statements = KcqlStatement.parseAll(
                " INSERT INTO dev SELECT * FROM coap_sensor_topic WITHFORMAT JSON STOREAS QUEUE ;;\n"
                        + "INSERT INTO sensor_latest SELECT sensor_id, temperature FROM mqtt_sensor_topic "
                        + "PK sensor_id STOREAS IMAP;\n");

        assertThat(statements).hasSize(2);
        assertThat(statements.get(0).source()).isEqualTo("coap_sensor_topic");
        assertThat(statements.get(0).storeAs()).isEqualTo(StoreAs.QUEUE);
        assertThat(statements.get(0).text())
                .isEqualTo("INSERT INTO dev SELECT * FROM coap_sensor_topic WITHFORMAT JSON STOREAS QUEUE");
        assertThat(statements.get(1).source()).isEqualTo("mqtt_sensor_topic");
        assertThat(statements.get(1).storeAs()).isEqualTo(StoreAs.IMAP);
        assertThat(statements.get(1).primaryKeys()).containsExactly("sensor_id");
    }

    @Test
    void when_noStatement_then_rejected() {
        assertThatThrownBy(() -> KcqlStatement.parseAll(" ; \n ;"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no KCQL statement in \" ; \n ;\"");
    }

    @Test
    void when_oneOfSeveralInvalid_then_rejectedNamingIt() {
        assertThatThrownBy(() -> KcqlStatement.parseAll("INSERT INTO a SELECT * FROM t1; "
                + "INSERT INTO b SELECT * FROM t2 STOREAS TREE"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown STOREAS 'TREE' in \"INSERT INTO b SELECT * FROM t2 STOREAS TREE\"");
    }

    @Test
    void when_builtDirectly_then_sameChecksAsParse() {
        assertThatThrownBy(() -> new KcqlStatement("by hand", "t", "s", List.of(), List.of(), true,
                OutputFormat.JSON, StoreAs.LIST, StoreAsParameters.none(), List.of("id"), null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid KCQL statement \"by hand\": PK id needs a structure with keys (IMAP, MULTI_MAP or "
                        + "ICACHE), but STOREAS LIST has none");
        StoreAsParameters capacity = StoreAsParameters.builder().set(StoreAsParameters.CAPACITY, 10).build();
        assertThatThrownBy(() -> new KcqlStatement("by hand", "t", "s", List.of(), List.of(), true,
                OutputFormat.JSON, StoreAs.IMAP, capacity, List.of("id"), null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid KCQL statement \"by hand\": STOREAS IMAP has no parameter 'capacity': its "
                        + "parameters are timeToLive");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            INSERT INTO rb SELECT * FROM t STOREAS RING_BUFFER(capacity=1000)                 | 1000 |     |
            INSERT INTO rb SELECT * FROM t STOREAS ring_buffer (Capacity = 1000, timeToLive=10m) | 1000 | 10m |
            INSERT INTO rb SELECT * FROM t STOREAS RING_BUFFER(TIMETOLIVE=1h)                  |      | 1h  |
            INSERT INTO m SELECT * FROM t PK id STOREAS IMAP(timeToLive=90s)                   |      | 90s | 90s
            INSERT INTO m SELECT * FROM t PK id STOREAS IMAP TTL = 2000                        |      |     | 2s
            INSERT INTO c SELECT * FROM t PK id STOREAS ICACHE(timeToLive=500ms)               |      | 500ms | 500ms
            INSERT INTO c SELECT * FROM t PK id BATCH = 10 WITHFORMAT TEXT STOREAS ICACHE(timeToLive=1m) |  | 1m | 1m
            INSERT INTO q SELECT * FROM t STOREAS QUEUE                                        |      |     |
            """)
    void when_storeAsHasParameters_then_eachReadByItsDefinition(String kcql, Integer capacity, String timeToLive,
                                                                 String entryTtl) {
        KcqlStatement statement = KcqlStatement.parse(kcql);

        assertThat(statement.storeAsParameters().capacity()).isEqualTo(capacity);
        assertThat(statement.storeAsParameters().timeToLive())
                .isEqualTo(timeToLive == null ? null : Durations.parse("timeToLive", timeToLive));
        assertThat(statement.entryTtl()).isEqualTo(entryTtl == null ? null : Durations.parse("ttl", entryTtl));
        assertThat(statement.storeAsParameters().isEmpty()).isEqualTo(capacity == null && timeToLive == null);
    }

    @Test
    void when_ignoreFollowsNamedFields_then_ignoredOnesLeftOutOfTheSelection() {
        KcqlStatement s = KcqlStatement.parse("INSERT INTO t SELECT sensor_id, payload.sensorId AS id, temperature "
                + "AS temp, place_id FROM s IGNORE place_id, payload.sensorId STOREAS QUEUE");
        TopicRecord record = TopicRecord.json("s", null, ("{\"sensor_id\":\"s1\",\"place_id\":\"p2\","
                + "\"temperature\":20.5,\"payload\":{\"sensorId\":\"x\"}}").getBytes(StandardCharsets.UTF_8));
        TopicRecord withoutIgnored = TopicRecord.json("s", null,
                "{\"sensor_id\":\"s2\",\"temperature\":19}".getBytes(StandardCharsets.UTF_8));

        assertThat(s.fields()).extracting(FieldSelection::path)
                .containsExactly("sensor_id", "payload.sensorId", "temperature", "place_id");
        assertThat(s.ignoredFields()).containsExactly("place_id", "payload.sensorId");
        assertThat(s.formatRecord(record).value()).isEqualTo("{\"sensor_id\":\"s1\",\"temp\":20.5}");
        assertThat(s.project(withoutIgnored)).as("an ignored field need not be in the record")
                .isEqualTo(Map.of("sensor_id", "s2", "temp", 19));
    }

    @Test
    void when_ignoreLeavesOutOneOfTwoFieldsOfOneName_then_noCollision() {
        KcqlStatement s = KcqlStatement.parse("INSERT INTO t SELECT a.x, b.x FROM s IGNORE b.x");

        assertThat(s.project(TopicRecord.json("s", null, "{\"a\":{\"x\":1},\"b\":{\"x\":2}}"
                .getBytes(StandardCharsets.UTF_8)))).isEqualTo(Map.of("x", 1));
    }
}
