package io.iotgrid.sources;

import com.hazelcast.collection.IList;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.config.ProcessingGuarantee;
import com.hazelcast.jet.core.JobStatus;
import com.hazelcast.jet.core.metrics.Measurement;
import com.hazelcast.jet.core.metrics.MetricNames;
import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.Sinks;
import io.iotgrid.core.RawReading;
import io.iotgrid.core.testing.Resources;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What the source keeps in snapshots: after a restore, the state it already delivered is not delivered again. */
@Timeout(90)
class CoapSnapshotIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @AutoClose("shutdown")
    private static HazelcastInstance member;

    @RegisterExtension
    final Resources resources = new Resources();

    @BeforeAll
    static void start() {
        member = Hazelcast.newHazelcastInstance(SourceJobs.member("coap-snapshot-it-" + UUID.randomUUID(), 6040));
    }

    @Test
    void when_jobRestoredFromSnapshot_then_unchangedStateNotDeliveredTwiceAndChangesFlow() {
        TestCoapServer.Resource resource = new TestCoapServer.Resource("s", 60, "{\"v\":1}");
        TestCoapServer server = resources.add(new TestCoapServer(resource));
        String uri = server.uri("/s");
        IList<RawReading> received = member.getList("snapshot-" + UUID.randomUUID());
        Pipeline p = Pipeline.create();
        p.readFrom(CoapSources.observe(uri)).withoutTimestamps().writeTo(Sinks.list(received));
        Job job = member.getJet().newJob(p, new JobConfig()
                .setProcessingGuarantee(ProcessingGuarantee.AT_LEAST_ONCE).setSnapshotIntervalMillis(200));
        resources.onClose(() -> {
            job.cancel();
            await().atMost(WAIT).until(() -> job.getStatus().isTerminal());
        });
        await().atMost(WAIT).until(() -> received.size() == 1);
        // A snapshot holding the resource's mark (the source saves one key per resource).
        await().atMost(WAIT).until(() -> job.getMetrics().get(MetricNames.SNAPSHOT_KEYS).stream()
                .filter(m -> m.tag("vertex").startsWith("coapObserve")).mapToLong(Measurement::value).sum() >= 1);

        await().atMost(WAIT).until(() -> !job.getMetrics().get("coapNotifications").isEmpty());
        String firstExecution = job.getMetrics().get("coapNotifications").get(0).tag("exec");

        job.restart();

        // The new execution observed again and got the same state as its first answer...
        await().atMost(WAIT).until(() -> job.getStatus() == JobStatus.RUNNING && job.getMetrics()
                .get("coapNotifications").stream()
                .anyMatch(m -> !m.tag("exec").equals(firstExecution) && m.value() >= 1));
        // ...which it did not deliver again, while a change after the restore is delivered.
        resource.publish("{\"v\":2}");
        await().atMost(WAIT).until(() -> received.size() >= 2);
        assertThat(List.copyOf(received).stream().map(r -> new String(r.payload(), StandardCharsets.UTF_8)))
                .containsExactly("{\"v\":1}", "{\"v\":2}");
    }
}
