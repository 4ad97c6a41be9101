package io.iotgrid.sources;

import com.hazelcast.collection.IList;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.core.metrics.Measurement;
import com.hazelcast.jet.core.metrics.MetricTags;
import io.iotgrid.core.RawReading;
import io.iotgrid.core.testing.Resources;
import io.iotgrid.simulator.SensorSimulator;
import io.iotgrid.simulator.SimulationSettings;
import org.eclipse.californium.core.CoapResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** One source over many resources: spread over two members, and found by discovery. */
@Timeout(90)
class CoapManyResourcesIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @AutoClose("shutdown")
    private static HazelcastInstance member1;
    @AutoClose("shutdown")
    private static HazelcastInstance member2;

    @RegisterExtension
    final Resources resources = new Resources();

    @BeforeAll
    static void start() {
        String cluster = "coap-many-it-" + UUID.randomUUID();
        member1 = Hazelcast.newHazelcastInstance(SourceJobs.member(cluster, 6030));
        member2 = Hazelcast.newHazelcastInstance(SourceJobs.member(cluster, 6030));
    }

    @AfterAll
    static void noCaliforniumPropertiesWritten() {
        assertThat(Path.of("Californium3.properties")).doesNotExist();
    }

    @Test
    void when_distributed_then_eachResourceObservedOnceAndBothMembersTakePart() {
        SensorSimulator simulator = resources.add(SensorSimulator.start(SimulationSettings.builder()
                .set(SimulationSettings.SENSORS, 20).set(SimulationSettings.READINGS_PER_SECOND, 2.0).build()));
        IList<RawReading> received = member1.getList("many-distributed-" + UUID.randomUUID());
        Job job = run(CoapObserveSettings.builder().set(CoapObserveSettings.URIS, simulator.uris())
                .set(CoapObserveSettings.DISTRIBUTED, true).build(), received);

        await().atMost(WAIT).untilAsserted(() -> assertThat(List.copyOf(received).stream().map(RawReading::source)
                .collect(Collectors.toSet())).containsExactlyInAnyOrderElementsOf(simulator.uris()));
        assertThat(simulator.observers()).as("relations over all resources").isEqualTo(20);
        await().atMost(WAIT).untilAsserted(() -> {
            List<Measurement> counted = job.getMetrics().get("coapNotifications");
            assertThat(counted.stream().map(m -> m.tag("resource")).collect(Collectors.toSet()))
                    .containsExactlyInAnyOrderElementsOf(simulator.uris());
            assertThat(counted.stream().map(m -> m.tag(MetricTags.MEMBER)).collect(Collectors.toSet())).hasSize(2);
        });
    }

    @Test
    void when_discovering_then_exactlyTheMatchingResourcesObserved() {
        TestCoapServer.Resource a = new TestCoapServer.Resource("a", 60, "{\"v\":\"a\"}");
        TestCoapServer.Resource b = new TestCoapServer.Resource("b", 60, "{\"v\":\"b\"}");
        TestCoapServer.Resource notObservable = new TestCoapServer.Resource("c", 60, "{\"v\":\"c\"}", false);
        TestCoapServer.Resource deeper = new TestCoapServer.Resource("d", 60, "{\"v\":\"d\"}");
        TestCoapServer.Resource elsewhere = new TestCoapServer.Resource("e", 60, "{\"v\":\"e\"}");
        CoapResource sensors = new CoapResource("sensors");
        CoapResource nested = new CoapResource("deep");
        sensors.add(a);
        sensors.add(b);
        sensors.add(notObservable);
        sensors.add(nested);
        nested.add(deeper);
        TestCoapServer server = resources.add(new TestCoapServer(sensors, elsewhere));
        String base = server.uri("");
        IList<RawReading> received = member1.getList("many-discovery-" + UUID.randomUUID());

        run(CoapObserveSettings.discover(CoapDiscovery.of(base, "/sensors/*")), received);

        await().atMost(WAIT).untilAsserted(() -> assertThat(sources(received))
                .containsExactlyInAnyOrder(base + "/sensors/a", base + "/sensors/b"));
        a.publish("{\"v\":\"a2\"}");
        await().atMost(WAIT).until(() -> List.copyOf(received).size() >= 3);
        assertThat(sources(received)).containsExactlyInAnyOrder(base + "/sensors/a", base + "/sensors/b");
        assertThat(List.of(notObservable, deeper, elsewhere)).allMatch(r -> r.getObserverCount() == 0);
        assertThat(a.getObserverCount() + b.getObserverCount()).isEqualTo(2);
    }

    private static Set<String> sources(IList<RawReading> received) {
        return List.copyOf(received).stream().map(RawReading::source).collect(Collectors.toSet());
    }

    private Job run(CoapObserveSettings settings, IList<RawReading> into) {
        return SourceJobs.run(member1, resources, CoapSources.observe(settings), into);
    }
}
