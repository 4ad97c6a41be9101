package io.iotgrid.console.impl;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.core.JobStatus;
import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.Sinks;
import com.hazelcast.jet.pipeline.test.TestSources;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.testing.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The jobs the console lists, on a real member running a streaming job and a light job at once. */
class GridApiIT {

    private static HazelcastInstance member;

    @BeforeAll
    static void start() {
        member = Hazelcast.newHazelcastInstance(
                GridConfigs.loopbackMember("grid-api-it-" + UUID.randomUUID(), FreePorts.loopback()));
    }

    @AfterAll
    static void stop() {
        if (member != null) {
            member.getLifecycleService().terminate();
        }
    }

    private static Pipeline endless() {
        Pipeline p = Pipeline.create();
        p.readFrom(TestSources.itemStream(100)).withoutTimestamps().writeTo(Sinks.noop());
        return p;
    }

    @Test
    void when_aLightJobRuns_then_onlyTheStreamingJobIsListedWithItsMetrics() {
        Job streaming = member.getJet().newJob(endless(), new JobConfig().setName("streaming"));
        // A light job is what every SQL query runs as; Jet refuses its metrics, which once failed the whole list.
        Job light = member.getJet().newLightJob(endless());
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> streaming.getStatus() == JobStatus.RUNNING
                    && light.getStatus() == JobStatus.RUNNING);
            GridApi api = new GridApi(member, "place_stats", "sensor_stats");

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                List<Map<String, Object>> jobs = api.jobs();
                assertThat(jobs).extracting(j -> j.get("id")).containsExactly(streaming.getIdString());
                @SuppressWarnings("unchecked")
                Map<String, Long> metrics = (Map<String, Long>) jobs.get(0).get("metrics");
                assertThat(metrics.get("sourceEmitted")).isPositive();
            });
        } finally {
            light.cancel();
            streaming.cancel();
        }
    }
}
