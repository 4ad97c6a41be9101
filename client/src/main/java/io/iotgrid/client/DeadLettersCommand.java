package io.iotgrid.client;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.iotgrid.core.DeadLetter;
import io.iotgrid.core.GridNames;
import io.iotgrid.core.SqlMappings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lists dead letters, newest first: when, where from (a Kafka record's source names its topic, partition and
 * offset), why, the payload and a Kafka record's key as text (non-printable bytes escaped), so a bad payload can be
 * found and replayed.
 */
@Command(name = "dead-letters", description = "List the newest dead letters: time, source, reason, payload, Kafka key.")
final class DeadLettersCommand extends ClientCommand {

    @Option(names = "--map", paramLabel = "NAME", description = "IMap of dead letters; default: ${DEFAULT-VALUE}")
    String map = GridNames.DEAD_LETTERS;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", description = "How many to list; default: ${DEFAULT-VALUE}")
    int limit = 20;

    @Override
    void validate() {
        if (limit < 1) {
            throw badOption("--limit must be 1 or more, was " + limit);
        }
    }

    @Override
    int run(HazelcastInstance client, PrintWriter out) {
        IMap<String, DeadLetter> letters = client.getMap(map);
        List<Map.Entry<String, DeadLetter>> newest =
                newest(client, map, SqlMappings.deadLetters(map), limit);
        if (json) {
            for (Map.Entry<String, DeadLetter> e : newest) {
                out.println(Output.json(fields(e.getKey(), e.getValue())));
            }
        } else {
            out.println(listingHeading(letters.size(), newest.size(), "dead letter", "dead letters", map));
            Output output = output();
            for (Map.Entry<String, DeadLetter> e : newest) {
                DeadLetter d = e.getValue();
                out.println(output.time(d.receivedAt()) + "  " + d.source() + "  " + d.reason()
                        + "  payload: " + printable(d.payload())
                        + (d.key() == null ? "" : "  kafka key: " + printable(d.key())) + "  (" + e.getKey() + ')');
            }
        }
        out.flush();
        return 0;
    }

    /**
     * The JSON fields of a dead letter: the columns of its SQL mapping, then the payload and the Kafka key as text
     * (UTF-8, JSON-escaped; null without a key).
     */
    static Map<String, Object> fields(String id, DeadLetter d) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("__key", id);
        f.put("source", d.source());
        f.put("received_at", d.receivedAt());
        f.put("reason", d.reason());
        f.put("topic", d.topic());
        f.put("kafka_partition", d.partition());
        f.put("kafka_offset", d.offset());
        f.put("payload", new String(d.payload(), StandardCharsets.UTF_8));
        f.put("kafka_key", d.key() == null ? null : new String(d.key(), StandardCharsets.UTF_8));
        return f;
    }

    /** The payload as UTF-8 with control characters escaped, so one dead letter stays on one line. */
    static String printable(byte[] payload) {
        String text = new String(payload, StandardCharsets.UTF_8);
        StringBuilder s = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || c == 0xFFFD) {
                s.append(String.format("\\u%04x", c));
            } else {
                s.appendCodePoint(c);
            }
        });
        return s.toString();
    }
}
