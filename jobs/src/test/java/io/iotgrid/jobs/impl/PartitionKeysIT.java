package io.iotgrid.jobs.impl;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.PartitionService;
import io.iotgrid.core.GridConfigs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A member's own partitioning of ids against {@link PartitionKeys}': they must agree for every id. */
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
    void when_idSerializedOnce_then_samePartitionAsTheIdOnTheMember() {
        PartitionService partitions = member.getPartitionService();
        int distinct = 0;
        for (int i = 0; i < 20_000; i++) {
            String id = switch (i % 4) {
                case 0 -> "s-" + i;
                case 1 -> "plant-7/line-" + i + "/sensor";
                case 2 -> "Zähler-" + i + "-温度";
                default -> Integer.toString(i);
            };
            Object key = PartitionKeys.of(id);
            int expected = partitions.getPartition(id).getPartitionId();
            assertThat(partitions.getPartition(key).getPartitionId()).as(id).isEqualTo(expected);
            // Asked again, the cached key: still the same.
            assertThat(partitions.getPartition(PartitionKeys.of(id)).getPartitionId()).as(id).isEqualTo(expected);
            distinct += expected == partitions.getPartition("s-0").getPartitionId() ? 0 : 1;
        }
        assertThat(distinct).as("ids spread over partitions").isGreaterThan(19_000);
    }
}
