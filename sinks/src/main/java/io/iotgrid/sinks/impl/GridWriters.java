package io.iotgrid.sinks.impl;

import com.hazelcast.cache.ICache;
import com.hazelcast.collection.ICollection;
import com.hazelcast.collection.ISet;
import com.hazelcast.config.IndexType;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.function.FunctionEx;
import com.hazelcast.map.IMap;
import com.hazelcast.multimap.MultiMap;
import com.hazelcast.ringbuffer.OverflowPolicy;
import com.hazelcast.ringbuffer.Ringbuffer;
import com.hazelcast.topic.ITopic;

import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * One {@link BatchWriter} per grid structure, each made by a serializable function of the instance to write to,
 * which {@link GridWriterP} calls once the instance answers.
 */
public final class GridWriters {

    /**
     * Runs a completion callback in the thread that completes the grid call. A Hazelcast future given no executor
     * runs callbacks on the common fork-join pool, and where that pool has a parallelism below 2 (any machine with
     * 2 cores) on a new thread per callback: the profile of the aggregation job showed thousands of threads started
     * a second. The callbacks here only map the result or hand it to the processor's thread, so they can run in
     * place.
     */
    public static final Executor IN_PLACE = Runnable::run;

    private GridWriters() {
    }

    /** Blocking: {@code addAll}, which a bounded IQueue without room for the whole batch refuses by throwing. */
    public static <T> FunctionEx<HazelcastInstance, BatchWriter<T>> queue(String name,
                                                                          FunctionEx<? super T, ?> valueFn) {
        return instance -> collection(instance.getQueue(name), valueFn);
    }

    /** Blocking: {@code addAll}. */
    public static <T> FunctionEx<HazelcastInstance, BatchWriter<T>> set(String name,
                                                                        FunctionEx<? super T, ?> valueFn) {
        return instance -> collection(instance.getSet(name), valueFn);
    }

    /** Blocking: {@code addAll}. */
    public static <T> FunctionEx<HazelcastInstance, BatchWriter<T>> list(String name,
                                                                         FunctionEx<? super T, ?> valueFn) {
        return instance -> collection(instance.getList(name), valueFn);
    }

    /** Asynchronous: one {@code putAllAsync} of the batch's values grouped by key. */
    public static <T> FunctionEx<HazelcastInstance, BatchWriter<T>> multiMap(String name,
                                                                             FunctionEx<? super T, ?> keyFn,
                                                                             FunctionEx<? super T, ?> valueFn) {
        return instance -> {
            MultiMap<Object, Object> multiMap = instance.getMultiMap(name);
            return batch -> {
                Map<Object, List<Object>> byKey = new LinkedHashMap<>();
                for (T item : batch) {
                    byKey.computeIfAbsent(keyFn.apply(item), key -> new ArrayList<>()).add(valueFn.apply(item));
                }
                // A view, because putAllAsync wants Collection<? extends V> values, which List<Object> is not.
                Map<Object, Collection<?>> values = Collections.unmodifiableMap(byKey);
                return multiMap.putAllAsync(values).thenApplyAsync(done -> true, IN_PLACE);
            };
        };
    }

    /** Asynchronous: one {@code putAsync} per key, with a created-expiry policy when {@code ttl} is set. */
    public static <T> FunctionEx<HazelcastInstance, BatchWriter<T>> cache(String name,
                                                                          FunctionEx<? super T, ?> keyFn,
                                                                          FunctionEx<? super T, ?> valueFn,
                                                                          Duration ttl) {
        return instance -> {
            ICache<Object, Object> cache = instance.getCacheManager().getCache(name);
            ExpiryPolicy expiry = ttl == null ? null
                    : new CreatedExpiryPolicy(new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, ttl.toMillis()));
            return batch -> allOf(entries(batch, keyFn, valueFn).entrySet().stream().map(e -> expiry == null
                    ? cache.putAsync(e.getKey(), e.getValue())
                    : cache.putAsync(e.getKey(), e.getValue(), expiry)));
        };
    }

    /**
     * Asynchronous: {@code setAllAsync}, which Hazelcast splits by partition, or one {@code setAsync} per key
     * when {@code ttl} is set, since {@code setAll} takes no TTL. Creates the SORTED {@code indexes} first.
     */
    public static <T> FunctionEx<HazelcastInstance, BatchWriter<T>> map(String name,
                                                                        FunctionEx<? super T, ?> keyFn,
                                                                        FunctionEx<? super T, ?> valueFn,
                                                                        Duration ttl, List<String> indexes) {
        return instance -> {
            IMap<Object, Object> map = instance.getMap(name);
            for (String attribute : indexes) {
                map.addIndex(IndexType.SORTED, attribute);
            }
            KeyOrder order = new KeyOrder();
            return batch -> {
                Map<Object, Object> entries = entries(batch, keyFn, valueFn);
                return ttl == null
                        ? order.after(entries.keySet(), () -> map.setAllAsync(entries)).thenApply(done -> true)
                        : allOf(entries.entrySet().stream().map(e ->
                                map.setAsync(e.getKey(), e.getValue(), ttl.toMillis(), TimeUnit.MILLISECONDS)));
            };
        };
    }

    /**
     * Blocking: {@code publishAll}. Not {@code publishAllAsync}: in Hazelcast 5.5 a member's ReliableTopic never
     * completes that future under the DISCARD_OLDEST and DISCARD_NEWEST overload policies (it drops the
     * Ringbuffer's), so the sink would wait for its first batch forever.
     */
    public static <T> FunctionEx<HazelcastInstance, BatchWriter<T>> reliableTopic(String name,
                                                                                  FunctionEx<? super T, ?> valueFn) {
        return instance -> {
            ITopic<Object> topic = instance.getReliableTopic(name);
            return batch -> {
                try {
                    topic.publishAll(values(batch, valueFn));
                    return BatchWriter.WRITTEN;
                } catch (ExecutionException e) {
                    return CompletableFuture.failedFuture(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return CompletableFuture.failedFuture(e);
                }
            };
        };
    }

    /**
     * Asynchronous: one {@code addAllAsync}. Under {@link OverflowPolicy#FAIL} a full Ringbuffer answers -1,
     * which asks the processor to send the batch again once items have expired.
     */
    public static <T> FunctionEx<HazelcastInstance, BatchWriter<T>> ringbuffer(String name,
                                                                               FunctionEx<? super T, ?> valueFn,
                                                                               OverflowPolicy overflowPolicy) {
        return instance -> {
            Ringbuffer<Object> ringbuffer = instance.getRingbuffer(name);
            int capacity = (int) Math.min(Integer.MAX_VALUE, ringbuffer.capacity());
            return new BatchWriter<>() {
                @Override
                public CompletionStage<Boolean> write(List<T> batch) {
                    if (overflowPolicy == OverflowPolicy.FAIL && batch.size() > capacity) {
                        // Only a batch cut before the Ringbuffer answered can be this large: it would never fit.
                        throw new IllegalArgumentException("a batch of " + batch.size() + " items exceeds the "
                                + "capacity " + capacity + " of Ringbuffer " + name + "; lower batchSize");
                    }
                    return ringbuffer.addAllAsync(values(batch, valueFn), overflowPolicy)
                                     .thenApplyAsync(lastSequence -> lastSequence != -1, IN_PLACE);
                }

                @Override
                public int maxBatchSize() {
                    return capacity;
                }
            };
        };
    }

    /** Completes when every one of {@code writes} has, exceptionally as soon as one of them fails. */
    /**
     * Keeps the writes of a key in the order they were sent across the batches in flight. Two {@code setAllAsync}
     * calls are not ordered against each other: Hazelcast hands each to an operation thread that then queues its
     * per-partition writes, so with several batches in flight a key's older value could land after its newer one
     * (an early window result over the final one). A batch holding a key of a batch still in flight is sent when
     * that one completes; batches with other keys go at once. Used by one processor's thread; completions may run
     * on any thread.
     */
    static final class KeyOrder {

        private final ConcurrentHashMap<Object, CompletableFuture<?>> lastWrite = new ConcurrentHashMap<>();

        /** {@code send}'s write, sent once the writes in flight of any of {@code keys} have completed. */
        CompletableFuture<Object> after(Set<Object> keys, Supplier<? extends CompletionStage<?>> send) {
            List<CompletableFuture<?>> earlier = new ArrayList<>();
            for (Object key : keys) {
                CompletableFuture<?> write = lastWrite.get(key);
                if (write != null && !write.isDone()) {
                    earlier.add(write);
                }
            }
            // A failed earlier write does not hold this one back: the processor sends that batch again itself.
            CompletableFuture<Object> write = earlier.isEmpty()
                    ? send.get().toCompletableFuture().thenApply(done -> done)
                    : CompletableFuture.allOf(earlier.toArray(CompletableFuture[]::new))
                                       .handle((ignored, error) -> null)
                                       .thenCompose(ignored -> send.get().thenApply(done -> done));
            for (Object key : keys) {
                lastWrite.put(key, write);
            }
            write.whenComplete((ignored, error) -> keys.forEach(key -> lastWrite.remove(key, write)));
            return write;
        }
    }

    static CompletableFuture<Boolean> allOf(Stream<? extends CompletionStage<?>> writes) {
        return CompletableFuture.allOf(writes.map(CompletionStage::toCompletableFuture)
                                             .toArray(CompletableFuture[]::new))
                                .thenApply(done -> true);
    }

    private static <T> BatchWriter<T> collection(ICollection<Object> collection, FunctionEx<? super T, ?> valueFn) {
        return batch -> {
            List<Object> values = values(batch, valueFn);
            // A bounded ISet or IList without room answers false instead of throwing. So does an ISet that holds
            // every value already, e.g. after a resend, which is no failure.
            if (!collection.addAll(values) && !(collection instanceof ISet && collection.containsAll(values))) {
                throw new IllegalStateException(collection.getName() + " has no room for " + values.size()
                        + " items");
            }
            return BatchWriter.WRITTEN;
        };
    }

    private static <T> List<Object> values(List<T> batch, FunctionEx<? super T, ?> valueFn) {
        List<Object> values = new ArrayList<>(batch.size());
        for (T item : batch) {
            values.add(valueFn.apply(item));
        }
        return values;
    }

    /** The batch as key-value pairs in arrival order; the last of several items with one key wins. */
    private static <T> Map<Object, Object> entries(List<T> batch, FunctionEx<? super T, ?> keyFn,
                                                   FunctionEx<? super T, ?> valueFn) {
        Map<Object, Object> entries = new LinkedHashMap<>();
        for (T item : batch) {
            entries.put(keyFn.apply(item), valueFn.apply(item));
        }
        return entries;
    }
}
