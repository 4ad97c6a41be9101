package io.iotgrid.jobs;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.map.IMap;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.MeasureStats;
import io.iotgrid.core.WindowStats;
import io.iotgrid.core.testing.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Per-place gauges on two members: one gauge per key, on its owner, following the map and gone with the job. */
@Timeout(120)
class StatsGaugesJobIT {

    private static final int PORT = 6320;
    private static final int PLACES = 20;

    @RegisterExtension
    final Resources resources = new Resources();

    private final MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
    private final String map = "gauges_" + UUID.randomUUID().toString().replace("-", "");

    @Test
    void when_mapChanges_then_oneGaugePerKeyOnItsOwnerFollowsIt() throws Exception {
        String cluster = "gauges-" + UUID.randomUUID();
        HazelcastInstance first = Hazelcast.newHazelcastInstance(GridConfigs.loopbackMember(cluster, PORT));
        resources.onClose(first::shutdown);
        HazelcastInstance second = Hazelcast.newHazelcastInstance(GridConfigs.loopbackMember(cluster, PORT));
        resources.onClose(second::shutdown);
        await().atMost(Duration.ofSeconds(60)).until(() -> first.getCluster().getMembers().size() == 2);
        IMap<String, WindowStats> places = first.getMap(map);
        for (int i = 0; i < PLACES; i++) {
            places.put("p-" + i, stats("p-" + i, 10 + i));
        }

        Job job = first.getJet().newJob(StatsGaugesJob.build(map, Duration.ofSeconds(1)));
        resources.onClose(job::cancel);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(gauges()).hasSize(PLACES));
        Set<ObjectName> gauges = gauges();
        assertThat(gauges).extracting(n -> n.getKeyProperty("id")).doesNotHaveDuplicates();
        assertThat(gauges).extracting(n -> n.getKeyProperty("instance")).as("each member publishes what it owns")
                .containsOnly(first.getName(), second.getName())
                .contains(first.getName(), second.getName());
        for (ObjectName gauge : gauges) {
            String id = gauge.getKeyProperty("id");
            assertThat(gauge.getKeyPropertyListString()).startsWith("type=Metrics,");
            boolean ownedByFirst = first.getPartitionService().getPartition(id).getOwner()
                    .equals(first.getCluster().getLocalMember());
            assertThat(gauge.getKeyProperty("instance")).as(id + " on its owner")
                    .isEqualTo(ownedByFirst ? first.getName() : second.getName());
            assertThat(jmx.getAttribute(gauge, "temperatureAvg")).isEqualTo(places.get(id).temperatureAvg());
            assertThat(jmx.getAttribute(gauge, "count")).isEqualTo(4L);
            assertThatThrownBy(() -> jmx.getAttribute(gauge, "humidityAvg"))
                    .as("no gauge for a measure the window did not carry").hasMessageContaining("humidityAvg");
        }

        places.put("p-3", stats("p-3", 99));
        places.remove("p-4");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, ObjectName> byId = gauges().stream()
                    .collect(Collectors.toMap(n -> n.getKeyProperty("id"), n -> n));
            assertThat(byId).hasSize(PLACES - 1).doesNotContainKey("p-4");
            assertThat(jmx.getAttribute(byId.get("p-3"), "temperatureAvg")).isEqualTo(99.0);
        });

        job.cancel();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(gauges()).isEmpty());
    }

    private Set<ObjectName> gauges() throws Exception {
        return jmx.queryNames(new ObjectName(StatsGaugesJob.JMX_DOMAIN + ":type=Metrics,*"), null).stream()
                .filter(n -> map.equals(n.getKeyProperty("map"))).collect(Collectors.toSet());
    }

    private static WindowStats stats(String id, double temperatureAvg) {
        MeasureStats temperature = MeasureStats.of(4L, temperatureAvg - 1, temperatureAvg + 1, temperatureAvg, 1.0);
        MeasureStats[] measures = {temperature, MeasureStats.NONE, MeasureStats.NONE, MeasureStats.NONE};
        return WindowStats.of(id, 1_700_000_040_000L, 1_700_000_100_000L, false, 4, measures);
    }
}
