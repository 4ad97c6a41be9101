package io.iotgrid.jobs;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.map.IMap;
import com.hazelcast.ringbuffer.Ringbuffer;
import io.iotgrid.core.AlertKind;
import io.iotgrid.core.AlertRule;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.GridNames;
import io.iotgrid.core.Measure;
import io.iotgrid.core.MeasureStats;
import io.iotgrid.core.SensorReading;
import io.iotgrid.core.ThresholdAlert;
import io.iotgrid.core.WindowStats;
import io.iotgrid.core.testing.Resources;
import io.iotgrid.simulator.SensorSimulator;
import io.iotgrid.simulator.SimulationSettings;
import io.iotgrid.sources.CoapObserveSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.iotgrid.core.testing.GridReads.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * End to end on real peers: an in-process Californium server with observable sensors, a member running the
 * job on the CoAP source, and a Hazelcast client that reads every output structure and checks it against what
 * the server sent.
 */
@Timeout(180)
class CoapAggregationIT {

    private static final int PORT = 5940;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    final Resources resources = new Resources();

    @Test
    void when_sensorsPublishOverCoap_then_clientReadsAggregatesReadingsAndAlertsMatchingWhatWasSent() {
        SensorSimulator simulator = SensorSimulator.start(SimulationSettings.builder()
                .set(SimulationSettings.SENSORS, 4).set(SimulationSettings.PLACES, 2)
                .set(SimulationSettings.READINGS_PER_SECOND, 10.0).build());
        resources.add(simulator);
        String cluster = "coap-aggregation-it-" + UUID.randomUUID();
        HazelcastInstance member = Hazelcast.newHazelcastInstance(GridConfigs.loopbackMember(cluster, PORT));
        resources.onClose(member::shutdown);
        HazelcastInstance client = HazelcastClient.newHazelcastClient(GridConfigs.loopbackClient(cluster, PORT));
        resources.onClose(client::shutdown);

        AlertRule warm = AlertRule.parse("temperature>22");
        Collection<ThresholdAlert> alerts = new ConcurrentLinkedQueue<>();
        client.<ThresholdAlert>getReliableTopic(GridNames.ALERTS)
              .addMessageListener(m -> alerts.add(m.getMessageObject()));
        AggregationSettings settings = AggregationSettings.builder()
                .set(AggregationSettings.WINDOW_SIZE, Duration.ofSeconds(2))
                .set(AggregationSettings.EARLY_RESULTS_PERIOD, Duration.ofMillis(500))
                .set(AggregationSettings.ALLOWED_LATENESS, Duration.ofSeconds(2))
                .set(AggregationSettings.QUIET_CLOSE_AFTER, Duration.ofSeconds(1))
                .set(AggregationSettings.ALERT_RULES, List.of(warm)).build();
        Job job = member.getJet().newJob(
                AggregationJob.build(AggregationJob.coapSource(
                        CoapObserveSettings.of(simulator.uris().toArray(String[]::new)), settings), settings));
        resources.onClose(job::cancel);

        Ringbuffer<SensorReading> ringbuffer = client.getRingbuffer(GridNames.READINGS);
        await().atMost(TIMEOUT).until(() -> ringbuffer.size() >= 120);
        simulator.pause();

        IMap<String, WindowStats> sensorStats = client.getMap(GridNames.SENSOR_STATS);
        IMap<String, WindowStats> placeStats = client.getMap(GridNames.PLACE_STATS);
        // Once the sensors are quiet, the last window of each sensor and place closes by the wall clock.
        await().atMost(TIMEOUT).untilAsserted(() -> {
            List<SensorReading> received = readAll(ringbuffer);
            assertLastWindowClosed(sensorStats, received, SensorReading::sensorId, simulator.sensorIds());
            assertLastWindowClosed(placeStats, received, SensorReading::placeId, List.of("p-1", "p-2"));
        });

        List<SensorReading> received = readAll(ringbuffer);
        assertThat(new HashSet<>(simulator.published())).as("every reading in the grid was sent by the server")
                .containsAll(received);
        for (String sensor : simulator.sensorIds()) {
            assertMatches(sensorStats.get(sensor), received, r -> r.sensorId().equals(sensor));
        }
        for (String place : List.of("p-1", "p-2")) {
            assertMatches(placeStats.get(place), received, r -> r.placeId().equals(place));
        }
        List<String> expectedAlerts = received.stream().filter(r -> warm.check(r) != null)
                .map(r -> r.sensorId() + "@" + r.timestamp()).toList();
        assertThat(expectedAlerts).as("the simulated temperatures cross the rule").isNotEmpty();
        // Threshold alerts only: the sensors' liveness may alert too, e.g. once the simulator stops.
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(alerts).filteredOn(a -> a.kind() == AlertKind.THRESHOLD)
                .extracting(a -> a.sensorId() + "@" + a.timestamp())
                .containsExactlyInAnyOrderElementsOf(expectedAlerts));
        assertThat(client.getMap(GridNames.DEAD_LETTERS).size()).as("dead letters").isZero();
    }

    private static void assertLastWindowClosed(IMap<String, WindowStats> stats, List<SensorReading> received,
                                               Function<SensorReading, String> keyFn, List<String> keys) {
        Map<String, Long> lastTimestamp = received.stream()
                .collect(Collectors.toMap(keyFn, SensorReading::timestamp, Math::max));
        assertThat(lastTimestamp).containsOnlyKeys(keys);
        for (String key : keys) {
            WindowStats w = stats.get(key);
            assertThat(w).as("stats of %s", key).isNotNull();
            assertThat(w.early()).as("final result for %s", key).isFalse();
            assertThat(lastTimestamp.get(key)).as("last reading of %s lies in the window", key)
                    .isBetween(w.windowStart(), w.windowEnd() - 1);
        }
    }

    /** Compares a window's aggregates with the same ones computed here from the readings the grid received. */
    private static void assertMatches(WindowStats w, List<SensorReading> received,
                                      java.util.function.Predicate<SensorReading> ofKey) {
        List<SensorReading> inWindow = received.stream()
                .filter(ofKey)
                .filter(r -> r.timestamp() >= w.windowStart() && r.timestamp() < w.windowEnd())
                .toList();
        assertThat(w.count()).as("readings of %s in its window", w.id()).isEqualTo(inWindow.size());
        for (Measure m : Measure.values()) {
            MeasureStats s = w.stats(m);
            double[] values = inWindow.stream().mapToDouble(r -> r.value(m)).filter(v -> !Double.isNaN(v)).toArray();
            assertThat(s.count()).as("%s count of %s", m, w.id()).isEqualTo(values.length);
            assertThat(s.min()).isCloseTo(java.util.Arrays.stream(values).min().orElseThrow(), within(1e-9));
            assertThat(s.max()).isCloseTo(java.util.Arrays.stream(values).max().orElseThrow(), within(1e-9));
            assertThat(s.avg()).isCloseTo(java.util.Arrays.stream(values).average().orElseThrow(), within(1e-9));
        }
    }
}
