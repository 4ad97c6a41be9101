package io.iotgrid.kcql;

import com.datamountaineer.kcql.Kcql;
import io.iotgrid.kcql.impl.KcqlGrammar;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One KCQL statement of stream-reactor's MQTT source ({@code connect.mqtt.kcql}), parsed and checked:
 * {@code INSERT INTO target SELECT * FROM topic [WITHCONVERTER=`class`] [WITHKEY(fields) [KEYDELIMITER='.']]}.
 * The {@code FROM} topic is an MQTT topic filter, quoted with single quotes when it has {@code #} (as stream-reactor
 * requires) and possibly a shared subscription {@code $share/group/filter}. Example:
 * <pre>{@code
 * KcqlSubscription s = KcqlSubscription.parse("INSERT INTO readings SELECT * FROM 'plant/+/sensors/#'");
 * s.topic();  // "plant/+/sensors/#"
 * }</pre>
 *
 * @param text      the statement as written, without surrounding white space
 * @param target    the Kafka topic stream-reactor wrote to
 * @param topic     the MQTT topic filter read, as written (with a {@code $share/group/} prefix if it had one)
 * @param converter the {@code WITHCONVERTER} class, or {@code null}
 * @param keyFields the {@code WITHKEY} fields; empty without {@code WITHKEY}
 */
public record KcqlSubscription(String text, String target, String topic, String converter, List<String> keyFields) {

    public KcqlSubscription {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(topic, "topic");
        keyFields = List.copyOf(keyFields);
    }

    /**
     * Parses one statement.
     *
     * @throws IllegalArgumentException if it is not valid KCQL or not a statement of the MQTT source; the message
     *                                  quotes the statement and says why
     */
    public static KcqlSubscription parse(String statement) {
        String text = Objects.requireNonNull(statement, "statement").strip();
        KcqlGrammar.checkSubscription(text);
        Kcql kcql;
        try {
            kcql = Kcql.parse(text);
        } catch (RuntimeException e) {
            throw KcqlGrammar.invalid(text, String.valueOf(e.getMessage()).replaceFirst("^Invalid syntax\\.", ""));
        }
        return new KcqlSubscription(text, kcql.getTarget(), kcql.getSource(), kcql.getWithConverter(),
                kcql.getWithKeys() == null ? List.of() : kcql.getWithKeys());
    }

    /**
     * Parses the statements in {@code statements}, separated by {@code ;}; blank ones are skipped.
     *
     * @throws IllegalArgumentException if there is none or one is invalid (see {@link #parse})
     */
    public static List<KcqlSubscription> parseAll(String statements) {
        List<KcqlSubscription> parsed = Arrays.stream(Objects.requireNonNull(statements, "statements").split(";"))
                .filter(s -> !s.isBlank())
                .map(KcqlSubscription::parse)
                .toList();
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException("no KCQL statement in \"" + statements + '"');
        }
        return parsed;
    }
}
