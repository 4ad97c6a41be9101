package io.iotgrid.core;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.iotgrid.core.testing.FreePorts;
import io.iotgrid.core.testing.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HistoryUpdate} sent by a client (serialized, as a job's sink sends it) and run on the block's owner: slots
 * replaced and revised, the same window twice giving the same block, and the tier's retention as the time to live.
 */
class HistoryUpdateIT {

    private static final long HOUR0 = 1_764_928_800_000L;
    private static final long MINUTE = 60_000;

    @RegisterExtension
    final Resources resources = new Resources();

    @Test
    void when_updatesSubmittedToKey_then_blockHoldsReplacedAndRevisedSlotsWithRetentionAsTtl() {
        String cluster = "history-update-" + UUID.randomUUID();
        int port = FreePorts.loopback();
        HazelcastInstance member = Hazelcast.newHazelcastInstance(GridConfigs.loopbackMember(cluster, port));
        resources.onClose(() -> member.getLifecycleService().terminate());
        // A plain client: the entry processor and the block need nothing registered on its side.
        ClientConfig plain = new ClientConfig().setClusterName(cluster);
        plain.getNetworkConfig().addAddress("127.0.0.1:" + port);
        HazelcastInstance client = HazelcastClient.newHazelcastClient(plain);
        resources.onClose(client::shutdown);
        IMap<String, HistoryBlock> minutes = client.getMap(HistoryTier.WINDOW.mapName(GridNames.SENSOR_STATS));
        Duration retention = Duration.ofHours(6);
        Random random = new Random(20);
        WindowStats second = HistoryBlockTest.window("s-1", HOUR0 + MINUTE, MINUTE, random);
        WindowStats first = HistoryBlockTest.window("s-1", HOUR0, MINUTE, random);
        SensorReading late = new SensorReading("s-1", "p-1", HOUR0 + 30_000, 21.5, Double.NaN, 1013.0, Double.NaN);
        WindowStats revision = HistoryUpdate.oneReading("s-1", HOUR0, HOUR0 + MINUTE, late);
        String key = HistoryTier.key("s-1", HOUR0);

        minutes.executeOnKey(key, HistoryUpdate.replace(HistoryTier.WINDOW, second, retention));
        minutes.executeOnKey(key, HistoryUpdate.replace(HistoryTier.WINDOW, first, retention));
        minutes.executeOnKey(key, HistoryUpdate.replace(HistoryTier.WINDOW, first, retention));
        assertThat(minutes.get(key)).as("the same window twice")
                                    .isEqualTo(HistoryBlock.of("s-1", HOUR0, List.of(first, second)));

        minutes.executeOnKey(key, HistoryUpdate.revise(HistoryTier.WINDOW, revision, retention));
        String lateMinute = HistoryTier.key("s-1", HOUR0 + 2 * MINUTE);
        WindowStats alone = HistoryUpdate.oneReading("s-1", HOUR0 + 2 * MINUTE, HOUR0 + 3 * MINUTE, late);
        minutes.executeOnKey(key, HistoryUpdate.revise(HistoryTier.WINDOW, alone, retention));

        HistoryBlock block = minutes.get(key);
        assertThat(block.windows()).containsExactly(HistoryUpdate.merge(first, revision), second, alone);
        assertThat(minutes.get(lateMinute)).as("a revision goes to its block, not a key of its own").isNull();
        assertThat(member.getMap(minutes.getName()).getEntryView(key).getTtl()).isEqualTo(retention.toMillis());
    }
}
