package io.iotgrid.jobs;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.config.ProcessingGuarantee;
import com.hazelcast.jet.core.JobStatus;
import com.hazelcast.jet.core.metrics.Measurement;
import com.hazelcast.map.IMap;
import com.hazelcast.sql.SqlResult;
import com.hazelcast.sql.SqlRow;
import io.iotgrid.core.AlertKind;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.SensorState;
import io.iotgrid.core.SensorStatus;
import io.iotgrid.core.SqlMappings;
import io.iotgrid.core.ThresholdAlert;
import io.iotgrid.core.WindowStats;
import io.iotgrid.core.testing.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sensor liveness on two members: sensors owned by either member go SILENT and then OFFLINE when they stop, one by
 * one or all at once (then no reading and no watermark arrives at all), each change alerted once; a sensor that
 * reports again is ONLINE; a job restart from a snapshot (suspend and resume) keeps the states and raises no alert
 * for the time the job was down. Each place's entry in the place stats counts its sensors that are not online, as
 * they stop and come back, and across the restart. Readings every 100 ms: a sensor is SILENT after 1 s (the floor; 3 intervals are less), OFFLINE after 3 s.
 */
@Timeout(180)
class LivenessTwoMembersIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final long PERIOD_MS = 100;

    @RegisterExtension
    final Resources resources = new Resources();

    private HazelcastInstance first;
    private HazelcastInstance second;
    private final Collection<ThresholdAlert> alerts = new ConcurrentLinkedQueue<>();

    @Test
    void when_sensorsStopOneByOneAndAllAtOnce_then_silentThenOfflineEachAlertedOnce() throws IOException {
        startMembers();
        AggregationSettings settings = settings();
        LiveSensors sensors = resources.add(new LiveSensors());
        List<String> ids = sensorsOnBothMembers(8);
        for (int i = 0; i < ids.size(); i++) {
            sensors.start(ids.get(i), "p-" + i % 2);
        }
        sensors.startStuck("stuck", "p-0");
        Job job = first.getJet().newJob(AggregationJob.build(sensors.source(PERIOD_MS, settings), settings),
                JobSerializers.register(new JobConfig()));
        resources.onClose(job::cancel);
        IMap<String, SensorStatus> status = second.getMap(settings.sensorStatusMap());
        IMap<String, WindowStats> places = second.getMap(settings.placeStatsMap());
        await().atMost(TIMEOUT).until(() -> status.size() == ids.size() + 1
                && status.values().stream().allMatch(s -> s.state() == SensorState.ONLINE));
        awaitSilentSensors(places, "p-0", 0);
        awaitSilentSensors(places, "p-1", 0);

        // One by one: each stops after the one before is silent; the place's other sensors report on.
        sensors.stop(ids.get(0));
        awaitState(status, SensorState.SILENT, ids.get(0));
        awaitSilentSensors(places, "p-0", 1);
        sensors.stop(ids.get(1));
        awaitState(status, SensorState.SILENT, ids.get(1));
        awaitSilentSensors(places, "p-1", 1);
        assertThat(places.get("p-0").silentSensors()).isEqualTo(1);
        // Then every sensor at once: no reading, so no watermark and no window result, reaches the job any more.
        sensors.stop(ids.toArray(String[]::new));
        sensors.stop("stuck");
        awaitState(status, SensorState.OFFLINE, ids.toArray(String[]::new));
        awaitState(status, SensorState.OFFLINE, "stuck");
        awaitSilentSensors(places, "p-0", 5);
        awaitSilentSensors(places, "p-1", 4);

        // The liveness processors' gauges, summed over both members, as the Grafana panel sums them.
        await().atMost(TIMEOUT).until(() -> gauge(job, "sensorsOffline") == ids.size() + 1
                && gauge(job, "sensorsOnline") == 0);

        SqlMappings.createSensorStatus(second, settings.sensorStatusMap());
        try (SqlResult rows = second.getSql().execute("SELECT place_id, COUNT(*) AS quiet FROM "
                + settings.sensorStatusMap() + " WHERE state <> 'ONLINE' GROUP BY place_id ORDER BY place_id")) {
            List<String> perPlace = new ArrayList<>();
            for (SqlRow row : rows) {
                perPlace.add(row.getObject("place_id") + "=" + row.getObject("quiet"));
            }
            assertThat(perPlace).containsExactly("p-0=5", "p-1=4");
        }
        // The same counts as a column of the place stats.
        SqlMappings.create(second, settings.sensorStatsMap(), settings.placeStatsMap(), settings.deadLettersMap());
        try (SqlResult rows = second.getSql().execute("SELECT id, silent_sensors FROM " + settings.placeStatsMap()
                + " ORDER BY id")) {
            List<String> perPlace = new ArrayList<>();
            for (SqlRow row : rows) {
                perPlace.add(row.getObject("id") + "=" + row.getObject("silent_sensors"));
            }
            assertThat(perPlace).containsExactly("p-0=5", "p-1=4");
        }
        assertThat(second.<String, WindowStats>getMap(settings.sensorStatsMap()).values())
                .allSatisfy(w -> assertThat(w.silentSensors()).isNull());

        sensors.start(ids.get(0), "p-0");
        awaitState(status, SensorState.ONLINE, ids.get(0));
        awaitSilentSensors(places, "p-0", 4);

        assertThat(status.values()).filteredOn(s -> s.state() == SensorState.OFFLINE).allSatisfy(s -> {
            // Never before its bound: the data says so, whatever the machine's speed.
            assertThat(s.stateSince() - s.lastSeenAt()).isGreaterThanOrEqualTo(3000);
            assertThat(s.intervalMs()).isBetween(PERIOD_MS / 2, PERIOD_MS * 3);
        });
        Map<String, List<String>> expected = new HashMap<>();
        ids.forEach(id -> expected.put(id, List.of("ONLINE->SILENT", "SILENT->OFFLINE")));
        expected.put("stuck", List.of("ONLINE->SILENT", "SILENT->OFFLINE"));
        expected.put(ids.get(0), List.of("ONLINE->SILENT", "SILENT->OFFLINE", "OFFLINE->ONLINE"));
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(statusChanges()).isEqualTo(expected));
        assertThat(alerts).filteredOn(a -> a.kind() == AlertKind.STATUS && a.rule().endsWith("SILENT"))
                          .allSatisfy(a -> assertThat(a.value()).isGreaterThanOrEqualTo(1.0));
        assertThat(alerts).filteredOn(a -> a.kind() == AlertKind.ANOMALY).singleElement().satisfies(a -> {
            assertThat(a.sensorId()).isEqualTo("stuck");
            assertThat(a.rule()).isEqualTo("stuck: temperature=21.50 in 5 readings in a row");
        });
    }

    @Test
    void when_jobSuspendedLongerThanTheBoundsAndResumedFromSnapshot_then_statesKeptAndNoFalseAlerts() throws IOException {
        startMembers();
        AggregationSettings settings = settings();
        LiveSensors sensors = resources.add(new LiveSensors());
        List<String> ids = sensorsOnBothMembers(4);
        String reporting = ids.get(0);
        String comesBack = ids.get(1);
        String offline = ids.get(2);
        String stopsDuringRestart = ids.get(3);
        ids.forEach(id -> sensors.start(id, "p-1"));
        Job job = first.getJet().newJob(AggregationJob.build(sensors.source(PERIOD_MS, settings), settings),
                JobSerializers.register(new JobConfig()).setProcessingGuarantee(ProcessingGuarantee.AT_LEAST_ONCE)
                        .setSnapshotIntervalMillis(200));
        resources.onClose(job::cancel);
        IMap<String, SensorStatus> status = second.getMap(settings.sensorStatusMap());
        IMap<String, WindowStats> places = second.getMap(settings.placeStatsMap());
        await().atMost(TIMEOUT).until(() -> status.size() == ids.size());

        sensors.stop(comesBack, offline);
        awaitState(status, SensorState.OFFLINE, comesBack, offline);
        awaitSilentSensors(places, "p-1", 2);

        // Suspending saves a last snapshot; resuming restores it. The job stays down for longer than the reporting
        // sensor's offline bound: its silence while the job is down must not count.
        job.suspend();
        await().atMost(TIMEOUT).until(() -> job.getStatus() == JobStatus.SUSPENDED);
        sensors.stop(stopsDuringRestart);
        long downUntil = status.get(reporting).lastSeenAt() + 2 * settings.offlineAfter().toMillis();
        await().atMost(TIMEOUT).until(() -> System.currentTimeMillis() > downUntil);
        job.resume();
        await().atMost(TIMEOUT).until(() -> job.getStatus() == JobStatus.RUNNING);
        awaitState(status, SensorState.OFFLINE, stopsDuringRestart);
        // Counted on top of the two the snapshot held: a count restarted from nothing would say 1 here, then 0.
        awaitSilentSensors(places, "p-1", 3);
        sensors.start(comesBack, "p-1");
        awaitState(status, SensorState.ONLINE, comesBack);
        awaitSilentSensors(places, "p-1", 2);
        long comeback = System.currentTimeMillis();
        // The reporting sensor is still being judged: its status is rewritten with readings after the comeback.
        await().atMost(TIMEOUT).until(() -> status.get(reporting).lastSeenAt() > comeback);

        Map<String, List<String>> expected = new HashMap<>();
        expected.put(comesBack, List.of("ONLINE->SILENT", "SILENT->OFFLINE", "OFFLINE->ONLINE"));
        expected.put(offline, List.of("ONLINE->SILENT", "SILENT->OFFLINE"));
        expected.put(stopsDuringRestart, List.of("ONLINE->SILENT", "SILENT->OFFLINE"));
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(statusChanges()).isEqualTo(expected));
        assertThat(status.get(reporting).state()).isEqualTo(SensorState.ONLINE);
        assertThat(status.get(offline).state()).isEqualTo(SensorState.OFFLINE);
    }

    private void startMembers() throws IOException {
        String cluster = "liveness-" + UUID.randomUUID();
        int port = freePort();
        first = Hazelcast.newHazelcastInstance(GridConfigs.loopbackMember(cluster, port));
        resources.onClose(first::shutdown);
        second = Hazelcast.newHazelcastInstance(GridConfigs.loopbackMember(cluster, port));
        resources.onClose(second::shutdown);
        await().atMost(TIMEOUT).until(() -> first.getCluster().getMembers().size() == 2);
        first.<ThresholdAlert>getReliableTopic(settings().alertsTopic())
             .addMessageListener(m -> alerts.add(m.getMessageObject()));
    }

    private static AggregationSettings settings() {
        return AggregationSettings.builder()
                .set(AggregationSettings.WINDOW_SIZE, Duration.ofSeconds(1))
                .set(AggregationSettings.EARLY_RESULTS_PERIOD, Duration.ofMillis(200))
                // Pure event time: nothing but the liveness processor's own clock sees that the sensors stopped.
                .set(AggregationSettings.QUIET_CLOSE_AFTER, null)
                .set(AggregationSettings.SILENT_FLOOR, Duration.ofSeconds(1))
                .set(AggregationSettings.OFFLINE_AFTER, Duration.ofSeconds(3))
                .set(AggregationSettings.STATUS_REFRESH, Duration.ofMillis(200))
                .set(AggregationSettings.ANOMALY_STUCK_READINGS, 5)
                .set(AggregationSettings.ANOMALY_STDDEVS, null)
                .build();
    }

    /** {@code count} sensor ids, at least a quarter of them in partitions of each member. */
    private List<String> sensorsOnBothMembers(int count) {
        List<String> onFirst = new ArrayList<>();
        List<String> onSecond = new ArrayList<>();
        for (int i = 0; onFirst.size() + onSecond.size() < count; i++) {
            String id = "s-" + i;
            boolean firstOwns = first.getPartitionService().getPartition(id).getOwner().localMember();
            List<String> side = firstOwns ? onFirst : onSecond;
            if (side.size() < count / 2) {
                side.add(id);
            }
        }
        List<String> ids = new ArrayList<>();
        IntStream.range(0, count / 2).forEach(i -> {
            ids.add(onFirst.get(i));
            ids.add(onSecond.get(i));
        });
        return ids;
    }

    /** Waits until the place's entry in the place stats counts {@code silent} sensors not online. */
    private static void awaitSilentSensors(IMap<String, WindowStats> places, String placeId, int silent) {
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(places.get(placeId))
                .as("place stats of %s", placeId).isNotNull()
                .extracting(WindowStats::silentSensors).isEqualTo(silent));
    }

    private static long gauge(Job job, String name) {
        return job.getMetrics().get(name).stream().mapToLong(Measurement::value).sum();
    }

    private static void awaitState(IMap<String, SensorStatus> status, SensorState state, String... ids) {
        await().atMost(TIMEOUT).until(() -> Set.of(ids).stream().allMatch(id -> status.get(id) != null
                && status.get(id).state() == state));
    }

    /** The status alerts received so far, per sensor, in order. */
    private Map<String, List<String>> statusChanges() {
        Map<String, List<String>> bySensor = new HashMap<>();
        alerts.stream().filter(a -> a.kind() == AlertKind.STATUS)
              .forEach(a -> bySensor.computeIfAbsent(a.sensorId(), k -> new ArrayList<>()).add(a.rule()));
        return bySensor;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
