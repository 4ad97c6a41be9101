package io.iotgrid.jobs.impl;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.PartitionService;
import io.iotgrid.core.GridConfigs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link PartitionKeys} on a member: every partition gets a key, and a sensor's snapshot keys go where its key does. */
class PartitionKeysIT {

    private static HazelcastInstance member;

    @BeforeAll
    static void start() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        member = Hazelcast.newHazelcastInstance(GridConfigs.loopbackMember("keys-" + UUID.randomUUID(), port));
    }

    @AfterAll
    static void stop() {
        member.shutdown();
    }

    @Test
    void when_idsRouted_then_eachPartitionHasAKeyAndSnapshotKeysFollowTheirSensor() {
        PartitionService partitions = member.getPartitionService();
        assertThat(partitions.getPartitions()).hasSize(PartitionKeys.BUCKETS);
        Set<Integer> used = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            String id = switch (i % 3) {
                case 0 -> "s-" + i;
                case 1 -> "plant-7/line-" + i + "/sensor";
                default -> "Zähler-" + i + "-温度";
            };
            int partition = partitions.getPartition(PartitionKeys.of(id)).getPartitionId();
            used.add(partition);
            assertThat(partition).as(id).isEqualTo(Math.floorMod(id.hashCode(), PartitionKeys.BUCKETS));
            assertThat(partitions.getPartition(new SensorStageP.SlotKey(id, 60_000)).getPartitionId()).as(id)
                    .isEqualTo(partition);
            assertThat(partitions.getPartition(new SensorStageP.SeenKey(id, 60_000)).getPartitionId()).as(id)
                    .isEqualTo(partition);
            assertThat(partitions.getPartition(new SensorStageP.LivenessKey(id)).getPartitionId()).as(id)
                    .isEqualTo(partition);
        }
        assertThat(used).hasSize(PartitionKeys.BUCKETS);
    }
}
