package io.iotgrid.jobs;

import com.hazelcast.cache.ICache;
import com.hazelcast.client.HazelcastClient;
import com.hazelcast.config.CacheSimpleConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.pipeline.StreamSource;
import com.hazelcast.jet.pipeline.test.TestSources;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.settings.SettingsReader;
import io.iotgrid.core.testing.Resources;
import io.iotgrid.kcql.StreamReactorProperties;
import io.iotgrid.kcql.TopicRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A properties file of stream-reactor's Hazelcast sink starts a job on one cluster that writes where the old
 * connector would have: into the cluster named by {@code connect.hazelcast.cluster.members} and
 * {@code cluster.name}.
 */
@Timeout(120)
class KcqlRoutingJobIT {

    private static final int JOB_PORT = 5990;
    private static final int TARGET_PORT = 5995;
    private static final int READINGS = 12;

    @RegisterExtension
    final Resources resources = new Resources();

    @Test
    void when_oldPropertiesFile_then_jobWritesIntoTheTargetCluster() throws Exception {
        String targetCluster = "target-" + UUID.randomUUID();
        HazelcastInstance target = Hazelcast.newHazelcastInstance(GridConfigs.loopbackMember(targetCluster,
                TARGET_PORT));
        resources.onClose(target::shutdown);
        HazelcastInstance jobMember = Hazelcast.newHazelcastInstance(
                GridConfigs.loopbackMember("jobs-" + UUID.randomUUID(), JOB_PORT));
        resources.onClose(jobMember::shutdown);
        Path file = Files.createDirectories(Path.of("target", "kcql-routing-it")).resolve("hazelcast-sink.properties");
        Files.writeString(file, String.join("\n",
                "name=hazelcast-sink",
                "connector.class=com.datamountaineer.streamreactor.connect.hazelcast.sink.HazelCastSinkConnector",
                "topics=coap_sensor_topic",
                "connect.hazelcast.cluster.members=127.0.0.1:" + TARGET_PORT,
                "connect.hazelcast.cluster.name=" + targetCluster,
                "connect.hazelcast.kcql=INSERT INTO dev SELECT * FROM coap_sensor_topic WITHFORMAT JSON STOREAS QUEUE;"
                        + "INSERT INTO sensors SELECT sensor_id, temperature FROM coap_sensor_topic PK sensor_id "
                        + "WITHFORMAT JSON STOREAS IMAP",
                "connect.hazelcast.error.policy=RETRY",
                "connect.hazelcast.max.retries=5",
                "connect.hazelcast.retry.interval=500",
                "connect.hazelcast.timeout=5000"));

        StreamReactorProperties properties = StreamReactorProperties.load(file);
        assertThat(properties.warnings()).singleElement().asString().startsWith("connect.hazelcast.timeout");
        Job job = jobMember.getJet().newJob(KcqlRoutingJob.build(jobMember, readings(), properties),
                JobSerializers.register(new JobConfig()));
        resources.onClose(job::cancel);

        HazelcastInstance client = HazelcastClient.newHazelcastClient(
                GridConfigs.loopbackClient(targetCluster, TARGET_PORT));
        resources.onClose(client::shutdown);
        await().untilAsserted(() -> assertThat(client.getQueue("dev")).hasSize(READINGS));
        assertThat(client.<String, String>getMap("sensors").keySet()).containsExactlyInAnyOrder("s-0", "s-1", "s-2");
        assertThat(client.<String, String>getMap("sensors").get("s-1")).matches(
                "\\{\"sensor_id\":\"s-1\",\"temperature\":(21|24|27|30)\\.0}");
        assertThat(jobMember.getQueue("dev")).as("nothing written into the job's own cluster").isEmpty();
    }

    @Test
    void when_targetClusterLacksTheCache_then_buildFailsBeforeAnyJobRuns() throws Exception {
        String targetCluster = "target-" + UUID.randomUUID();
        int targetPort = freePort();
        HazelcastInstance target = Hazelcast.newHazelcastInstance(GridConfigs.loopbackMember(targetCluster,
                targetPort));
        resources.onClose(target::shutdown);
        HazelcastInstance jobMember = Hazelcast.newHazelcastInstance(
                GridConfigs.loopbackMember("jobs-" + UUID.randomUUID(), freePort()));
        resources.onClose(jobMember::shutdown);
        // The job's own cluster has the cache; the target cluster, where the statement writes, has not.
        jobMember.getConfig().addCacheConfig(new CacheSimpleConfig().setName("latest"));
        String kcql = "INSERT INTO latest SELECT temperature FROM coap_sensor_topic PK sensor_id STOREAS ICACHE";
        StreamReactorProperties properties = StreamReactorProperties.of(SettingsReader.of(Map.of(
                "connect.hazelcast.cluster.members", "127.0.0.1:" + target.getCluster().getLocalMember().getAddress()
                        .getPort(),
                "connect.hazelcast.cluster.name", targetCluster,
                "connect.hazelcast.kcql", kcql)));

        assertThatThrownBy(() -> KcqlRoutingJob.build(jobMember, readings(), properties))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot write \"" + kcql + "\": STOREAS ICACHE needs the cache 'latest' "
                        + "configured on the members of the target cluster");
        assertThat(jobMember.getJet().getJobs()).as("no job submitted").isEmpty();

        target.getConfig().addCacheConfig(new CacheSimpleConfig().setName("latest"));
        Job job = jobMember.getJet().newJob(KcqlRoutingJob.build(jobMember, readings(), properties),
                JobSerializers.register(new JobConfig()));
        resources.onClose(job::cancel);
        ICache<String, String> cache = target.getCacheManager().getCache("latest");
        // The job's sink connects a client of its own to the target cluster first: slow on a loaded machine.
        await().atMost(Duration.ofMinutes(2))
               .untilAsserted(() -> assertThat(cache.get("s-2")).matches("\\{\"temperature\":\\d+\\.0}"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** {@value #READINGS} readings of three sensors on the routed topic, then records of a topic no statement reads. */
    private static StreamSource<TopicRecord> readings() {
        return TestSources.itemStream(200, (ts, seq) -> seq < READINGS
                ? TopicRecord.json("coap_sensor_topic", null, ("{\"sensor_id\":\"s-" + seq % 3 + "\",\"temperature\":"
                        + (20 + seq) + ".0}").getBytes(StandardCharsets.UTF_8))
                : TopicRecord.json("unrouted", null, "{}".getBytes(StandardCharsets.UTF_8)));
    }
}
