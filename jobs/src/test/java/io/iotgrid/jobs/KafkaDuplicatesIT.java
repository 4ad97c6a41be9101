package io.iotgrid.jobs;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.config.ProcessingGuarantee;
import com.hazelcast.jet.core.JobStatus;
import com.hazelcast.jet.core.metrics.Measurement;
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

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.iotgrid.jobs.KafkaReadings.actualAll;
import static io.iotgrid.jobs.KafkaReadings.asLists;
import static io.iotgrid.jobs.KafkaReadings.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Kafka flavour at least once with a real KRaft broker: every reading produced, the job forced to restart from
 * its last snapshot, then every reading produced again (a producer that retried a whole batch). The aggregates must
 * equal those computed from the input counted once: the readings already let into the open window are remembered
 * in the snapshot.
 */
@Timeout(300)
class KafkaDuplicatesIT {

    private static final int PARTITIONS = 4;
    private static final String INPUT = "readings";
    private static final Duration LONG = Duration.ofSeconds(120);

    @RegisterExtension
    final Resources resources = new Resources();

    private final KafkaReadings data = new KafkaReadings(24, 4, 40);

    @Test
    void when_everyRecordProducedAgainAfterAForcedRestart_then_aggregatesCountEachReadingOnce() throws Exception {
        KafkaBroker broker = resources.add(KafkaBroker.start(KafkaBrokerSettings.defaults().withMaxHeap("256m")));
        broker.createTopic(INPUT, PARTITIONS);
        Config config = GridConfigs.loopbackMember("kafka-dup-" + UUID.randomUUID(), freePort());
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
        resources.onClose(() -> member.getLifecycleService().terminate());
        KafkaJobSettings kafka = KafkaReadings.kafka(broker.bootstrapServers(), INPUT).toBuilder()
                .set(JobSettings.GUARANTEE, ProcessingGuarantee.AT_LEAST_ONCE).build();
        AggregationSettings settings = KafkaReadings.settings();
        Job job = member.getJet().newJob(
                KafkaAggregationJob.build(KafkaAggregationJob.source(kafka, settings), settings, kafka),
                kafka.jobConfig());
        resources.onClose(() -> {
            if (!job.getStatus().isTerminal()) {
                job.cancel();
            }
        });
        Map<String, WindowStats> sensors = member.getMap(settings.sensorStatsMap());
        Map<String, WindowStats> places = member.getMap(settings.placeStatsMap());
        Map<String, List<Long>> expectedSensors = asLists(data.expectedBySensor());
        Map<String, List<Long>> expectedPlaces = asLists(data.expectedByPlace());

        produce(broker.bootstrapServers(), data.records(INPUT, 0, data.perSensor));
        await().atMost(LONG).untilAsserted(() -> assertThat(actualAll(sensors)).isEqualTo(expectedSensors));
        // A snapshot taken after every reading was let in, so the restart restores what was remembered.
        long before = lastSnapshot(member, job);
        await().atMost(LONG).until(() -> lastSnapshot(member, job) > before);
        job.restart();
        await().atMost(LONG).until(() -> job.getStatus() == JobStatus.RUNNING);
        produce(broker.bootstrapServers(), data.records(INPUT, 0, data.perSensor));

        await().atMost(LONG).untilAsserted(() -> assertThat(job.getMetrics().get(AggregationJob.DUPLICATE_READINGS)
                .stream().mapToLong(Measurement::value).sum()).isEqualTo(data.total()));
        // Each early result written after the second copy went through shows the input counted once.
        await().atMost(LONG).until(() -> member.getRingbuffer(GridNames.READINGS).size() >= 2L * data.total());
        assertThat(actualAll(sensors)).isEqualTo(expectedSensors);
        assertThat(actualAll(places)).isEqualTo(expectedPlaces);
    }

    /** Id of the job's last successful snapshot, from Jet's own record of the execution (-1: none yet). */
    private static long lastSnapshot(HazelcastInstance member, Job job) {
        JobExecutionRecord record = member.<Long, JobExecutionRecord>getMap(JobRepository.JOB_EXECUTION_RECORDS_MAP_NAME)
                .get(job.getId());
        return record == null ? JobExecutionRecord.NO_SNAPSHOT : record.snapshotId();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
