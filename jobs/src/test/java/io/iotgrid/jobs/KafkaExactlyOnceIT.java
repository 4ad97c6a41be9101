package io.iotgrid.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.core.JobStatus;
import com.hazelcast.jet.impl.JobExecutionRecord;
import com.hazelcast.jet.impl.JobRepository;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.GridNames;
import io.iotgrid.core.WindowStats;
import io.iotgrid.core.testing.Resources;
import io.iotgrid.kafka.broker.KafkaBroker;
import io.iotgrid.kafka.broker.KafkaBrokerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static io.iotgrid.jobs.KafkaReadings.CLOSER;
import static io.iotgrid.jobs.KafkaReadings.actual;
import static io.iotgrid.jobs.KafkaReadings.actualAll;
import static io.iotgrid.jobs.KafkaReadings.asLists;
import static io.iotgrid.jobs.KafkaReadings.closers;
import static io.iotgrid.jobs.KafkaReadings.produce;
import static io.iotgrid.jobs.KafkaReadings.readCommitted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Kafka flavour under EXACTLY_ONCE with a real KRaft broker: a known set of readings, a failure in the middle of
 * it, and aggregates in the grid and in the results topics compared with those computed from the input.
 */
@Timeout(300)
class KafkaExactlyOnceIT {

    private static final int PORT = 6110;
    private static final int PARTITIONS = 4;
    private static final String INPUT = "readings";
    private static final String SENSOR_RESULTS = "sensor-results";
    private static final String PLACE_RESULTS = "place-results";
    private static final Duration LONG = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final Resources resources = new Resources();

    private final KafkaReadings data = new KafkaReadings(24, 4, 40);

    @Test
    void when_memberTerminatedMidStream_then_aggregatesExactAndEachResultCommittedOnce() throws Exception {
        KafkaBroker broker = startBroker();
        String cluster = "kafka-eo-" + UUID.randomUUID();
        HazelcastInstance first = member(cluster);
        HazelcastInstance second = member(cluster);
        await().atMost(LONG).until(() -> first.getCluster().getMembers().size() == 2);
        Job job = startJob(first, broker);

        produce(broker.bootstrapServers(), data.records(INPUT, 0, data.perSensor / 2));
        awaitSnapshotWithReadings(first, job);
        second.getLifecycleService().terminate();
        produce(broker.bootstrapServers(), data.records(INPUT, data.perSensor / 2, data.perSensor));

        assertExactAndResultsOnce(first, broker);
    }

    @Test
    void when_brokerRestartsMidStream_then_jobResumesAndAggregatesExact() throws Exception {
        KafkaBroker broker = startBroker();
        HazelcastInstance member = member("kafka-restart-" + UUID.randomUUID());
        Job job = startJob(member, broker);

        produce(broker.bootstrapServers(), data.records(INPUT, 0, data.perSensor / 2));
        awaitSnapshotWithReadings(member, job);
        broker.restart();
        produce(broker.bootstrapServers(), data.records(INPUT, data.perSensor / 2, data.perSensor));

        assertExactAndResultsOnce(member, broker);
        assertThat(job.getStatus()).isEqualTo(JobStatus.RUNNING);
    }

    private void assertExactAndResultsOnce(HazelcastInstance member, KafkaBroker broker) throws Exception {
        Map<String, WindowStats> sensors = member.getMap(KafkaReadings.settings().sensorStatsMap());
        Map<String, WindowStats> places = member.getMap(KafkaReadings.settings().placeStatsMap());
        Map<String, List<Long>> expectedSensors = asLists(data.expectedBySensor());
        Map<String, List<Long>> expectedPlaces = asLists(data.expectedByPlace());
        // Early results equal to the input's aggregates: every reading passed the windows, none twice, so the
        // closers below cannot make any of them late.
        await().atMost(LONG).untilAsserted(() -> {
            assertThat(actualAll(sensors)).isEqualTo(expectedSensors);
            assertThat(actualAll(places)).isEqualTo(expectedPlaces);
        });

        produce(broker.bootstrapServers(), closers(INPUT, PARTITIONS, 1));
        await().atMost(LONG).untilAsserted(() -> {
            assertThat(sensors.values()).filteredOn(w -> !w.id().equals(CLOSER))
                    .allSatisfy(w -> assertThat(w.early()).as("window of %s closed", w.id()).isFalse());
            assertThat(places.values()).filteredOn(w -> !w.id().equals(CLOSER))
                    .allSatisfy(w -> assertThat(w.early()).as("window of %s closed", w.id()).isFalse());
        });
        assertThat(actualAll(sensors)).isEqualTo(expectedSensors);
        assertThat(actualAll(places)).isEqualTo(expectedPlaces);

        produce(broker.bootstrapServers(), closers(INPUT, PARTITIONS, 2));
        assertResultsOnce(broker, SENSOR_RESULTS, expectedSensors);
        assertResultsOnce(broker, PLACE_RESULTS, expectedPlaces);
    }

    /** Read committed until the closers' own window shows up, which is written after every window before it. */
    private static void assertResultsOnce(KafkaBroker broker, String topic, Map<String, List<Long>> expected)
            throws Exception {
        Map<String, List<String>> byKey = readCommitted(broker.bootstrapServers(), topic, seen -> seen.containsKey(CLOSER));
        assertThat(byKey).as("results in %s", topic).containsKey(CLOSER);
        byKey.remove(CLOSER);
        Map<String, List<Long>> actual = new TreeMap<>();
        for (Map.Entry<String, List<String>> e : byKey.entrySet()) {
            assertThat(e.getValue()).as("final windows of %s in %s", e.getKey(), topic).hasSize(1);
            WindowStats w = JSON.readValue(e.getValue().get(0), WindowStats.class);
            assertThat(w.early()).isFalse();
            assertThat(w.windowStart()).isEqualTo(KafkaReadings.T);
            actual.put(e.getKey(), asLists(Map.of(e.getKey(), actual(w))).get(e.getKey()));
        }
        assertThat(actual).isEqualTo(expected);
    }

    /**
     * Waits until readings were processed and a snapshot completed after that, so the failure that follows is
     * recovered from a snapshot that holds offsets and window state, not from the start of the topic.
     */
    private void awaitSnapshotWithReadings(HazelcastInstance member, Job job) {
        await().atMost(LONG).until(() -> member.getRingbuffer(GridNames.READINGS).size() >= data.total() / 4);
        long before = lastSnapshot(member, job);
        await().atMost(LONG).until(() -> lastSnapshot(member, job) > before);
    }

    /** Id of the job's last successful snapshot, from Jet's own record of the execution (-1: none yet). */
    private static long lastSnapshot(HazelcastInstance member, Job job) {
        JobExecutionRecord record = member.<Long, JobExecutionRecord>getMap(JobRepository.JOB_EXECUTION_RECORDS_MAP_NAME)
                .get(job.getId());
        return record == null ? JobExecutionRecord.NO_SNAPSHOT : record.snapshotId();
    }

    private KafkaBroker startBroker() {
        KafkaBroker broker = resources.add(KafkaBroker.start(KafkaBrokerSettings.defaults().withMaxHeap("256m")));
        broker.createTopic(INPUT, PARTITIONS);
        broker.createTopic(SENSOR_RESULTS, 1);
        broker.createTopic(PLACE_RESULTS, 1);
        return broker;
    }

    private HazelcastInstance member(String cluster) {
        HazelcastInstance member = Hazelcast.newHazelcastInstance(GridConfigs.loopbackMember(cluster, PORT));
        resources.onClose(() -> member.getLifecycleService().terminate());
        return member;
    }

    private Job startJob(HazelcastInstance member, KafkaBroker broker) {
        KafkaJobSettings kafka = KafkaReadings.kafka(broker.bootstrapServers(), INPUT)
                .toBuilder()
                .set(KafkaJobSettings.SENSOR_RESULTS_TOPIC, SENSOR_RESULTS)
                .set(KafkaJobSettings.PLACE_RESULTS_TOPIC, PLACE_RESULTS)
                .build();
        AggregationSettings settings = KafkaReadings.settings();
        Job job = member.getJet().newJob(
                KafkaAggregationJob.build(KafkaAggregationJob.source(kafka, settings), settings, kafka),
                kafka.jobConfig());
        resources.onClose(() -> {
            if (!job.getStatus().isTerminal()) {
                job.cancel();
            }
        });
        return job;
    }
}
