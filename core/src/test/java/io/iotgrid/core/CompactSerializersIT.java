package io.iotgrid.core;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.ringbuffer.Ringbuffer;
import com.hazelcast.sql.SqlResult;
import com.hazelcast.sql.SqlRow;
import io.iotgrid.core.testing.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Iterator;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A member with {@link SensorReadingSerializer}, {@link WindowStatsSerializer} and {@link SensorStatusSerializer} and
 * a client with only
 * zero-config serialization read each other's entries, and SQL reads both: the explicit serializers write the
 * zero-config schemas.
 */
class CompactSerializersIT {

    private static final int PORT = 6740;

    @RegisterExtension
    final Resources resources = new Resources();

    @Test
    void when_memberWithSerializerAndZeroConfigClient_then_eachReadsTheOthersReadings() throws Exception {
        HazelcastInstance member = member("reading-serializer", PORT);
        HazelcastInstance client = zeroConfigClient(member);
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

    @Test
    void when_windowStatsWrittenByMemberWithSerializer_then_zeroConfigClientAndSqlReadThem() throws Exception {
        HazelcastInstance member = member("stats-serializer", PORT + 5);
        HazelcastInstance client = zeroConfigClient(member);
        WindowStats byMember = new WindowStats("s-1", 60_000, 120_000, true, 3, 3, -1.5, 22.0, 10.25, 9.75,
                0, null, null, null, null, 2, 1000.0, 1013.0, 1006.5, 6.5, 1, 0.0, 0.0, 0.0, 0.0, null);
        WindowStats byClient = new WindowStats("s-2", 0, 60_000, false, 1, 1, 5.0, 5.0, 5.0, 0.0,
                1, 40.0, 40.0, 40.0, 0.0, 0, null, null, null, null, 0, null, null, null, null, 2);

        member.getMap(GridNames.SENSOR_STATS).set(byMember.id(), byMember);
        client.getMap(GridNames.SENSOR_STATS).set(byClient.id(), byClient);

        assertThat(client.getMap(GridNames.SENSOR_STATS).get(byMember.id())).isEqualTo(byMember);
        assertThat(member.getMap(GridNames.SENSOR_STATS).get(byClient.id())).isEqualTo(byClient);
        client.getSql().execute(SqlMappings.windowStats(GridNames.SENSOR_STATS)).close();
        try (SqlResult rows = client.getSql().execute("SELECT id, min_humidity, avg_pressure, stddev_pressure, silent_sensors FROM "
                + GridNames.SENSOR_STATS + " ORDER BY id")) {
            Iterator<SqlRow> it = rows.iterator();
            SqlRow first = it.next();
            assertThat(first.<String>getObject("id")).isEqualTo("s-1");
            assertThat(first.<Double>getObject("min_humidity")).isNull();
            assertThat(first.<Double>getObject("avg_pressure")).isEqualTo(1006.5);
            assertThat(first.<Double>getObject("stddev_pressure")).isEqualTo(6.5);
            assertThat(first.<Integer>getObject("silent_sensors")).isNull();
            SqlRow second = it.next();
            assertThat(second.<Double>getObject("avg_pressure")).isNull();
            assertThat(second.<Integer>getObject("silent_sensors")).isEqualTo(2);
        }
    }

    @Test
    void when_sensorStatusWrittenByMemberWithSerializer_then_zeroConfigClientAndSqlReadIt() throws Exception {
        int port = freePort();
        HazelcastInstance member = member("status-serializer", port);
        HazelcastInstance client = zeroConfigClient(member);
        SensorStatus byMember = new SensorStatus("s-1", "p-1", SensorState.SILENT, 1_000, 2_000, 500, 30_000, 32_000);
        SensorStatus byClient = new SensorStatus("s-2", "p-1", SensorState.ONLINE, 3_000, 4_000, 0, 30_000, 4_000);

        member.getMap(GridNames.SENSOR_STATUS).set(byMember.sensorId(), byMember);
        client.getMap(GridNames.SENSOR_STATUS).set(byClient.sensorId(), byClient);

        assertThat(client.getMap(GridNames.SENSOR_STATUS).get(byMember.sensorId())).isEqualTo(byMember);
        assertThat(member.getMap(GridNames.SENSOR_STATUS).get(byClient.sensorId())).isEqualTo(byClient);
        client.getSql().execute(SqlMappings.sensorStatus(GridNames.SENSOR_STATUS)).close();
        try (SqlResult rows = client.getSql().execute("SELECT sensor_id, state, silent_after_ms FROM "
                + GridNames.SENSOR_STATUS + " ORDER BY sensor_id")) {
            Iterator<SqlRow> it = rows.iterator();
            SqlRow first = it.next();
            assertThat(first.<String>getObject("state")).isEqualTo("SILENT");
            assertThat(first.<Long>getObject("silent_after_ms")).isEqualTo(30_000L);
            assertThat(it.next().<String>getObject("state")).isEqualTo("ONLINE");
        }
    }

    @Test
    void when_historyBlocksWrittenByMemberWithSerializer_then_zeroConfigClientReadsThemAndWritesItsOwn()
            throws Exception {
        int port = freePort();
        HazelcastInstance member = member("block-serializer", port);
        HazelcastInstance client = zeroConfigClient(member);
        long hour = 1_764_932_400_000L;
        java.util.Random random = new java.util.Random(16);
        HistoryBlock byMember = HistoryBlock.of("s-1", hour, java.util.List.of(
                HistoryBlockTest.window("s-1", hour, 60_000, random),
                new WindowStats("s-1", hour + 60_000, hour + 120_000, false, 1, 0, null, null, null, null,
                        1, 40.0, 40.0, 40.0, 0.0, 0, null, null, null, null, 0, null, null, null, null, null)));
        HistoryBlock byClient = HistoryBlock.of("s-2", hour, java.util.List.of(
                HistoryBlockTest.window("s-2", hour + 59 * 60_000, 60_000, random)));
        String map = HistoryTier.WINDOW.mapName(GridNames.SENSOR_STATS);

        member.getMap(map).set(HistoryTier.key("s-1", hour), byMember);
        client.getMap(map).set(HistoryTier.key("s-2", hour), byClient);

        assertThat(client.getMap(map).get(HistoryTier.key("s-1", hour))).isEqualTo(byMember);
        assertThat(member.getMap(map).get(HistoryTier.key("s-2", hour))).isEqualTo(byClient);
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** A member of {@link GridConfigs#loopbackMember}, which registers the explicit serializers. */
    private HazelcastInstance member(String cluster, int port) {
        HazelcastInstance member = Hazelcast.newHazelcastInstance(
                GridConfigs.loopbackMember(cluster + "-" + UUID.randomUUID(), port));
        resources.onClose(() -> member.getLifecycleService().terminate());
        return member;
    }

    /** A client with a plain configuration: zero-config Compact serialization only. */
    private HazelcastInstance zeroConfigClient(HazelcastInstance member) {
        ClientConfig plain = new ClientConfig().setClusterName(member.getConfig().getClusterName());
        // The member's own port: with other builds on the machine it may have moved on from a taken `port`.
        plain.getNetworkConfig().addAddress("127.0.0.1:" + member.getCluster().getLocalMember().getAddress().getPort());
        HazelcastInstance client = HazelcastClient.newHazelcastClient(plain);
        resources.onClose(client::shutdown);
        return client;
    }
}
