package io.iotgrid.jobs.impl;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import com.hazelcast.internal.serialization.impl.HeapData;
import com.hazelcast.internal.util.HashUtil;

/**
 * The key by which the readings' shuffle by sensor routes a sensor id: one of {@value #BUCKETS} keys, chosen by the
 * id's {@code String} hash code, each already serialized and landing in its own partition of the default 271.
 * <p>
 * Why: Jet routes an item on a partitioned edge by the partition of its key, which Hazelcast finds by serializing
 * the key and hashing its bytes; for a {@code String} id that is an encoding, a buffer and a hash for every reading,
 * 6 to 9 % of the Kafka job's CPU in JFR profiles (BENCHMARKS.md 1), and a cache of serialized ids costs about as
 * much in look-ups. A key that is already serialized ({@link Data}) is taken as it is, and these keep their
 * partition hash, so routing a reading costs the id's cached hash code, a remainder and an array read.
 * <p>
 * Every piece of per-sensor state in snapshots must go where the sensor's readings go: snapshot keys are
 * {@code PartitionAware} with {@link #of} of their sensor as partition key. With a partition count other than 271
 * the keys still route consistently, only less evenly.
 */
public final class PartitionKeys {

    /** Hazelcast's default partition count: one key per partition. */
    static final int BUCKETS = 271;

    private static final Data[] KEYS = keys();

    private PartitionKeys() {
    }

    /** The partitioning key of sensor {@code id}, for a {@code groupingKey} and for its snapshot keys. */
    public static Object of(String id) {
        return KEYS[Math.floorMod(id.hashCode(), BUCKETS)];
    }

    /** For each partition of {@value #BUCKETS}, the first integer, serialized, that lands in it. */
    private static Data[] keys() {
        InternalSerializationService serialization = new DefaultSerializationServiceBuilder().build();
        Data[] keys = new Data[BUCKETS];
        int found = 0;
        for (int i = 0; found < BUCKETS; i++) {
            Data data = serialization.toData(i);
            int partition = HashUtil.hashToIndex(data.getPartitionHash(), BUCKETS);
            if (keys[partition] == null) {
                keys[partition] = new Key(data.toByteArray());
                found++;
            }
        }
        serialization.dispose();
        return keys;
    }

    /** A serialized integer that keeps its partition hash instead of hashing its bytes at every call. */
    private static final class Key extends HeapData {
        private final int partitionHash;

        Key(byte[] payload) {
            super(payload);
            this.partitionHash = super.getPartitionHash();
        }

        @Override
        public int getPartitionHash() {
            return partitionHash;
        }
    }
}
