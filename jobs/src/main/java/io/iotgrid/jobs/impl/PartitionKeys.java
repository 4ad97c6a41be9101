package io.iotgrid.jobs.impl;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;

import java.util.HashMap;
import java.util.Map;

/**
 * A sensor id as the key of a partitioned edge, serialized once per id and thread instead of once per reading.
 * <p>
 * Why: Jet routes an item on a partitioned edge by the partition of its key, which Hazelcast finds by serializing
 * the key and hashing the bytes; for a {@code String} id that is an encoding, a buffer and a hash for every reading
 * (6 % of the Kafka job's CPU in a JFR profile, BENCHMARKS.md 1). A key that is already serialized ({@link Data}) is
 * taken as it is, and its bytes are exactly those of the id serialized by the member: it lands in the same partition
 * as the id itself, so state saved under the id ({@code PartitionAware} snapshot keys) is restored where the id's
 * readings go. At most {@value #MAX_PER_THREAD} ids are kept per thread; past that the cache starts again.
 */
public final class PartitionKeys {

    static final int MAX_PER_THREAD = 1 << 16;

    /** Strings serialize alike in every serialization service: their serializer is Hazelcast's own, fixed one. */
    private static final InternalSerializationService SERIALIZATION = new DefaultSerializationServiceBuilder().build();
    private static final ThreadLocal<Map<String, Data>> CACHE = ThreadLocal.withInitial(HashMap::new);

    private PartitionKeys() {
    }

    /** {@code id} serialized, for a {@code groupingKey}: the same partition as {@code id}. */
    public static Object of(String id) {
        Map<String, Data> cache = CACHE.get();
        Data key = cache.get(id);
        if (key == null) {
            if (cache.size() >= MAX_PER_THREAD) {
                cache.clear();
            }
            key = SERIALIZATION.toData(id);
            cache.put(id, key);
        }
        return key;
    }
}
