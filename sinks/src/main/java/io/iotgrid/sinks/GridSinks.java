package io.iotgrid.sinks;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.function.FunctionEx;
import com.hazelcast.jet.core.ProcessorMetaSupplier;
import com.hazelcast.jet.pipeline.Sink;
import com.hazelcast.jet.pipeline.Sinks;
import com.hazelcast.ringbuffer.OverflowPolicy;
import io.iotgrid.core.DeadLetter;
import io.iotgrid.sinks.impl.BatchWriter;
import io.iotgrid.sinks.impl.DeadLetterWriter;
import io.iotgrid.sinks.impl.GridWriterP;
import io.iotgrid.sinks.impl.GridWriters;

import java.time.Duration;
import java.util.Map;

/**
 * Jet sinks for every grid structure, all with the same batching, back-pressure and error handling.
 * <p>
 * Each processor cuts its input into batches of up to {@link GridSinkSettings#batchSize()} items. Where the
 * structure has asynchronous calls (IMap, ICache, MultiMap, ReliableTopic, Ringbuffer) the processor is
 * cooperative and keeps up to {@link GridSinkSettings#maxInFlight()} batches unacknowledged; it takes no more
 * input meanwhile, which back-pressures the job. Where it has only blocking calls (IQueue, ISet, IList) the
 * processor runs on a thread of its own and writes one batch at a time. The keyed sinks (IMap, ICache, MultiMap)
 * receive their input partitioned by key: on each member all items of one key go to one processor, so the
 * writes of a key keep the order in which the member received them, whatever the local parallelism. (A batch
 * that RETRY sends again may land after a later batch that was in flight beside it.)
 * <p>
 * A batch that fails meets the {@link GridSinkSettings#errorPolicy()}: {@link ErrorPolicy#THROW} fails the job,
 * {@link ErrorPolicy#NOOP} writes each of its items as a {@link io.iotgrid.core.DeadLetter} (source the stage
 * name, e.g. {@code queueSink(alerts)}; payload the value that was to be stored: a {@code byte[]} as it is, any
 * other value as the UTF-8 of its {@code String.valueOf}) to {@link GridSinkSettings#deadLettersMap()} and goes on,
 * {@link ErrorPolicy#RETRY} sends the batch again after {@link GridSinkSettings#retryInterval()} while later
 * batches wait. Every processor reports the user metrics {@code retriedBatches} and {@code deadLetters}.
 * <p>
 * <b>Delivery guarantee:</b> at least once for all of them. A snapshot, and the end of a batch job, wait until
 * every batch sent before has been stored or dead-lettered; what was sent after the last snapshot is sent
 * again after a restore, and so is a batch after a failure that may have stored part of it. Keyed structures
 * (IMap, ICache) and sets (ISet, a MultiMap with the default SET value collection) absorb such duplicates;
 * IQueue, IList, Ringbuffer, ReliableTopic and a MultiMap with a LIST value collection may hold an item twice.
 * <p>
 * {@link GridSinkSettings.Builder#remoteCluster} makes a sink write to another cluster; dead letters still go to
 * the cluster the job runs in.
 */
public final class GridSinks {

    private static final boolean COOPERATIVE = true;
    private static final boolean BLOCKING = false;

    private GridSinks() {
    }

    /**
     * A sink that adds each item to the IQueue {@code name}, e.g.
     * {@code alerts.writeTo(GridSinks.queue("alert_queue"))}:
     * {@link #queue(String, FunctionEx, GridSinkSettings)} with the items themselves and
     * {@link GridSinkSettings#defaults()}. At least once (a batch sent again is added again), local parallelism 1.
     */
    public static <T> Sink<T> queue(String name) {
        return queue(name, FunctionEx.identity(), GridSinkSettings.defaults());
    }

    /**
     * A sink that adds the value of each item to the IQueue {@code name}, e.g.
     * {@code alerts.writeTo(GridSinks.queue("alert_queue", ThresholdAlert::sensorId, GridSinkSettings.defaults()))}.
     * <p>
     * Each batch goes in one blocking {@code addAll}, so the processor is non-cooperative. A queue with a
     * {@code max-size} that has no room for the whole batch takes none of it: the batch fails.
     * <p>
     * <b>Delivery guarantee:</b> at least once; a batch sent again (RETRY, or a replay after a restore) is added
     * again, as a queue has nothing to recognise it by. Order is kept per processor.
     * <p>
     * Default local parallelism is 1, which keeps the order of each member's items.
     *
     * @param name     the IQueue's name
     * @param valueFn  what to add for an item; {@link FunctionEx#identity()} in the short overload
     * @param settings batching, error policy and target cluster; {@link GridSinkSettings#defaults()} in the
     *                 short overload
     */
    public static <T> Sink<T> queue(String name, FunctionEx<? super T, ?> valueFn, GridSinkSettings settings) {
        return sink("queue", name, 1, BLOCKING, settings, null, valueFn,
                GridWriters.queue(name, checkFn("valueFn", valueFn)));
    }

    /**
     * A sink that adds each item to the ISet {@code name}, e.g. {@code sensorIds.writeTo(GridSinks.set("sensors"))}:
     * {@link #set(String, FunctionEx, GridSinkSettings)} with the items themselves and
     * {@link GridSinkSettings#defaults()}. At least once without duplicates, local parallelism 2.
     */
    public static <T> Sink<T> set(String name) {
        return set(name, FunctionEx.identity(), GridSinkSettings.defaults());
    }

    /**
     * A sink that adds the value of each item to the ISet {@code name}, e.g.
     * {@code readings.writeTo(GridSinks.set("active_sensors", SensorReading::sensorId, GridSinkSettings.defaults()))}.
     * <p>
     * Each batch goes in one blocking {@code addAll}, so the processor is non-cooperative. A set with a
     * {@code max-size} that has no room for the new values of a batch fails the batch.
     * <p>
     * <b>Delivery guarantee:</b> at least once, and a batch sent again adds nothing twice: a set holds each
     * value once.
     * <p>
     * Default local parallelism is 2.
     *
     * @param name     the ISet's name
     * @param valueFn  what to add for an item; {@link FunctionEx#identity()} in the short overload
     * @param settings batching, error policy and target cluster; {@link GridSinkSettings#defaults()} in the
     *                 short overload
     */
    public static <T> Sink<T> set(String name, FunctionEx<? super T, ?> valueFn, GridSinkSettings settings) {
        return sink("set", name, 2, BLOCKING, settings, null, valueFn,
                GridWriters.set(name, checkFn("valueFn", valueFn)));
    }

    /**
     * A sink that appends each item to the IList {@code name}, e.g.
     * {@code alerts.writeTo(GridSinks.list("alert_log"))}:
     * {@link #list(String, FunctionEx, GridSinkSettings)} with the items themselves and
     * {@link GridSinkSettings#defaults()}. At least once (a batch sent again is appended again), local
     * parallelism 1.
     */
    public static <T> Sink<T> list(String name) {
        return list(name, FunctionEx.identity(), GridSinkSettings.defaults());
    }

    /**
     * A sink that appends the value of each item to the IList {@code name}, e.g.
     * {@code alerts.writeTo(GridSinks.list("alert_log"))}.
     * <p>
     * Each batch goes in one blocking {@code addAll}, so the processor is non-cooperative. A list with a
     * {@code max-size} that has no room for the whole batch takes none of it: the batch fails.
     * <p>
     * <b>Delivery guarantee:</b> at least once; a batch sent again (RETRY, or a replay after a restore) is
     * appended again. Order is kept per processor.
     * <p>
     * Default local parallelism is 1, which keeps the order of each member's items.
     *
     * @param name     the IList's name
     * @param valueFn  what to append for an item; {@link FunctionEx#identity()} in the short overload
     * @param settings batching, error policy and target cluster; {@link GridSinkSettings#defaults()} in the
     *                 short overload
     */
    public static <T> Sink<T> list(String name, FunctionEx<? super T, ?> valueFn, GridSinkSettings settings) {
        return sink("list", name, 1, BLOCKING, settings, null, valueFn,
                GridWriters.list(name, checkFn("valueFn", valueFn)));
    }

    /**
     * A sink that adds each map entry it receives to the MultiMap {@code name}, e.g.
     * {@code alertsBySensor.writeTo(GridSinks.multiMap("alerts_by_sensor"))}:
     * {@link #multiMap(String, FunctionEx, FunctionEx, GridSinkSettings)} with the entries' keys and values and
     * {@link GridSinkSettings#defaults()}. At least once (without duplicates for a SET value collection), local
     * parallelism 2.
     */
    public static <K, V> Sink<Map.Entry<K, V>> multiMap(String name) {
        return multiMap(name, Map.Entry::getKey, Map.Entry::getValue);
    }

    /**
     * A sink that adds each item's value under its key to the MultiMap {@code name}, e.g.
     * {@code alerts.writeTo(GridSinks.multiMap("alerts_by_sensor", ThresholdAlert::sensorId, a -> a))}:
     * {@link #multiMap(String, FunctionEx, FunctionEx, GridSinkSettings)} with
     * {@link GridSinkSettings#defaults()}. At least once (without duplicates for a SET value collection), local
     * parallelism 2.
     */
    public static <T> Sink<T> multiMap(String name, FunctionEx<? super T, ?> keyFn, FunctionEx<? super T, ?> valueFn) {
        return multiMap(name, keyFn, valueFn, GridSinkSettings.defaults());
    }

    /**
     * A sink that adds the value of each item under its key to the MultiMap {@code name}, e.g.
     * {@code alerts.writeTo(GridSinks.multiMap("alerts_by_sensor", ThresholdAlert::sensorId, a -> a,
     * GridSinkSettings.defaults()))}.
     * <p>
     * Each batch goes in one asynchronous {@code putAllAsync}, its values grouped by key.
     * <p>
     * <b>Delivery guarantee:</b> at least once. With the default SET value collection a batch sent again adds
     * nothing twice; with a LIST value collection it may add a value twice under its key.
     * <p>
     * Default local parallelism is 2.
     *
     * @param name     the MultiMap's name
     * @param keyFn    the key of an item; {@code Map.Entry::getKey} in the shortest overload
     * @param valueFn  the value of an item; {@code Map.Entry::getValue} in the shortest overload
     * @param settings batching, error policy and target cluster; {@link GridSinkSettings#defaults()} in the
     *                 short overloads
     */
    public static <T> Sink<T> multiMap(String name, FunctionEx<? super T, ?> keyFn, FunctionEx<? super T, ?> valueFn,
                                       GridSinkSettings settings) {
        return sink("multiMap", name, 2, COOPERATIVE, settings, keyFn,
                valueFn, GridWriters.multiMap(name, checkFn("keyFn", keyFn), checkFn("valueFn", valueFn)));
    }

    /**
     * A sink that puts each map entry it receives into the ICache {@code name}, e.g.
     * {@code latest.writeTo(GridSinks.cache("latest_reading"))}:
     * {@link #cache(String, FunctionEx, FunctionEx, Duration, GridSinkSettings)} with the entries' keys and
     * values, the cache's own expiry and {@link GridSinkSettings#defaults()}. At least once, a batch sent again
     * overwrites with the same values; local parallelism 2.
     */
    public static <K, V> Sink<Map.Entry<K, V>> cache(String name) {
        return cache(name, Map.Entry::getKey, Map.Entry::getValue);
    }

    /**
     * A sink that puts each item's value under its key into the ICache {@code name}, e.g.
     * {@code readings.writeTo(GridSinks.cache("latest_reading", SensorReading::sensorId, r -> r))}:
     * {@link #cache(String, FunctionEx, FunctionEx, Duration, GridSinkSettings)} with the cache's own expiry and
     * {@link GridSinkSettings#defaults()}. At least once, a batch sent again overwrites with the same values;
     * local parallelism 2.
     */
    public static <T> Sink<T> cache(String name, FunctionEx<? super T, ?> keyFn, FunctionEx<? super T, ?> valueFn) {
        return cache(name, keyFn, valueFn, null, GridSinkSettings.defaults());
    }

    /**
     * A sink that puts each item's value under its key into the ICache (JCache) {@code name}, e.g.
     * {@code readings.writeTo(GridSinks.cache("latest_reading", SensorReading::sensorId, r -> r,
     * Duration.ofMinutes(10), GridSinkSettings.defaults()))}.
     * <p>
     * The cache must be configured on the members (a {@code cache} entry in the member configuration), and
     * {@code javax.cache:cache-api} must be on their classpath; otherwise every batch fails with
     * {@code CacheNotExistsException}. Each key of a batch goes in one asynchronous {@code putAsync}; of several
     * items with one key in a batch the last wins.
     * <p>
     * <b>Delivery guarantee:</b> at least once; a batch sent again writes the same values again, so the cache
     * ends up as if it had been written once (unless something else changed those keys in between).
     * <p>
     * Default local parallelism is 2.
     *
     * @param name     the cache's name, without Hazelcast's {@code /hz/} prefix
     * @param keyFn    the key of an item; {@code Map.Entry::getKey} in the shortest overload
     * @param valueFn  the value of an item; {@code Map.Entry::getValue} in the shortest overload
     * @param ttl      how long an entry lives after it is written (a JCache {@code CreatedExpiryPolicy}), at
     *                 least 1 ms; {@code null} (the short overloads) for the cache's configured expiry
     * @param settings batching, error policy and target cluster; {@link GridSinkSettings#defaults()} in the
     *                 short overloads
     */
    public static <T> Sink<T> cache(String name, FunctionEx<? super T, ?> keyFn, FunctionEx<? super T, ?> valueFn,
                                    Duration ttl, GridSinkSettings settings) {
        if (ttl != null && ttl.toMillis() < 1) {
            throw new IllegalArgumentException("ttl must be null or at least 1 ms, was " + ttl);
        }
        return sink("cache", name, 2, COOPERATIVE, settings, keyFn,
                valueFn, GridWriters.cache(name, checkFn("keyFn", keyFn), checkFn("valueFn", valueFn), ttl));
    }

    /**
     * A sink that sets each map entry it receives in the IMap {@code name}, e.g.
     * {@code latest.writeTo(GridSinks.map("latest_reading"))}:
     * {@link #map(String, FunctionEx, FunctionEx, MapSinkOptions, GridSinkSettings)} with the entries' keys and
     * values, {@link MapSinkOptions#defaults()} and {@link GridSinkSettings#defaults()}. At least once, a batch
     * sent again overwrites with the same values; local parallelism 2.
     */
    public static <K, V> Sink<Map.Entry<K, V>> map(String name) {
        return map(name, Map.Entry::getKey, Map.Entry::getValue);
    }

    /**
     * A sink that sets each item's value under its key in the IMap {@code name}, e.g.
     * {@code readings.writeTo(GridSinks.map("latest_reading", SensorReading::sensorId, r -> r))}:
     * {@link #map(String, FunctionEx, FunctionEx, MapSinkOptions, GridSinkSettings)} with
     * {@link MapSinkOptions#defaults()} and {@link GridSinkSettings#defaults()}. At least once, a batch sent again
     * overwrites with the same values; local parallelism 2.
     */
    public static <T> Sink<T> map(String name, FunctionEx<? super T, ?> keyFn, FunctionEx<? super T, ?> valueFn) {
        return map(name, keyFn, valueFn, MapSinkOptions.defaults(), GridSinkSettings.defaults());
    }

    /**
     * A sink that sets each item's value under its key in the IMap {@code name}, e.g.
     * {@code stats.writeTo(GridSinks.map("sensor_stats", WindowStats::id, s -> s,
     * MapSinkOptions.builder().set(MapSinkOptions.TTL, Duration.ofDays(1)).set(MapSinkOptions.INDEXES,
     * List.of("windowEnd")).build(), GridSinkSettings.defaults()))}.
     * <p>
     * Each batch goes in one asynchronous {@code setAllAsync}, which Hazelcast splits by partition; with a
     * {@link MapSinkOptions#ttl()} in one {@code setAsync} per key instead, as {@code setAll} takes no TTL. Of
     * several items with one key in a batch the last wins. The {@link MapSinkOptions#indexes()} are created
     * when the sink starts. Unlike Jet's {@code Sinks.map}, this one has an error policy, a TTL and indexes.
     * <p>
     * <b>Delivery guarantee:</b> at least once; a batch sent again writes the same values again, so the map
     * ends up as if it had been written once (unless something else changed those keys in between).
     * <p>
     * Default local parallelism is 2.
     *
     * @param name     the IMap's name
     * @param keyFn    the key of an item; {@code Map.Entry::getKey} in the shortest overload
     * @param valueFn  the value of an item; {@code Map.Entry::getValue} in the shortest overload
     * @param options  TTL and indexes; {@link MapSinkOptions#defaults()} (none) in the short overloads
     * @param settings batching, error policy and target cluster; {@link GridSinkSettings#defaults()} in the
     *                 short overloads
     */
    public static <T> Sink<T> map(String name, FunctionEx<? super T, ?> keyFn, FunctionEx<? super T, ?> valueFn,
                                  MapSinkOptions options, GridSinkSettings settings) {
        checkNotNull("options", options);
        return sink("map", name, 2, COOPERATIVE, settings, keyFn, valueFn, GridWriters.map(name, checkFn("keyFn", keyFn),
                checkFn("valueFn", valueFn), options.ttl(), options.indexes()));
    }

    /**
     * A sink that publishes each item to the ReliableTopic {@code name}, e.g.
     * {@code alerts.writeTo(GridSinks.reliableTopic("sensor_alerts"))}:
     * {@link #reliableTopic(String, FunctionEx, GridSinkSettings)} with the items themselves and
     * {@link GridSinkSettings#defaults()}. At least once (a batch sent again is published again), local
     * parallelism 1.
     */
    public static <T> Sink<T> reliableTopic(String name) {
        return reliableTopic(name, FunctionEx.identity(), GridSinkSettings.defaults());
    }

    /**
     * A sink that publishes the value of each item to the ReliableTopic {@code name}, e.g.
     * {@code alerts.writeTo(GridSinks.reliableTopic("sensor_alerts"))}.
     * <p>
     * Each batch goes in one blocking {@code publishAll}, so the processor is non-cooperative (Hazelcast 5.5's
     * {@code publishAllAsync} never completes under the DISCARD overload policies). When the topic's Ringbuffer
     * is full, its {@code topic-overload-policy} decides: ERROR fails the batch, BLOCK holds it back, the DISCARD
     * policies drop messages.
     * <p>
     * <b>Delivery guarantee:</b> at least once; a batch sent again (RETRY, or a replay after a restore) is
     * published again. Order is kept per processor: one batch is written at a time.
     * <p>
     * Default local parallelism is 1, which keeps the order of each member's items.
     *
     * @param name     the ReliableTopic's name
     * @param valueFn  the message for an item; {@link FunctionEx#identity()} in the short overload
     * @param settings batching, error policy and target cluster; {@link GridSinkSettings#defaults()} in the
     *                 short overload
     */
    public static <T> Sink<T> reliableTopic(String name, FunctionEx<? super T, ?> valueFn,
                                            GridSinkSettings settings) {
        return sink("reliableTopic", name, 1, BLOCKING, settings,
                null, valueFn, GridWriters.reliableTopic(name, checkFn("valueFn", valueFn)));
    }

    /**
     * A sink that appends each item to the Ringbuffer {@code name}, e.g.
     * {@code readings.writeTo(GridSinks.ringbuffer("sensor_readings"))}:
     * {@link #ringbuffer(String, FunctionEx, OverflowPolicy, GridSinkSettings)} with the items themselves,
     * {@link OverflowPolicy#OVERWRITE} and {@link GridSinkSettings#defaults()}. At least once (a batch sent again
     * is appended again), local parallelism 1.
     */
    public static <T> Sink<T> ringbuffer(String name) {
        return ringbuffer(name, FunctionEx.identity(), OverflowPolicy.OVERWRITE, GridSinkSettings.defaults());
    }

    /**
     * A sink that appends each item to the Ringbuffer {@code name}, e.g.
     * {@code readings.writeTo(GridSinks.ringbuffer("sensor_readings", OverflowPolicy.FAIL, 1))}:
     * {@link #ringbuffer(String, FunctionEx, OverflowPolicy, GridSinkSettings)} with the items themselves and
     * {@link GridSinkSettings#defaults()} but {@code maxInFlight}. At least once (a batch sent again is appended
     * again), local parallelism 1.
     */
    public static <T> Sink<T> ringbuffer(String name, OverflowPolicy overflowPolicy, int maxInFlight) {
        return ringbuffer(name, FunctionEx.identity(), overflowPolicy,
                GridSinkSettings.builder().set(GridSinkSettings.MAX_IN_FLIGHT, maxInFlight).build());
    }

    /**
     * A sink that appends the value of each item to the Ringbuffer {@code name}, e.g.
     * {@code readings.writeTo(GridSinks.ringbuffer("sensor_readings"))}.
     * <p>
     * Each batch goes in one asynchronous {@code addAllAsync}, and no batch is larger than the Ringbuffer's
     * capacity. With {@link OverflowPolicy#OVERWRITE} (the short overloads) the oldest items make room; with
     * {@link OverflowPolicy#FAIL} a batch the full Ringbuffer refuses is sent again every 50 ms until items
     * expire (their time to live is set in the Ringbuffer's configuration), holding the job back meanwhile;
     * that is not a failure and does not meet the error policy.
     * <p>
     * <b>Delivery guarantee:</b> at least once; a batch sent again after a failure or a restore is appended
     * again (a Ringbuffer has no key to recognise it by). Order is kept per processor, except that a batch sent
     * again comes after the batches that were in flight beside it ({@code maxInFlight} 1 avoids that); with
     * several members, items of different members interleave.
     * <p>
     * Default local parallelism is 1: a Ringbuffer lives in one partition, so more writers per member only
     * add contention.
     *
     * @param name           the Ringbuffer's name
     * @param valueFn        what to append for an item; {@link FunctionEx#identity()} in the short overloads
     * @param overflowPolicy what to do when the Ringbuffer is full of items still within their time to live
     * @param settings       batching, error policy and target cluster; {@link GridSinkSettings#defaults()} in
     *                       the short overloads
     */
    public static <T> Sink<T> ringbuffer(String name, FunctionEx<? super T, ?> valueFn, OverflowPolicy overflowPolicy,
                                         GridSinkSettings settings) {
        checkNotNull("overflowPolicy", overflowPolicy);
        return sink("ringbuffer", name, 1, COOPERATIVE, settings,
                null, valueFn, GridWriters.ringbuffer(name, checkFn("valueFn", valueFn), overflowPolicy));
    }

    /**
     * A sink that stores each dead letter in the IMap {@code mapName} under a random UUID, e.g.
     * {@code deadLetters.writeTo(GridSinks.deadLetters(GridNames.DEAD_LETTERS))}: where jobs put input they could
     * not process. The letters are stored in the member's own serialization (zero-config Compact, which the
     * {@code dead_letters} SQL mapping reads), never in a job's job-level serializers as Jet's {@code Sinks.map}
     * would store them. Batching and error policy are {@link GridSinkSettings#defaults()}'.
     * <p>
     * <b>Delivery guarantee:</b> at least once; an entry written again after a restore gets a new UUID, so a
     * replayed dead letter can appear twice.
     * <p>
     * Default local parallelism is 2.
     */
    public static Sink<DeadLetter> deadLetters(String mapName) {
        if (mapName == null || mapName.isBlank()) {
            throw new IllegalArgumentException("dead letters map name must not be blank, was '" + mapName + "'");
        }
        return sink("deadLetters", mapName, 2, COOPERATIVE, GridSinkSettings.defaults(), null,
                letter -> letter, instance -> new DeadLetterWriter(instance, mapName)::write);
    }

    /**
     * The sink of one structure. With a {@code partitionKeyFn}, items reach the sink over a partitioned edge: on
     * each member all items of one key go to one processor, so writes of a key keep their order whatever the local
     * parallelism.
     */
    private static <T> Sink<T> sink(String structure, String name, int localParallelism, boolean cooperative,
                                    GridSinkSettings settings, FunctionEx<? super T, ?> partitionKeyFn,
                                    FunctionEx<? super T, ?> valueFn,
                                    FunctionEx<HazelcastInstance, BatchWriter<T>> writerFn) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(structure + " name must not be blank, was '" + name + "'");
        }
        checkNotNull("settings", settings);
        String sinkName = structure + "Sink(" + name + ')';
        ProcessorMetaSupplier processors = ProcessorMetaSupplier.of(localParallelism,
                () -> new GridWriterP<>(sinkName, settings, cooperative, valueFn, writerFn));
        return partitionKeyFn == null
                ? Sinks.fromProcessor(sinkName, processors)
                : Sinks.fromProcessor(sinkName, processors, partitionKeyFn);
    }

    private static <F> F checkFn(String key, F fn) {
        checkNotNull(key, fn);
        return fn;
    }

    private static void checkNotNull(String key, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(key + " must not be null");
        }
    }
}
