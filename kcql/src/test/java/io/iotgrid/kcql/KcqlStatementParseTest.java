package io.iotgrid.kcql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

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
            INSERT INTO t SELECT a FROM s STOREAS RING_BUFFER TTL = 5   | TTL needs STOREAS IMAP or ICACHE, whose entries can expire one by one, but STOREAS RING_BUFFER has no such expiry
            INSERT INTO t SELECT a FROM s PK a STOREAS MULTI_MAP TTL = 5 | but STOREAS MULTI_MAP has no such expiry
            INSERT INTO t SELECT a FROM s AUTOCREATE                    | 'AUTOCREATE' is not supported by the Hazelcast sink, whose clauses are IGNORE, PK, BATCH, WITHFORMAT, STOREAS, TTL
            INSERT INTO t SELECT a FROM s WITHFORMAT JSON WITHKEY(a)    | 'WITHKEY(a)' is not supported
            INSERT INTO t SELECT a FROM s STOREAS IMAP (k=v)            | STOREAS parameters '(k=v)' are not supported
            UPSERT INTO t SELECT a FROM s                               | 'UPSERT INTO' is not supported: the Hazelcast sink only has INSERT INTO
            SELECT a FROM s                                             | a statement starts with INSERT INTO <target>
            INSERT INTO t x SELECT a FROM s                             | target 't x' is several words, which the kcql grammar would join into 'tx'
            INSERT INTO t SELECT a, a FROM s                            | field 'a' is selected twice
            INSERT INTO t SELECT a.x, b.x FROM s                        | fields 'a.x' and 'b.x' would both be named 'x': rename one with AS
            INSERT INTO t SELECT a, b AS a FROM s                       | fields 'a' and 'b' would both be named 'a'
            INSERT INTO t SELECT *, a FROM s                            | SELECT * cannot be combined with named fields
            INSERT INTO t SELECT a.* FROM s                             | 'a.*' is not supported: name the nested fields
            INSERT INTO t SELECT a FROM s IGNORE b                      | IGNORE applies to SELECT * only: leave [b] out of the SELECT list instead
            INSERT INTO t SELECT * FROM s IGNORE b.c                    | IGNORE takes top-level fields, not 'b.c'
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
                OutputFormat.JSON, StoreAs.LIST, List.of("id"), null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid KCQL statement \"by hand\": PK id needs a structure with keys (IMAP, MULTI_MAP or "
                        + "ICACHE), but STOREAS LIST has none");
    }
}
