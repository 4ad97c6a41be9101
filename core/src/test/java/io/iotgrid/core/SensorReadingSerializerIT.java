package io.iotgrid.core;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.ringbuffer.Ringbuffer;
import io.iotgrid.core.testing.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A member with {@link SensorReadingSerializer} and a client with only zero-config serialization read each
 * other's readings: the explicit serializer writes the zero-config schema.
 */
class SensorReadingSerializerIT {

    private static final int PORT = 6740;

    @RegisterExtension
    final Resources resources = new Resources();

    @Test
    void when_memberWithSerializerAndZeroConfigClient_then_eachReadsTheOthersReadings() throws Exception {
        String cluster = "reading-serializer-" + UUID.randomUUID();
        HazelcastInstance member = Hazelcast.newHazelcastInstance(GridConfigs.loopbackMember(cluster, PORT));
        resources.onClose(() -> member.getLifecycleService().terminate());
        ClientConfig plain = new ClientConfig().setClusterName(cluster);
        plain.getNetworkConfig().addAddress("127.0.0.1:" + PORT);
        HazelcastInstance client = HazelcastClient.newHazelcastClient(plain);
        resources.onClose(client::shutdown);
        SensorReading byMember = new SensorReading("s-1", "p-1", 1_700_000_000_000L, 21.5, Double.NaN, 1013, 0);
        SensorReading byClient = new SensorReading("s-2", "p-2", 1_700_000_000_001L, -3, 40, Double.NaN, 250);

        Ringbuffer<SensorReading> written = member.getRingbuffer(GridNames.READINGS);
        written.add(byMember);
        IMap<String, SensorReading> fromClient = client.getMap("readings-by-client");
        fromClient.set(byClient.sensorId(), byClient);

        Ringbuffer<SensorReading> read = client.getRingbuffer(GridNames.READINGS);
        assertThat(read.readOne(read.headSequence())).isEqualTo(byMember);
        IMap<String, SensorReading> onMember = member.getMap("readings-by-client");
        assertThat(onMember.get(byClient.sensorId())).isEqualTo(byClient);
    }
}
