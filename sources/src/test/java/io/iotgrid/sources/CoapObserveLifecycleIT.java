package io.iotgrid.sources;

import com.hazelcast.collection.IList;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.Sinks;
import io.iotgrid.core.RawReading;
import io.iotgrid.core.testing.Resources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The source's life with an in-process Californium server: relations ended by the server, metrics, job end. */
@Timeout(90)
class CoapObserveLifecycleIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @AutoClose("shutdown")
    private static HazelcastInstance member;

    @RegisterExtension
    final Resources resources = new Resources();

    @BeforeAll
    static void start() {
        member = Hazelcast.newHazelcastInstance(SourceJobs.member("coap-lifecycle-it-" + UUID.randomUUID(), 6020));
    }

    @AfterAll
    static void noCaliforniumPropertiesWritten() {
        assertThat(Path.of("Californium3.properties")).doesNotExist();
    }

    @Test
    void when_serverEndsRelationWith404_then_reobservedOnceTheResourceIsBack() {
        TestCoapServer.Resource first = new TestCoapServer.Resource("boiler", 60, json(1));
        TestCoapServer server = resources.add(new TestCoapServer(first));
        String uri = server.uri("/boiler");
        IList<RawReading> received = member.getList("lifecycle-404-" + UUID.randomUUID());
        Job job = run(CoapObserveSettings.builder().set(CoapObserveSettings.URIS, List.of(uri))
                .set(CoapObserveSettings.REOBSERVE_INITIAL_BACKOFF, Duration.ofMillis(100))
                .set(CoapObserveSettings.REOBSERVE_MAX_BACKOFF, Duration.ofMillis(500)).build(), received);
        await().atMost(WAIT).until(() -> payloads(received).contains(json(1)));

        first.delete(); // Californium answers every observer with 4.04, which ends the relations
        await().atMost(WAIT).until(() -> SourceJobs.value(job, "coapErrors", uri) >= 1);
        TestCoapServer.Resource second = new TestCoapServer.Resource("boiler", 60, json(2));
        server.add(second);

        await().atMost(WAIT).until(() -> payloads(received).contains(json(2)));
        second.publish(json(3));
        await().atMost(WAIT).until(() -> payloads(received).contains(json(3)));
        assertThat(SourceJobs.value(job, "coapReobservations", uri)).isPositive();
    }

    @Test
    void when_notificationsReceived_then_metricCountsEveryOne() {
        TestCoapServer.Resource resource = new TestCoapServer.Resource("hall", 60, json(0));
        TestCoapServer server = resources.add(new TestCoapServer(resource));
        String uri = server.uri("/hall");
        IList<RawReading> received = member.getList("lifecycle-metrics-" + UUID.randomUUID());
        Job job = run(CoapObserveSettings.of(uri), received);
        await().atMost(WAIT).until(() -> received.size() == 1);

        for (int i = 1; i <= 5; i++) {
            resource.publish(json(i));
            int expected = i + 1;
            // One change at a time: observe may skip a value replaced before its notification went out.
            await().atMost(WAIT).until(() -> received.size() == expected);
        }

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(SourceJobs.value(job, "coapNotifications", uri)).isEqualTo(6);
            assertThat(SourceJobs.value(job, "coapErrors", uri)).isZero();
            assertThat(SourceJobs.value(job, "coapDropped", uri)).isZero();
            assertThat(SourceJobs.value(job, "coapSequenceGaps", uri)).isZero();
            assertThat(SourceJobs.value(job, "coapReobservations", uri)).isZero();
        });
        assertThat(List.copyOf(received)).allMatch(r -> r.contentFormat() == 50 && r.source().equals(uri));
    }

    @Test
    void when_jobCancelled_then_relationsDeregisteredWithoutDelete() {
        TestCoapServer.Resource a = new TestCoapServer.Resource("a", 60, json(1));
        TestCoapServer.Resource b = new TestCoapServer.Resource("b", 60, json(1));
        TestCoapServer server = resources.add(new TestCoapServer(a, b));
        IList<RawReading> received = member.getList("lifecycle-cancel-" + UUID.randomUUID());
        Pipeline p = Pipeline.create();
        p.readFrom(CoapSources.observe(server.uri("/a"), server.uri("/b"))).withoutTimestamps()
         .writeTo(Sinks.list(received));
        Job job = member.getJet().newJob(p);
        await().atMost(WAIT).until(() -> a.getObserverCount() == 1 && b.getObserverCount() == 1);

        job.cancel();
        await().atMost(WAIT).until(() -> job.getStatus().isTerminal());

        // RFC 7641 deregistration: a GET with Observe 1 removed the relations; no DELETE reached the resources.
        await().atMost(WAIT).until(() -> a.getObserverCount() == 0 && b.getObserverCount() == 0);
        assertThat(a.deletes() + b.deletes()).isZero();
    }


    private static List<String> payloads(IList<RawReading> received) {
        return List.copyOf(received).stream().map(r -> new String(r.payload(), StandardCharsets.UTF_8)).toList();
    }

    private static String json(int seq) {
        return "{\"id\":\"s-1\",\"place_id\":\"p\",\"timestamp\":" + (1_700_000_000_000L + seq)
                + ",\"seq\":" + seq + ",\"payload\":{\"temperature\":" + seq + "}}";
    }

    private Job run(CoapObserveSettings settings, IList<RawReading> into) {
        return SourceJobs.run(member, resources, CoapSources.observe(settings), into);
    }
}
