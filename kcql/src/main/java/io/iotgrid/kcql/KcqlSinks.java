package io.iotgrid.kcql;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.function.FunctionEx;
import com.hazelcast.jet.pipeline.GeneralStage;
import com.hazelcast.jet.pipeline.Sink;
import com.hazelcast.ringbuffer.OverflowPolicy;
import io.iotgrid.core.DeadLetter;
import io.iotgrid.kcql.impl.Json;
import io.iotgrid.kcql.impl.KcqlTargets;
import io.iotgrid.sinks.GridSinkSettings;
import io.iotgrid.sinks.GridSinks;
import io.iotgrid.sinks.MapSinkOptions;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static com.hazelcast.jet.Util.entry;

/**
 * Routes records into grid structures by the KCQL statements of stream-reactor's Hazelcast sink, e.g.
 * {@code KcqlSinks.writeTo(hz, records, "INSERT INTO sensor_ringbuffer SELECT sensor_id, timestamp, temperature "
 * + "FROM coap_sensor_topic WITHFORMAT JSON STOREAS RING_BUFFER(capacity=1000)", GridSinkSettings.defaults())}.
 * <p>
 * The pipeline is built against the cluster it will write to, so that what that cluster cannot serve fails the
 * build rather than the running job: an {@code ICACHE} whose cache the members do not configure, and
 * {@code RING_BUFFER} parameters that contradict the Ringbuffer's configuration or an existing Ringbuffer. A
 * RING_BUFFER's {@code capacity} and {@code timeToLive} are added to the members' configuration then (dynamic
 * configuration, which members joining later receive too), before the Ringbuffer is created.
 * <p>
 * Each statement becomes one branch of the pipeline: the records of its {@code FROM} topic, projected and
 * formatted as {@link KcqlStatement} describes, written by the {@link GridSinks} sink of its {@code STOREAS}
 * with the given settings (error policy, retries, target cluster); {@code BATCH} caps the batch size and
 * {@code TTL} (milliseconds) or the {@code timeToLive} parameter sets the entries' time to live in IMAP and
 * ICACHE. Several statements may read one topic. The keyed sinks (IMAP, MULTI_MAP, ICACHE) partition their input
 * by key, so writes of one key stay in order however many processors write.
 * <p>
 * A record that the statement cannot project (a selected or key field missing, a value that is not an object)
 * becomes a {@link DeadLetter} in the settings' dead-letters map, with the topic as source, the reason and the
 * record's value as JSON; the job goes on.
 * <p>
 * <b>Delivery guarantee:</b> that of each structure's sink (at least once; see {@link GridSinks}).
 */
public final class KcqlSinks {

    private KcqlSinks() {
    }

    /**
     * Parses {@code kcql} (statements separated by {@code ;}) and routes {@code records} by it: see
     * {@link #writeTo(HazelcastInstance, GeneralStage, List, GridSinkSettings)}.
     */
    public static void writeTo(HazelcastInstance cluster, GeneralStage<TopicRecord> records, String kcql,
                               GridSinkSettings settings) {
        writeTo(cluster, records, KcqlStatement.parseAll(kcql), settings);
    }

    /**
     * Routes {@code records} by {@code statements}, one pipeline branch per statement, after checking and
     * preparing their targets in the cluster they write to.
     *
     * @param cluster  the cluster the job is to run in, a member or a client of it: where the structures are
     *                 checked and configured, unless {@code settings} name a remote cluster, which is then reached
     *                 with a client of its own for as long as the check takes
     * @param settings batching, error policy and target cluster of every statement's sink
     * @throws IllegalArgumentException if there is no statement
     * @throws IllegalStateException    if the target cluster cannot serve a statement; the message says what to
     *                                  configure
     */
    public static void writeTo(HazelcastInstance cluster, GeneralStage<TopicRecord> records,
                               List<KcqlStatement> statements, GridSinkSettings settings) {
        if (statements.isEmpty()) {
            throw new IllegalArgumentException("no KCQL statement to route by");
        }
        KcqlTargets.prepare(Objects.requireNonNull(cluster, "cluster"), statements, settings);
        for (KcqlStatement statement : statements) {
            GridSinkSettings statementSettings = statement.batchSize() == null ? settings
                    : settings.toBuilder().set(GridSinkSettings.BATCH_SIZE,
                            Math.min(statement.batchSize(), GridSinkSettings.MAX_BATCH_SIZE)).build();
            GeneralStage<Object> routed = records
                    .filter(statement::appliesTo)
                    .map(r -> route(statement, r))
                    .setName("kcql(" + statement.target() + " <- " + statement.source() + ')');
            routed.map(o -> o instanceof DeadLetter dl ? dl : null)
                  .writeTo(GridSinks.deadLetters(settings.deadLettersMap()));
            @SuppressWarnings("unchecked")
            GeneralStage<Map.Entry<Object, Object>> entries =
                    routed.map(o -> o instanceof Map.Entry<?, ?> e ? (Map.Entry<Object, Object>) e : null);
            write(statement, entries, statementSettings);
        }
    }

    /** The record as a (key, stored value) entry, or a dead letter that says why it cannot be one. */
    static Object route(KcqlStatement statement, TopicRecord record) {
        try {
            Object key = statement.storeAs().keyed() ? statement.key(record) : "";
            return entry(key, statement.formatRecord(record).value());
        } catch (IllegalArgumentException e) {
            return new DeadLetter("kcql:" + record.topic(), System.currentTimeMillis(), e.getMessage(),
                    rawValue(record));
        }
    }

    private static void write(KcqlStatement statement, GeneralStage<Map.Entry<Object, Object>> entries,
                              GridSinkSettings settings) {
        String target = statement.target();
        FunctionEx<Map.Entry<Object, Object>, Object> key = Map.Entry::getKey;
        FunctionEx<Map.Entry<Object, Object>, Object> value = Map.Entry::getValue;
        Sink<Map.Entry<Object, Object>> sink = switch (statement.storeAs()) {
            case RELIABLE_TOPIC -> GridSinks.reliableTopic(target, value, settings);
            case RING_BUFFER -> GridSinks.ringbuffer(target, value, OverflowPolicy.OVERWRITE, settings);
            case QUEUE -> GridSinks.queue(target, value, settings);
            case SET -> GridSinks.set(target, value, settings);
            case LIST -> GridSinks.list(target, value, settings);
            case IMAP -> GridSinks.map(target, key, value,
                    MapSinkOptions.builder().set(MapSinkOptions.TTL, statement.entryTtl()).build(), settings);
            case MULTI_MAP -> GridSinks.multiMap(target, key, value, settings);
            case ICACHE -> GridSinks.cache(target, key, value, statement.entryTtl(), settings);
        };
        entries.writeTo(sink);
    }

    private static byte[] rawValue(TopicRecord record) {
        Object value = record.value();
        String text;
        try {
            text = value instanceof Map ? Json.write(value) : String.valueOf(value);
        } catch (IllegalArgumentException e) {
            text = String.valueOf(value);
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
